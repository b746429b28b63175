// The project's own Python environment (.venv/, git-ignored) with JupyterLab 4, nbclient and nbconvert.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run, runOrThrow } from "./run.mjs";
import { pythonRequirements, venvDir, venvPython } from "./paths.mjs";

/** Returns the list of missing modules ([] when the environment is complete). */
export function missingPythonModules() {
  if (!existsSync(venvPython)) return pythonRequirements.map((r) => r.module);
  const code = `
import importlib.util, sys
mods = sys.argv[1:]
missing = [m for m in mods if importlib.util.find_spec(m) is None]
if "jupyterlab" not in missing:
    import jupyterlab
    if int(jupyterlab.__version__.split(".")[0]) != 4: missing.append("jupyterlab")
print(" ".join(missing))`;
  const result = run(venvPython, ["-c", code, ...pythonRequirements.map((r) => r.module)]);
  if (result.status !== 0) return pythonRequirements.map((r) => r.module);
  return result.stdout.trim().split(/\s+/).filter(Boolean);
}

export function pipEnv() {
  // Respect the user's pip configuration (indexes, find-links, certificates), but an unreachable
  // index must not cost minutes: pip retries each lookup five times unless told otherwise.
  return { ...process.env, PIP_RETRIES: process.env.PIP_RETRIES ?? "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" };
}

export function ensurePythonEnv(log = console.log) {
  let missing = missingPythonModules();
  if (missing.length === 0) return "already complete";
  const python = process.env.PYTHON ?? "python3";
  if (!existsSync(venvPython)) {
    log(`  creating ${venvDir} with ${python}`);
    runOrThrow(python, ["-m", "venv", venvDir]);
  }
  log(`  installing ${missing.join(", ")} (pip, retries off for unreachable indexes)`);
  const pip = run(venvPython, ["-m", "pip", "install", "--quiet", ...pythonRequirements.map((r) => r.requirement)], {
    env: pipEnv(),
    stdio: ["ignore", "inherit", "pipe"],
  });
  missing = missingPythonModules();
  if (pip.status !== 0 || missing.length > 0) {
    // Leave no half-made environment that the next run would trust.
    if (missing.length > 0) rmSync(venvDir, { recursive: true, force: true });
    throw new Error(
      `pip could not install ${missing.join(", ") || "the Jupyter packages"} into ${venvDir}:\n${pip.stderr.trim().split("\n").slice(-5).join("\n")}\n` +
        "Check your pip configuration (index-url / find-links) can reach jupyterlab, nbclient and nbconvert, then run `npm install` again.",
    );
  }
  return "installed";
}

/**
 * JupyterLab settings for a classroom: no "get notified about official Jupyter news?" pop-up and no
 * update checks (the machine may be offline). Written as the environment's overrides.json.
 */
export function ensureLabSettings() {
  const dir = join(venvDir, "share", "jupyter", "lab", "settings");
  const file = join(dir, "overrides.json");
  const overrides = {
    "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false },
  };
  const text = JSON.stringify(overrides, null, 2) + "\n";
  if (existsSync(file) && readFileSync(file, "utf8") === text) return "already set";
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return "news pop-up and update checks off";
}
