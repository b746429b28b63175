#!/usr/bin/env node
// `npm install`'s own set-up: everything a fresh offline machine needs, idempotent and fast the second time.
//   1. tfjs-node with TensorFlow's native backend          (tfjs-native.mjs)
//      and the training engine's addon over the same library (engine-native.mjs; without it fit is eager)
//   2. the project's Python environment .venv/ with JupyterLab 4, nbclient, nbconvert (python-env.mjs)
//   3. the kernel "TypeScript (tslab-keras)" registered in it (kernelspec.mjs)
//   4. node_modules/tslab-keras → the project, so notebooks `import ... from "tslab-keras"`
//   5. Debian's chromium for the browser checks, when we may install it (browser.mjs)
//   6. Debian's jupyter_kernel_test for the kernel's conformance run, when we may install it (kernel-test.mjs)
//   7. Debian's fonts for the charts' PNG copies, Korean included (fonts.mjs)
//   8. Python Keras 3 (.venv-keras/), the reference of the round-trip tests and benchmarks (keras-reference.mjs)
// The library itself is compiled by npm's `prepare` script, which runs right after this one.
import { lstatSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ensureTfjsNative } from "./tfjs-native.mjs";
import { ensureEngineNative } from "./engine-native.mjs";
import { ensureLabSettings, ensurePythonEnv } from "./python-env.mjs";
import { installKernel } from "./kernelspec.mjs";
import { ensureChromium } from "./browser.mjs";
import { ensureKernelTest } from "./kernel-test.mjs";
import { ensureChartFonts } from "./fonts.mjs";
import { ensureKerasReference } from "./keras-reference.mjs";
import { projectRoot } from "./paths.mjs";
import { step } from "./run.mjs";

function linkSelf() {
  const link = join(projectRoot, "node_modules", "tslab-keras");
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link) === "..") return "present";
    rmSync(link, { recursive: true, force: true });
  } catch {
    /* absent */
  }
  symlinkSync("..", link);
  return "linked";
}

function main() {
  // Installed as somebody else's dependency: only the native backend is ours to set up.
  const asDependency = projectRoot.split(/[\\/]/).includes("node_modules");
  const started = Date.now();
  let done = step("tfjs-node native backend");
  const tf = ensureTfjsNative((line) => console.log(line));
  done(`${tf.route}: backend ${tf.backend}, TensorFlow ${tf.tfVersion}`);
  done = step("training engine addon (native/, graph-mode fit)");
  done(ensureEngineNative({ log: (line) => console.log(line) }));
  if (asDependency || process.env.TSLAB_KERAS_SKIP_SETUP === "1") return;

  done = step("Python environment (.venv) with JupyterLab, nbclient, nbconvert");
  done(`${ensurePythonEnv((line) => console.log(line))}; JupyterLab settings: ${ensureLabSettings()}`);

  done = step('kernel "TypeScript (tslab-keras)"');
  const kernel = installKernel();
  done(kernel.changed ? `registered in ${kernel.dir}` : `already registered in ${kernel.dir}`);

  done = step("node_modules/tslab-keras → project");
  done(linkSelf());

  if (process.env.TSLAB_KERAS_SKIP_BROWSER !== "1") {
    done = step("Chromium for the browser checks");
    done(ensureChromium((line) => console.log(line)));
  }
  if (process.env.TSLAB_KERAS_SKIP_KERNEL_TEST !== "1") {
    done = step("jupyter_kernel_test for the kernel conformance run");
    done(ensureKernelTest((line) => console.log(line)));
  }
  done = step("fonts for chart PNGs (DejaVu Sans, Nanum Gothic)");
  done(ensureChartFonts((line) => console.log(line)));
  if (process.env.TSLAB_KERAS_SKIP_KERAS_REFERENCE !== "1") {
    done = step("Python Keras 3 reference (.venv-keras) for round trips and benchmarks");
    done(ensureKerasReference());
  }
  console.log(`tslab-keras setup: done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

try {
  main();
} catch (error) {
  console.error(`\ntslab-keras setup failed:\n${error.message}\n`);
  process.exit(1);
}
