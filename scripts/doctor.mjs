#!/usr/bin/env node
// `npm run doctor`: is this machine ready for the lessons? Each check prints ✔ or ✖ with the fix.
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { probeTfjsNative } from "./setup/tfjs-native.mjs";
import { ensureEngineNative } from "./setup/engine-native.mjs";
import { missingPythonModules } from "./setup/python-env.mjs";
import { findInstalledKernel } from "./setup/kernelspec.mjs";
import { chromiumPath } from "./setup/browser.mjs";
import { CHART_FONTS } from "./setup/fonts.mjs";
import { cacheRoot, kernelName, launcherPath, projectRoot, venvDir } from "./setup/paths.mjs";

const checks = [];
const check = (name, fn) => checks.push({ name, fn });

check("Node.js version", () => {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) return { ok: false, detail: `v${process.versions.node}`, fix: "install Node.js 20 or 24 (LTS)" };
  return { ok: true, detail: `v${process.versions.node}${major >= 23 ? " (util.isNullOrUndefined shim active)" : ""}` };
});
check("tfjs-node native backend", () => {
  const probe = probeTfjsNative();
  if (probe.ok) return { ok: true, detail: `backend ${probe.backend}, TensorFlow ${probe.tfVersion}` };
  return {
    ok: false,
    detail: probe.error ?? `backend ${probe.backend}`,
    fix: "run `npm install` (it builds the addon from the tensorflow-cpu wheel when offline); see README › Troubleshooting",
  };
});
check("training engine addon", () => {
  const outcome = ensureEngineNative({ log: () => {} });
  return outcome.startsWith("unavailable")
    ? {
        ok: true,
        warn: true,
        detail: `${outcome}; fit trains eagerly (slower)`,
        fix: "npm run setup:engine -- --strict shows why",
      }
    : { ok: true, detail: `${outcome}: fit runs whole batches as compiled graphs` };
});
check("compiled path covers", () => {
  const forced = process.env.TSLAB_KERAS_ENGINE;
  return {
    ok: true,
    warn: forced === "eager",
    detail:
      (forced === "eager" ? "nothing: TSLAB_KERAS_ENGINE=eager forces eager training. Otherwise: " : "") +
      "every built-in layer, loss, metric, regularizer and optimizer (with clipping, decay, schedules), " +
      "fit, evaluate and predict (traced graphs; the lessons' Sequential models use a hand-tuned graph). " +
      "Eager only for your own code: custom loss or metric functions, Lambda layers",
    fix: forced === "eager" ? "unset TSLAB_KERAS_ENGINE" : undefined,
  };
});
check("library built (dist/)", () =>
  existsSync(join(projectRoot, "dist", "src", "index.js")) && existsSync(launcherPath)
    ? { ok: true, detail: "dist/src/index.js, dist/kernel/launcher.js" }
    : { ok: false, detail: "dist/ is missing", fix: "run `npm run build`" },
);
check("Python environment", () => {
  const missing = missingPythonModules();
  return missing.length === 0
    ? { ok: true, detail: `${venvDir} has jupyterlab 4, notebook, nbclient, nbconvert, ipykernel` }
    : { ok: false, detail: `missing: ${missing.join(", ")}`, fix: "run `npm install` (it creates .venv/ with pip)" };
});
check(`kernel "${kernelName}" registered`, () => {
  const kernel = findInstalledKernel();
  if (!kernel) return { ok: false, detail: "not found by .venv/bin/jupyter kernelspec list", fix: "run `npm install`" };
  const [node, launcher] = kernel.spec.argv;
  if (!existsSync(node) || !existsSync(launcher)) {
    return {
      ok: false,
      detail: `its argv points at ${node} ${launcher}, which do not exist`,
      fix: "run `npm install` to rewrite it",
    };
  }
  return { ok: true, detail: `${kernel.dir} → ${launcher}` };
});
check("notebooks can import tslab-keras", () => {
  try {
    return lstatSync(join(projectRoot, "node_modules", "tslab-keras")).isSymbolicLink()
      ? { ok: true, detail: "node_modules/tslab-keras → project" }
      : { ok: false, detail: "node_modules/tslab-keras is not a link", fix: "run `npm install`" };
  } catch {
    return { ok: false, detail: "node_modules/tslab-keras is missing", fix: "run `npm install`" };
  }
});
check("dataset caches", () => {
  const root = process.env.TSLAB_KERAS_DATASETS ?? join(cacheRoot, "datasets");
  const names = ["mnist", "fashion_mnist", "cifar10"];
  const present = names.filter(
    (n) => existsSync(join(root, n)) && readdirSync(join(root, n)).some((f) => !f.includes(".partial")),
  );
  const missing = names.filter((n) => !present.includes(n));
  return missing.length === 0
    ? { ok: true, detail: `${root}: ${present.join(", ")}` }
    : {
        ok: true,
        warn: true,
        detail: `${root}: not yet cached: ${missing.join(", ")} (loaded on first use)`,
        fix: "optional: `npm run datasets` pre-fetches them",
      };
});
check("Chromium (browser checks)", () =>
  existsSync(chromiumPath)
    ? { ok: true, detail: chromiumPath }
    : {
        ok: true,
        warn: true,
        detail: "not installed; only `npm test`'s browser stage needs it",
        fix: "apt-get install chromium (npm install does it as root)",
      },
);
check("fonts for chart PNGs", () => {
  const missing = Object.entries(CHART_FONTS).filter(([, file]) => !existsSync(file));
  return missing.length === 0
    ? { ok: true, detail: Object.values(CHART_FONTS).join(", ") }
    : {
        ok: true,
        warn: true,
        detail: `missing ${missing.map(([, file]) => file).join(", ")}: PNG copies of charts use the system's fonts`,
        fix: `apt-get install ${missing.map(([pkg]) => pkg).join(" ")} (npm install does it as root)`,
      };
});

let failures = 0;
for (const { name, fn } of checks) {
  let result;
  try {
    result = fn();
  } catch (error) {
    result = { ok: false, detail: error.message, fix: "see the message" };
  }
  const mark = !result.ok ? "✖" : result.warn ? "!" : "✔";
  console.log(`${mark} ${name}: ${result.detail}`);
  if (result.fix && (!result.ok || result.warn)) console.log(`    fix: ${result.fix}`);
  if (!result.ok) failures++;
}
console.log(failures ? `\n${failures} check(s) failed.` : "\nAll checks passed.");
process.exit(failures ? 1 : 0);
