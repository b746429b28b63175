// tfjs-node with TensorFlow's native backend, also where libtensorflow cannot be downloaded.
//
// Routes, in order (the first that yields an addon that loads wins):
//   1. the addon already loads                      → nothing to do (a second `npm install` is a no-op)
//   2. deps/ already holds libtensorflow            → build the addon only
//   3. TSLAB_KERAS_LIBTENSORFLOW names a local copy → link it into deps/, build the addon
//   4. tfjs-node's own installer (Google storage or a TFJS_NODE_CDN_STORAGE mirror)
//   5. the tensorflow-cpu wheel that pip can fetch  → extract the C library and headers, build the addon
// There is no silent fall-back to the pure-JS backend: if every route fails, install fails and says why.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, lstatSync } from "node:fs";
import { dirname, join } from "node:path";
import { run, runOrThrow } from "./run.mjs";
import { nodeDir, nodeGypScript } from "./gyp.mjs";
import { libtensorflowCacheDir, projectRoot, tensorflowWheelVersion, tfjsNodeDir } from "./paths.mjs";

const NAPI_VERSION = 8; // the highest napi version tfjs-node 4.22 builds; Node 20 and 24 both load it.

/** Loads tfjs-node in a child process; returns { ok, backend, tfVersion, error }. */
export function probeTfjsNative() {
  const code = `
    const util = require("node:util");
    if (typeof util.isNullOrUndefined !== "function") util.isNullOrUndefined = (x) => x === null || x === undefined;
    const tf = require("@tensorflow/tfjs-node");
    const tfVersion = tf.backend().binding ? tf.backend().binding.TF_Version : "?";
    console.log(JSON.stringify({ backend: tf.getBackend(), tfVersion }));`;
  const result = run(process.execPath, ["-e", code], {
    cwd: projectRoot,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" },
    timeout: 120_000,
  });
  if (result.status === 0) {
    try {
      const info = JSON.parse(result.stdout.trim().split("\n").pop());
      return { ok: info.backend === "tensorflow", ...info };
    } catch {
      /* fall through */
    }
  }
  return {
    ok: false,
    error:
      (result.stderr || result.stdout)
        .trim()
        .split("\n")
        .filter((l) => /Error|error:/.test(l))
        .slice(0, 3)
        .join("\n") || `exit ${result.status}`,
  };
}

function depsHoldLibtensorflow(depsDir) {
  return (
    existsSync(join(depsDir, "lib", "libtensorflow.so")) &&
    existsSync(join(depsDir, "lib", "libtensorflow_framework.so")) &&
    existsSync(join(depsDir, "include", "tensorflow", "c", "c_api.h"))
  );
}

/** Points tfjs-node's deps/ at a libtensorflow folder that has lib/ (.so.2 files) and include/. */
function linkDeps(depsDir, source) {
  rmSync(depsDir, { recursive: true, force: true });
  mkdirSync(join(depsDir, "lib"), { recursive: true });
  symlinkSync(join(source, "include"), join(depsDir, "include"));
  const cc = join(source, "lib", "libtensorflow_cc.so.2");
  const fw = join(source, "lib", "libtensorflow_framework.so.2");
  // The binding links -ltensorflow -ltensorflow_framework; the libraries find each other by SONAME.
  symlinkSync(cc, join(depsDir, "lib", "libtensorflow.so"));
  symlinkSync(cc, join(depsDir, "lib", "libtensorflow_cc.so.2"));
  symlinkSync(fw, join(depsDir, "lib", "libtensorflow_framework.so"));
  symlinkSync(fw, join(depsDir, "lib", "libtensorflow_framework.so.2"));
}

/** Builds only the napi version Node loads (about 20 s instead of 1m45 for all six). */
function buildAddon(tfjsDir) {
  const gyp = nodeGypScript();
  if (!gyp) throw new Error("node-gyp was not found (it ships with npm); install npm or node-gyp");
  const args = [
    gyp,
    "rebuild",
    `--module_name=tfjs_binding`,
    `--module_path=${join(tfjsDir, "lib", `napi-v${NAPI_VERSION}`)}`,
    `--napi_build_version=${NAPI_VERSION}`,
  ];
  const dir = nodeDir();
  if (dir) args.push(`--nodedir=${dir}`);
  // Remove the old addon first: a build killed half-way must not leave a file the next run trusts.
  rmSync(join(tfjsDir, "lib", `napi-v${NAPI_VERSION}`), { recursive: true, force: true });
  // Output only on failure (its last lines): a working build prints nothing but the step's progress line.
  const r = run(process.execPath, args, { cwd: tfjsDir, env: { ...process.env, JOBS: "max" } });
  if (r.status !== 0) {
    const tail = (r.stderr + r.stdout).trim().split("\n").slice(-12).join("\n");
    throw new Error(`node-gyp rebuild of tfjs-node's addon failed:\n${tail}`);
  }
}

/** Route 4: tfjs-node's own installer (downloads libtensorflow 2.9.1 and a prebuilt addon). */
function tryOfficialInstaller(tfjsDir) {
  const result = run(process.execPath, ["scripts/install.js"], { cwd: tfjsDir, timeout: 180_000 });
  return result.status === 0 ? null : (result.stderr || result.stdout).trim().split("\n").slice(-2).join(" ");
}

