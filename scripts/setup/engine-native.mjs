#!/usr/bin/env node
// Builds the training engine's native addon (native/engine.cc → native/build/Release/tslab_keras_engine.node)
// against the libtensorflow tfjs-node uses (its deps/ folder: include/ and lib/). Idempotent: skips the
// build when the addon is newer than its sources and loads. Without it the library still works (eager
// training); so a failure here is reported, not fatal, unless --strict is given.
//
//   node scripts/setup/engine-native.mjs [--force] [--strict]
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { nodeDir, nodeGypScript } from "./gyp.mjs";
import { run } from "./run.mjs";
import { projectRoot, tfjsNodeDir } from "./paths.mjs";

const nativeDir = join(projectRoot, "native");
const addon = join(nativeDir, "build", "Release", "tslab_keras_engine.node");
const sources = ["engine.cc", "dropout_op.cc", "dropout_op.h", "binding.gyp"].map((f) => join(nativeDir, f));

function upToDate() {
  if (!existsSync(addon)) return false;
  const built = statSync(addon).mtimeMs;
  return sources.every((s) => statSync(s).mtimeMs <= built);
}

function loads() {
  const code = `
    const util = require("node:util");
    if (typeof util.isNullOrUndefined !== "function") util.isNullOrUndefined = (x) => x === null || x === undefined;
    require("@tensorflow/tfjs-node");
    console.log(require(${JSON.stringify(addon)}).version());`;
  const r = run(process.execPath, ["-e", code], {
    cwd: projectRoot,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" },
    timeout: 120_000,
  });
  return r.status === 0 ? r.stdout.trim().split("\n").pop() : undefined;
}

/** Returns a one-line outcome; throws only when `strict`. */
export function ensureEngineNative({ force = false, strict = false, log = console.log } = {}) {
  try {
    if (!force && upToDate()) {
      const v = loads();
      if (v) return `present (TensorFlow ${v})`;
    }
    const tfDir = join(tfjsNodeDir(), "deps");
    if (!existsSync(join(tfDir, "include", "tensorflow", "c", "c_api.h")))
      throw new Error(`no libtensorflow headers in ${tfDir}`);
    const gyp = nodeGypScript();
    if (!gyp) throw new Error("node-gyp was not found (it ships with npm)");
    const args = [gyp, "rebuild", "--directory", nativeDir];
    const nd = nodeDir();
    if (nd) args.push(`--nodedir=${nd}`);
    args.push("--", `-Dtf_dir=${tfDir}`);
    const r = run(process.execPath, args, { cwd: projectRoot, env: { ...process.env, JOBS: "max" } });
    if (r.status !== 0)
      throw new Error(`node-gyp failed: ${(r.stderr || r.stdout).trim().split("\n").slice(-4).join(" | ")}`);
    const v = loads();
    if (!v) throw new Error("the addon was built but does not load");
    return `built (TensorFlow ${v})`;
  } catch (error) {
    if (strict) throw error;
    log(`tslab-keras setup: engine addon unavailable, training stays eager: ${error.message}`);
    return `unavailable: ${error.message}`;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outcome = ensureEngineNative({
    force: process.argv.includes("--force"),
    strict: process.argv.includes("--strict"),
  });
  console.log(`tslab-keras engine addon: ${outcome}`);
}
