/**
 * Where datasets live on disk: the project's cache (read and written) and Keras' cache (read only).
 */
import * as os from "node:os";
import * as path from "node:path";
import type { DatasetName } from "./spec";

/**
 * The project's dataset cache root, in order of precedence:
 * `TSLAB_KERAS_DATASETS`, `$TSLAB_KERAS_CACHE/datasets`, `$XDG_CACHE_HOME/tslab-keras/datasets`,
 * `~/.cache/tslab-keras/datasets`.
 */
export function datasetsCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TSLAB_KERAS_DATASETS) return path.resolve(env.TSLAB_KERAS_DATASETS);
  if (env.TSLAB_KERAS_CACHE) return path.resolve(env.TSLAB_KERAS_CACHE, "datasets");
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : undefined;
  return path.join(xdg ?? path.join(os.homedir(), ".cache"), "tslab-keras", "datasets");
}

/** One dataset's folder in the project's cache. */
export function datasetCacheDir(name: DatasetName, root?: string): string {
  return path.join(root ?? datasetsCacheRoot(), name);
}

/** Keras' `datasets` folder: `$KERAS_HOME/datasets`, else `~/.keras/datasets`. */
export function kerasDatasetsDir(env: NodeJS.ProcessEnv = process.env): string {
  const kerasHome = env.KERAS_HOME ? path.resolve(env.KERAS_HOME) : path.join(os.homedir(), ".keras");
  return path.join(kerasHome, "datasets");
}
