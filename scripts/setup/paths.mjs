// Where the project's set-up puts things. Shared by postinstall, doctor, start and the test runners,
// so that every script agrees on one layout.
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const venvDir = process.env.TSLAB_KERAS_VENV ?? join(projectRoot, ".venv");
export const venvBin = join(venvDir, "bin");
export const venvPython = join(venvBin, "python");
export const kernelName = "tslab-keras";
export const kernelDisplayName = "TypeScript (tslab-keras)";
export const kernelSpecDir = join(projectRoot, "kernel", "spec", kernelName);
export const launcherPath = join(projectRoot, "dist", "kernel", "launcher.js");
export const notebooksDir = join(projectRoot, "notebooks");

/** The user's cache root (XDG), shared by all clones so a second clone does not refetch 300 MB. */
export const cacheRoot =
  process.env.TSLAB_KERAS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "tslab-keras");

export const tensorflowWheelVersion = "2.21.0";
export const libtensorflowCacheDir = join(cacheRoot, "libtensorflow", `tensorflow-cpu-${tensorflowWheelVersion}`);

const require = createRequire(join(projectRoot, "package.json"));
export function tfjsNodeDir() {
  return dirname(require.resolve("@tensorflow/tfjs-node/package.json"));
}

/** Python packages the project environment must hold (import name → pip requirement). */
export const pythonRequirements = [
  { module: "jupyterlab", requirement: "jupyterlab>=4,<5" },
  { module: "notebook", requirement: "notebook>=7,<8" },
  { module: "nbclient", requirement: "nbclient>=0.10" },
  { module: "nbconvert", requirement: "nbconvert>=7" },
  { module: "ipykernel", requirement: "ipykernel>=6" },
];
