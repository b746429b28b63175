// Everything `npm run hub` needs beyond `npm install`, done on first use (never in `npm install`), idempotent,
// quiet and fast when already done. Needs root: it installs Debian packages, writes system-wide files and
// creates a group.
//   1. Debian's jupyterhub (3.0.0) with apt
//   2. the students' servers' Python: a venv on Debian's python3 seeing Debian's jupyterhub (the hub's exact
//      version; pip has no jupyterhub here) with the project's JupyterLab 4 requirement installed by pip, so
//      each server is JupyterLab 4's ServerApp wrapped by jupyterhub-singleuser 3.0.0
//   3. libtensorflow where every account can read it (it sits in root's cache, behind /root's 0700)
//   4. a shared, read-only dataset cache, and the kernelspec in /usr/local/share/jupyter/kernels
//   5. the students' group
import { execFileSync } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { run } from "../setup/run.mjs";
import { kernelSpecJson } from "../setup/kernelspec.mjs";
import { pipEnv } from "../setup/python-env.mjs";
import { cacheRoot, kernelName, projectRoot, pythonRequirements, tfjsNodeDir, venvPython } from "../setup/paths.mjs";

export const hubState = process.env.TSLAB_HUB_STATE_DIR ?? "/var/lib/tslab-keras-hub";
export const sharedDatasets = join(hubState, "datasets");
export const systemJupyterPath = "/usr/local/share/jupyter";
export const sharedLibDir = "/usr/local/lib/tslab-keras";
export const studentsGroup = process.env.TSLAB_HUB_GROUP ?? "tslab-students";
export const serverEnv = join(sharedLibDir, "server-venv");
export const serverPython = join(serverEnv, "bin", "python");

export function chpPath() {
  const bin = join(projectRoot, "node_modules", "configurable-http-proxy", "bin", "configurable-http-proxy");
  if (!existsSync(bin)) {
    throw new Error("configurable-http-proxy (npm) is missing from node_modules: run `npm install` first.");
  }
  return bin;
}

