// The kernelspec "TypeScript (tslab-keras)": argv starts the project's launcher by absolute path, with the
// absolute path of this Node, so Jupyter never depends on PATH. Written to kernel/spec/ (git-ignored,
// because the paths are this machine's) and installed into the project's Python environment.
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync, copyFileSync } from "node:fs";
import { join } from "node:path";
import { run, runOrThrow } from "./run.mjs";
import { kernelDisplayName, kernelName, kernelSpecDir, launcherPath, projectRoot, venvBin } from "./paths.mjs";

export function kernelSpecJson(nodePath = process.execPath) {
  return {
    argv: [nodePath, launcherPath, "--config-path", "{connection_file}"],
    display_name: kernelDisplayName,
    language: "typescript",
    interrupt_mode: "signal",
    env: { TF_CPP_MIN_LOG_LEVEL: "2" },
    metadata: { "tslab-keras": { projectRoot } },
  };
}

/** Writes kernel/spec/tslab-keras/kernel.json (atomically); returns the folder. */
export function writeKernelSpec(nodePath = process.execPath) {
  mkdirSync(kernelSpecDir, { recursive: true });
  const file = join(kernelSpecDir, "kernel.json");
  const text = JSON.stringify(kernelSpecJson(nodePath), null, 2) + "\n";
  if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
    writeFileSync(`${file}.tmp`, text);
    renameSync(`${file}.tmp`, file);
  }
  for (const logo of ["logo-32x32.png", "logo-64x64.png"]) {
    const source = join(projectRoot, "kernel", "assets", logo);
    if (existsSync(source)) copyFileSync(source, join(kernelSpecDir, logo));
  }
  return kernelSpecDir;
}

/** Where `jupyter` in a given bin folder finds the kernel, or undefined when it is not registered. */
export function findInstalledKernel(jupyterBin = join(venvBin, "jupyter")) {
  const result = run(jupyterBin, ["kernelspec", "list", "--json"]);
  if (result.status !== 0) return undefined;
  const spec = JSON.parse(result.stdout).kernelspecs?.[kernelName];
  return spec ? { dir: spec.resource_dir, spec: spec.spec } : undefined;
}

/**
 * Registers the kernel with a Jupyter installation. `where` is one of "--sys-prefix" (default: the
 * environment `jupyterBin` belongs to), "--user", or ["--prefix", dir].
 */
export function installKernel({ jupyterBin = join(venvBin, "jupyter"), where = ["--sys-prefix"] } = {}) {
  const dir = writeKernelSpec();
  const installed = findInstalledKernel(jupyterBin);
  const wanted = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
  if (installed && JSON.stringify(installed.spec.argv) === JSON.stringify(wanted.argv) && where[0] === "--sys-prefix") {
    return { changed: false, dir: installed.dir };
  }
  runOrThrow(jupyterBin, ["kernelspec", "install", ...where, "--name", kernelName, dir], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return { changed: true, dir: findInstalledKernel(jupyterBin)?.dir };
}