function pipDownloadEnv() {
  // Respect the user's pip configuration, but do not let an unreachable index retry for minutes.
  return { ...process.env, PIP_RETRIES: process.env.PIP_RETRIES ?? "0", PIP_DISABLE_PIP_VERSION_CHECK: "1" };
}

/** Route 5: the C library and headers from the tensorflow-cpu wheel, kept in the user's cache. */
function ensureLibtensorflowFromWheel() {
  if (
    existsSync(join(libtensorflowCacheDir, "lib", "libtensorflow_cc.so.2")) &&
    existsSync(join(libtensorflowCacheDir, "include", "tensorflow", "c", "c_api.h"))
  ) {
    return libtensorflowCacheDir;
  }
  const work = `${libtensorflowCacheDir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const python = process.env.PYTHON ?? "python3";
    const dl = run(
      python,
      [
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "-d",
        work,
        `tensorflow-cpu==${tensorflowWheelVersion}`,
      ],
      {
        env: pipDownloadEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const wheel = readdirSync(work).find((f) => f.endsWith(".whl"));
    if (dl.status !== 0 || !wheel)
      throw new Error(
        `pip download tensorflow-cpu==${tensorflowWheelVersion} failed: ${dl.stderr.trim().split("\n").slice(-2).join(" ")}`,
      );
    // Extract only what the binding needs: two shared libraries and the header tree (~850 MB of a 270 MB wheel).
    const extract = `
import sys, zipfile, os, shutil
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"):
            target = os.path.join(out, "lib", os.path.basename(name))
        elif name.startswith("tensorflow/include/") and not name.endswith("/"):
            target = os.path.join(out, "include", name[len("tensorflow/include/"):])
        else:
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with z.open(info) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
`;
    runOrThrow(python, ["-c", extract, join(work, wheel), join(work, "tree")]);
    mkdirSync(dirname(libtensorflowCacheDir), { recursive: true });
    rmSync(libtensorflowCacheDir, { recursive: true, force: true });
    renameSync(join(work, "tree"), libtensorflowCacheDir); // atomic: the cache is either whole or absent
    return libtensorflowCacheDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function isSymlinkedDeps(depsDir) {
  try {
    return lstatSync(join(depsDir, "include")).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Makes `require("@tensorflow/tfjs-node")` load the native backend, or throws naming every route tried. */
export function ensureTfjsNative(log = console.log) {
  const before = probeTfjsNative();
  if (before.ok) return { route: "already loads", ...before };

  const tfjsDir = tfjsNodeDir();
  const depsDir = join(tfjsDir, "deps");
  const tried = [];
  const attempt = (name, fn) => {
    try {
      const note = fn();
      if (note === false) return null;
      const after = probeTfjsNative();
      if (after.ok) return { route: name, ...after };
      tried.push(`${name}: built, but the addon does not load (${after.error ?? after.backend})`);
    } catch (error) {
      tried.push(`${name}: ${error.message}`);
    }
    return null;
  };

  let done = null;
  if (depsHoldLibtensorflow(depsDir)) {
    log("  libtensorflow found in tfjs-node's deps/; building the addon");
    done = attempt("existing deps/", () => buildAddon(tfjsDir));
  }
  const local = process.env.TSLAB_KERAS_LIBTENSORFLOW;
  if (!done && local) {
    log(`  using TSLAB_KERAS_LIBTENSORFLOW=${local}`);
    done = attempt(`TSLAB_KERAS_LIBTENSORFLOW=${local}`, () => {
      if (!existsSync(join(local, "lib", "libtensorflow_cc.so.2")))
        throw new Error(`${local}/lib/libtensorflow_cc.so.2 not found`);
      linkDeps(depsDir, local);
      buildAddon(tfjsDir);
    });
  }
  if (!done && process.env.TSLAB_KERAS_SKIP_TFJS_DOWNLOAD !== "1") {
    log("  trying tfjs-node's own installer (Google storage or TFJS_NODE_CDN_STORAGE)");
    done = attempt(
      `tfjs-node installer${process.env.TFJS_NODE_CDN_STORAGE ? ` (TFJS_NODE_CDN_STORAGE=${process.env.TFJS_NODE_CDN_STORAGE})` : ""}`,
      () => {
        const why = tryOfficialInstaller(tfjsDir);
        if (why) throw new Error(why);
      },
    );
    if (!done && !isSymlinkedDeps(depsDir)) rmSync(depsDir, { recursive: true, force: true }); // no half-downloaded deps/
  }
  if (!done) {
    log(`  taking libtensorflow from the tensorflow-cpu ${tensorflowWheelVersion} wheel (pip)`);
    done = attempt(`tensorflow-cpu ${tensorflowWheelVersion} wheel via pip`, () => {
      const source = ensureLibtensorflowFromWheel();
      linkDeps(depsDir, source);
      buildAddon(tfjsDir);
    });
  }
  if (done) return done;
  throw new Error(
    [
      "tfjs-node's native TensorFlow backend could not be set up. Routes tried:",
      ...tried.map((t) => `  - ${t}`),
      "To fix: point TSLAB_KERAS_LIBTENSORFLOW at a folder with lib/libtensorflow_cc.so.2, lib/libtensorflow_framework.so.2",
      "and include/tensorflow/c/ (e.g. unpacked from a tensorflow-cpu wheel), or set TFJS_NODE_CDN_STORAGE to a mirror,",
      "then run `npm install` again. The pure-JS backend is never used silently.",
    ].join("\n"),
  );
}
