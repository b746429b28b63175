// Where node-gyp and Node's headers are, for the two native builds (tfjs-node's addon, the engine addon).
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** node-gyp as npm ships it (no download, no global install needed). */
export function nodeGypScript() {
  const candidates = [];
  if (process.env.npm_execpath) {
    candidates.push(join(dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  }
  const prefix = dirname(dirname(process.execPath));
  candidates.push(join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  return candidates.find((p) => existsSync(p));
}

/** A folder with Node's headers (include/node/node_api.h), so node-gyp never downloads them. */
export function nodeDir() {
  for (const candidate of [process.env.npm_config_nodedir, dirname(dirname(process.execPath)), "/usr", "/usr/local"]) {
    if (candidate && existsSync(join(candidate, "include", "node", "node_api.h"))) return candidate;
  }
  return undefined;
}