function ensureJupyterhub(log) {
  if (existsSync("/usr/bin/jupyterhub")) return "present";
  if (!existsSync("/usr/bin/apt-get"))
    throw new Error("Debian's jupyterhub package is needed, and apt-get is missing.");
  log("  installing Debian's jupyterhub (apt-get, about a minute)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const args = ["install", "-y", "-q", "--no-install-recommends", "jupyterhub"];
  let result = run("apt-get", args, { env });
  if (result.status !== 0) {
    run("apt-get", ["update", "-q"], { env });
    result = run("apt-get", args, { env });
  }
  if (!existsSync("/usr/bin/jupyterhub")) {
    throw new Error(`apt-get could not install jupyterhub: ${result.stderr.trim().split("\n").pop()}`);
  }
  return "installed";
}

function hubVersion(python) {
  const result = run(
    python,
    ["-c", "import jupyterhub.singleuser.mixins, jupyterhub, jupyterlab; print(jupyterhub.__version__)"],
    {
      env: { ...process.env, JUPYTERHUB_SINGLEUSER_APP: "jupyter_server.serverapp.ServerApp" },
    },
  );
  return result.status === 0 ? result.stdout.trim() : undefined;
}

// The students' servers need a Python every account can run: .venv's interpreter may live in root's home
// (pyenv), so the servers get their own environment on Debian's python3 — with Debian's site-packages, where
// jupyterhub 3.0.0 (the hub's exact version, whose singleuser pip cannot install here) lives — and the same
// JupyterLab 4 requirement as .venv, installed by pip over Debian's packages.
function ensureServerEnv(log) {
  const debian = run("/usr/bin/python3", ["-c", "import jupyterhub; print(jupyterhub.__version__)"]);
  const wanted = debian.status === 0 ? debian.stdout.trim() : undefined;
  if (!wanted) throw new Error("Debian's jupyterhub does not import under /usr/bin/python3.");
  if (hubVersion(serverPython) === wanted) return `JupyterLab 4 + jupyterhub ${wanted} singleuser in ${serverEnv}`;
  log(`  creating ${serverEnv} (pip: JupyterLab 4 over Debian's jupyterhub ${wanted})`);
  if (!existsSync(serverPython)) {
    mkdirSync(dirname(serverEnv), { recursive: true, mode: 0o755 });
    const made = run("/usr/bin/python3", ["-m", "venv", "--system-site-packages", serverEnv]);
    if (made.status !== 0) throw new Error(`python3 -m venv ${serverEnv} failed: ${made.stderr.trim()}`);
  }
  const lab = pythonRequirements.filter((r) => ["jupyterlab", "notebook"].includes(r.module)).map((r) => r.requirement);
  const pip = run(serverPython, ["-m", "pip", "install", "--quiet", ...lab], { env: pipEnv() });
  const got = hubVersion(serverPython);
  if (got !== wanted) {
    const why = run(serverPython, ["-c", "import jupyterhub.singleuser.mixins, jupyterlab"], {
      env: { ...process.env, JUPYTERHUB_SINGLEUSER_APP: "jupyter_server.serverapp.ServerApp" },
    }).stderr;
    throw new Error(
      `the students' server environment ${serverEnv} is not usable:\n${pip.stderr.trim()}\n${why.trim()}`,
    );
  }
  execFileSync("chmod", ["-R", "a+rX", serverEnv]);
  return `JupyterLab 4 + jupyterhub ${wanted} singleuser installed in ${serverEnv}`;
}

/** True when every account can read `file` (each folder on the way searchable, the file readable). */
function worldReadable(file) {
  let path = realpathSync(file);
  if (!(statSync(path).mode & 0o004)) return false;
  while (path !== "/") {
    path = dirname(path);
    if (!(statSync(path).mode & 0o001)) return false;
  }
  return true;
}

function replaceLink(link, target) {
  const tmp = `${link}.tmp-hub`;
  try {
    lstatSync(tmp);
    execFileSync("rm", ["-f", tmp]);
  } catch {
    /* absent */
  }
  symlinkSync(target, tmp);
  renameSync(tmp, link);
}

function ensureSharedLibtensorflow() {
  const depsLib = join(tfjsNodeDir(), "deps", "lib");
  const links = readdirSync(depsLib).filter((f) => lstatSync(join(depsLib, f)).isSymbolicLink());
  const hidden = links.filter((f) => !worldReadable(join(depsLib, f)));
  if (!hidden.length) return "readable by every account";
  for (const name of hidden) {
    const source = realpathSync(join(depsLib, name));
    const copyDir = join(sharedLibDir, basename(dirname(dirname(source))), basename(dirname(source)));
    const copy = join(copyDir, basename(source));
    if (!existsSync(copy)) {
      mkdirSync(copyDir, { recursive: true, mode: 0o755 });
      // A hard link costs no space on the same file system; a copy otherwise.
      if (run("cp", ["-l", source, `${copy}.partial`]).status !== 0) execFileSync("cp", [source, `${copy}.partial`]);
      renameSync(`${copy}.partial`, copy);
    }
    replaceLink(join(depsLib, name), copy);
  }
  return `linked from ${sharedLibDir}`;
}

function ensureSharedDatasets() {
  const own = join(cacheRoot, "datasets");
  mkdirSync(sharedDatasets, { recursive: true, mode: 0o755 });
  if (existsSync(own)) {
    for (const name of readdirSync(own)) {
      const target = join(sharedDatasets, name);
      if (!existsSync(target)) {
        if (run("cp", ["-al", join(own, name), `${target}.partial`]).status !== 0) {
          execFileSync("cp", ["-a", join(own, name), `${target}.partial`]);
        }
        renameSync(`${target}.partial`, target);
      }
    }
  }
  // Fills what root's cache lacked (from the offline mirrors) and checks every file against its sha256.
  const cli = join(projectRoot, "dist", "src", "datasets", "cli.js");
  const result = run(process.execPath, [cli], { env: { ...process.env, TSLAB_KERAS_DATASETS: sharedDatasets } });
  if (result.status !== 0) throw new Error(`the shared dataset cache is incomplete:\n${result.stderr.trim()}`);
  execFileSync("chmod", ["-R", "a+rX", sharedDatasets]);
  return sharedDatasets;
}

function ensureSystemKernelspec() {
  const dir = join(systemJupyterPath, "kernels", kernelName);
  const spec = kernelSpecJson();
  spec.env = { ...spec.env, TSLAB_KERAS_DATASETS: sharedDatasets };
  const text = JSON.stringify(spec, null, 2) + "\n";
  const file = join(dir, "kernel.json");
  if (existsSync(file) && readFileSync(file, "utf8") === text) return `present in ${dir}`;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  writeFileSync(`${file}.tmp`, text, { mode: 0o644 });
  renameSync(`${file}.tmp`, file);
  for (const logo of ["logo-32x32.png", "logo-64x64.png"]) {
    const source = join(projectRoot, "kernel", "assets", logo);
    if (existsSync(source)) execFileSync("cp", [source, join(dir, logo)]);
  }
  return `installed in ${dir}`;
}

function ensureGroup() {
  if (run("getent", ["group", studentsGroup]).status === 0) return "present";
  execFileSync("groupadd", [studentsGroup]);
  return "created";
}

/** Runs every step; returns lines saying what each found or did. Throws with a message naming what failed. */
export function ensureHubSetup(log = console.log) {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    throw new Error("the class hub runs as root (it starts each student's server as their own account): use sudo.");
  }
  if (!existsSync(venvPython)) throw new Error(".venv is missing: run `npm install` first.");
  if (!existsSync(join(projectRoot, "dist", "kernel", "launcher.js")))
    throw new Error("dist/ is missing: run `npm run build`.");
  accessSync(projectRoot, constants.R_OK);
  chpPath();
  const done = [];
  const stepOf = (title, fn) => done.push(`${title}: ${fn()}`);
  stepOf("jupyterhub (Debian)", () => ensureJupyterhub(log));
  stepOf("students' servers", () => ensureServerEnv(log));
  stepOf("libtensorflow", ensureSharedLibtensorflow);
  stepOf("datasets", ensureSharedDatasets);
  stepOf("kernelspec", ensureSystemKernelspec);
  stepOf(`group ${studentsGroup}`, ensureGroup);
  if (!worldReadable(join(projectRoot, "dist", "kernel", "launcher.js"))) {
    throw new Error(
      `${projectRoot} is not readable by the students' accounts: put the project where they can read it.`,
    );
  }
  return done;
}
