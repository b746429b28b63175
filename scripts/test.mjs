#!/usr/bin/env node
// `npm test`: every check a change must pass, in order, with one summary line at the end.
//   lint (eslint, prettier, tsc over tests and bench) → unit tests (Node 20) → unit tests (Node 24) → kernel protocol tests
//   and jupyter_kernel_test → notebooks headless (nbclient, smoke scale)
//   → browser check (JupyterLab in headless Chromium)
// `npm test -- --only unit,notebooks` runs a subset.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { projectRoot, venvDir, venvPython } from "./setup/paths.mjs";
import { hasKernelTest, systemPython } from "./setup/kernel-test.mjs";
import { ensureNodeLts } from "./node24.mjs";
import { globSync } from "./glob.mjs";

const only = (() => {
  const i = process.argv.indexOf("--only");
  return i >= 0 ? new Set(process.argv[i + 1].split(",")) : undefined;
})();

/** Runs a command, streaming its output, and returns { status, output }. */
function stream(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: projectRoot, stdio: ["ignore", "pipe", "pipe"], ...options });
    let output = "";
    const relay = (target) => (chunk) => {
      output += chunk;
      target.write(chunk);
    };
    child.stdout.on("data", relay(process.stdout));
    child.stderr.on("data", relay(process.stderr));
    child.on("close", (status) => resolve({ status, output }));
    child.on("error", (error) => resolve({ status: -1, output: String(error) }));
  });
}

/** Counts from node:test's spec reporter ("ℹ pass 12" / "ℹ fail 0"). */
function nodeTestCounts(output) {
  const pass = Number(/ℹ pass (\d+)/.exec(output)?.[1] ?? 0);
  const fail = Number(/ℹ fail (\d+)/.exec(output)?.[1] ?? 0);
  return { pass, fail };
}

/** Runs test files with node:test (TypeScript through tsx) under a given Node; a non-zero exit counts as a failure. */
async function nodeTests(files, node = process.execPath) {
  const r = await stream(node, ["--import", "tsx", "--test", "--test-reporter=spec", ...files]);
  const counts = nodeTestCounts(r.output);
  return r.status === 0 ? counts : { ...counts, fail: Math.max(1, counts.fail) };
}

/** jupyter_kernel_test over the kernel (test/kernel/conformance.py), with Debian's python3 (scripts/setup/kernel-test.mjs). */
async function kernelConformance() {
  if (!hasKernelTest()) {
    console.error(
      "jupyter_kernel_test is missing: run `npm install` as root (it installs python3-jupyter-kernel-test)",
    );
    return { pass: 0, fail: 1 };
  }
  console.log("(jupyter_kernel_test against the kernel)");
  const r = await stream(systemPython, [join(projectRoot, "test/kernel/conformance.py")], {
    env: { ...process.env, JUPYTER_PATH: join(venvDir, "share", "jupyter"), TF_CPP_MIN_LOG_LEVEL: "3" },
  });
  const m = /conformance: (\d+) passed, (\d+) failed/.exec(r.output);
  const counts = m ? { pass: Number(m[1]), fail: Number(m[2]) } : { pass: 0, fail: 1 };
  return r.status === 0 ? counts : { ...counts, fail: Math.max(1, counts.fail) };
}

const stages = [
  {
    name: "lint",
    run: async () => {
      const eslint = await stream(process.execPath, [join(projectRoot, "node_modules/eslint/bin/eslint.js"), "."]);
      const prettier = await stream(process.execPath, [
        join(projectRoot, "node_modules/prettier/bin/prettier.cjs"),
        "--check",
        ".",
      ]);
      // Types of everything tsx runs untyped too: tests, benchmark, kernel.
      const types = await stream(process.execPath, [
        join(projectRoot, "node_modules/typescript/bin/tsc"),
        "-p",
        join(projectRoot, "tsconfig.check.json"),
      ]);
      const ok = eslint.status === 0 && prettier.status === 0 && types.status === 0;
      return { pass: ok ? 1 : 0, fail: ok ? 0 : 1 };
    },
  },
  { name: "unit", run: () => nodeTests(globSync("test/unit", ".test.ts")) },
  {
    name: "unit-node24",
    run: async () => {
      const node = ensureNodeLts();
      console.log(`(unit tests under Node ${(await stream(node, ["--version"])).output.trim()})`);
      return nodeTests(globSync("test/unit", ".test.ts"), node);
    },
  },
  {
    name: "kernel",
    run: async () => {
      const protocol = await nodeTests(globSync("test/kernel", ".test.ts"));
      const conformance = await kernelConformance();
      return { pass: protocol.pass + conformance.pass, fail: protocol.fail + conformance.fail };
    },
  },
  {
    name: "notebooks",
    run: async () => {
      if (!existsSync(venvPython)) throw new Error(".venv is missing: run `npm install` first");
      const notebooks = globSync("notebooks", ".ipynb");
      const r = await stream(
        venvPython,
        [join(projectRoot, "scripts/run_notebooks.py"), "--out", "test-results/notebooks", ...notebooks],
        { env: { ...process.env, LESSON_SCALE: process.env.LESSON_SCALE ?? "smoke" } },
      );
      const m = /notebooks: (\d+) passed, (\d+) failed/.exec(r.output);
      return m ? { pass: Number(m[1]), fail: Number(m[2]) } : { pass: 0, fail: 1 };
    },
  },
  { name: "browser", run: () => nodeTests(globSync("test/browser", ".test.ts")) },
];

let passed = 0;
let failed = 0;
const summary = [];
for (const stage of stages) {
  if (only && !only.has(stage.name)) continue;
  console.log(`\n=== ${stage.name} ===`);
  const started = Date.now();
  let counts;
  try {
    counts = await stage.run();
  } catch (error) {
    console.error(`${stage.name}: ${error.message}`);
    counts = { pass: 0, fail: 1 };
  }
  passed += counts.pass;
  failed += counts.fail;
  summary.push(
    `${counts.fail ? "✖" : "✔"} ${stage.name}: ${counts.pass} passed, ${counts.fail} failed (${((Date.now() - started) / 1000).toFixed(0)}s)`,
  );
}
console.log(`\n${summary.join("\n")}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
