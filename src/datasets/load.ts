/**
 * Making sure a dataset is in the cache (checking what is there, fetching what is not), then
 * reading it into plain typed arrays shaped as Keras returns them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkCachedFile, DatasetFileError, removeStalePartials, scratchDirPrefix } from "./files";
import { datasetCacheDir } from "./paths";
import { Progress, type ProgressCallback } from "./progress";
import { manualInstructions, sourcesFor, type SourceId } from "./sources";
import { CIFAR_RECORD_BYTES, type DatasetName, type DatasetSpec, type FileSpec, SPECS } from "./spec";

export interface LoadOptions {
  /** Keep only the first `limit` training examples (in file order). */
  limit?: number;
  /** Keep only the first `testLimit` test examples (default: `limit`, if given). */
  testLimit?: number;
  /** Check every cached file's sha256 (a few hundred ms per 50 MB); by default size + header only. */
  verify?: boolean;
  onProgress?: ProgressCallback;
  /** Where progress is shown; "auto": the notebook in the kernel, else the terminal (stderr). */
  progress?: "auto" | "terminal" | "notebook" | "none";
  /** Sources to try when the cache lacks files (default: `TSLAB_KERAS_DATASET_SOURCES`, else all). */
  sources?: readonly SourceId[];
  /** Cache folder for this dataset (default: `datasetCacheDir(name)`). */
  cacheDir?: string;
}

/** A typed array with its shape, e.g. `{ data: Uint8Array(47040000), shape: [60000, 28, 28] }`. */
export interface ShapedArray {
  data: Uint8Array;
  shape: number[];
}

export type ArraySplits = [[ShapedArray, ShapedArray], [ShapedArray, ShapedArray]];

/** No source could provide the dataset; lists what was refused and tried, and the manual way. */
export class DatasetUnavailableError extends Error {
  constructor(
    readonly dataset: string,
    readonly attempts: string[],
    readonly instructions: string,
  ) {
    const tried = attempts.map((line) => `  - ${line}`).join("\n");
    super(`${dataset} is not in the cache and no source could provide it. Tried:\n${tried}\n${instructions}`);
    this.name = "DatasetUnavailableError";
  }
}

const inFlight = new Map<string, Promise<string>>();

/** Ensures every file of `name` is in its cache folder (fetching what is missing); returns the folder. */
export function ensureDataset(name: DatasetName, options: LoadOptions = {}): Promise<string> {
  const dir = options.cacheDir ?? datasetCacheDir(name);
  const key = `${dir}\0${options.verify ? "v" : ""}`;
  let pending = inFlight.get(key);
  if (!pending) {
    pending = ensureUncached(SPECS[name], dir, options).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

/**
 * Earlier versions fetched into `<system temp>/tslab-keras-<dataset>-XXXXXX` and a killed load left its
 * tarball there (133 MB for CIFAR-10). Such folders untouched for an hour are removed.
 */
async function removeLegacyScratch(name: string): Promise<void> {
  const tmp = os.tmpdir();
  const prefix = `tslab-keras-${name}-`;
  const names = await fs.promises.readdir(tmp).catch(() => [] as string[]);
  for (const entry of names) {
    if (!entry.startsWith(prefix) || !/^[A-Za-z0-9]{6}$/.test(entry.slice(prefix.length))) continue;
    const folder = path.join(tmp, entry);
    const stats = await Promise.all(
      [folder, ...(await fs.promises.readdir(folder).catch(() => [])).map((f) => path.join(folder, f))].map((f) =>
        fs.promises.stat(f).catch(() => undefined),
      ),
    );
    const newest = Math.max(...stats.map((s) => s?.mtimeMs ?? 0));
    if (Date.now() - newest > 3600 * 1000) await fs.promises.rm(folder, { recursive: true, force: true });
  }
}

async function ensureUncached(spec: DatasetSpec, dir: string, options: LoadOptions): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  await removeStalePartials(dir);
  await removeLegacyScratch(spec.name);
  const attempts: string[] = [];
  const missing: FileSpec[] = [];
  for (const file of spec.files) {
    const cached = path.join(dir, file.name);
    if (!fs.existsSync(cached)) {
      missing.push(file);
      continue;
    }
    try {
      await checkCachedFile(cached, file, options.verify ?? false);
    } catch (error) {
      if (!(error instanceof DatasetFileError)) throw error;
      process.emitWarning(error.message, "DatasetFileWarning");
      attempts.push(`cache: refused ${error.message}`);
      missing.push(file);
    }
  }
  if (missing.length === 0) return dir;

  const progress = new Progress(spec.title, { display: options.progress, onProgress: options.onProgress });
  const started = Date.now();
  const isMissing = (file: FileSpec) => !fs.existsSync(path.join(dir, file.name));
  let lastSource = "";
  const sources = sourcesFor(spec.name, options.sources);
  if (sources.length === 0) attempts.push("no other source enabled (options.sources or TSLAB_KERAS_DATASET_SOURCES)");
  for (const source of sources) {
    const stillMissing = missing.filter(isMissing);
    if (stillMissing.length === 0) break;
    const tmpDir = await fs.promises.mkdtemp(scratchDirPrefix(dir));
    try {
      await source.fetch({ spec, cacheDir: dir, missing: stillMissing, progress, tmpDir });
      lastSource = source.label;
    } catch (error) {
      attempts.push(`${source.label}: ${(error as Error).message}`);
    } finally {
      await fs.promises.rm(tmpDir, { recursive: true, force: true });
    }
  }
  const unresolved = missing.filter(isMissing);
  if (unresolved.length > 0) {
    progress.finish("failed");
    const instructions = manualInstructions(spec, dir);
    throw new DatasetUnavailableError(
      spec.title,
      [`cache ${dir}: lacks ${unresolved.map((f) => f.name).join(", ")}`, ...attempts],
      instructions,
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  progress.finish(`cached ${missing.length} file(s) from ${lastSource || "the sources"} in ${seconds} s → ${dir}`);
  return dir;
}

async function readPrefix(file: string, bytes: number): Promise<Buffer> {
  if (bytes >= (await fs.promises.stat(file)).size) return fs.promises.readFile(file);
  const buffer = Buffer.allocUnsafe(bytes);
  const handle = await fs.promises.open(file, "r");
  try {
    let done = 0;
    while (done < bytes) {
      const { bytesRead } = await handle.read(buffer, done, bytes - done, done);
      if (bytesRead === 0) throw new Error(`${file} ended after ${done} of ${bytes} bytes`);
      done += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return buffer;
}

function clampCount(requested: number | undefined, available: number, option: string): number {
  if (requested === undefined) return available;
  if (!Number.isInteger(requested) || requested < 0)
    throw new RangeError(`${option} must be a non-negative integer, got ${requested}`);
  return Math.min(requested, available);
}

async function readIdx(file: string, spec: FileSpec, count: number): Promise<Uint8Array> {
  if (spec.format.kind !== "idx") throw new Error(`${spec.name} is not an idx file`);
  const headerBytes = 4 + 4 * spec.format.dims.length;
  const itemBytes = spec.format.dims.slice(1).reduce((a, b) => a * b, 1);
  const buffer = await readPrefix(file, headerBytes + count * itemBytes);
  return buffer.subarray(headerBytes, headerBytes + count * itemBytes);
}

/** Reads `count` CIFAR records from `files` into Keras' layout: x [n,32,32,3] (HWC), y [n,1]. */
async function readCifar(dir: string, files: FileSpec[], count: number): Promise<[ShapedArray, ShapedArray]> {
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  let image = 0;
  for (const file of files) {
    if (image >= count) break;
    const records = Math.min(count - image, 10000);
    const batch = await readPrefix(path.join(dir, file.name), records * CIFAR_RECORD_BYTES);
    for (let r = 0; r < records; r++, image++) {
      const record = r * CIFAR_RECORD_BYTES;
      labels[image] = batch[record];
      // The batch stores each image as 1024 R, 1024 G, 1024 B; Keras returns pixels with RGB last.
      const out = image * 3072;
      for (let p = 0; p < 1024; p++) {
        const o = out + p * 3;
        images[o] = batch[record + 1 + p];
        images[o + 1] = batch[record + 1025 + p];
        images[o + 2] = batch[record + 2049 + p];
      }
    }
  }
  return [
    { data: images, shape: [count, 32, 32, 3] },
    { data: labels, shape: [count, 1] },
  ];
}

/** Loads `name` as plain Uint8Arrays (values 0-255), shaped and ordered as Keras' `load_data()`. */
export async function loadArrays(name: DatasetName, options: LoadOptions = {}): Promise<ArraySplits> {
  const spec = SPECS[name];
  const dir = await ensureDataset(name, options);
  const trainCount = clampCount(options.limit, spec.trainCount, "limit");
  const testCount = clampCount(options.testLimit ?? options.limit, spec.testCount, "testLimit");
  if (name === "cifar10") {
    const train = await readCifar(
      dir,
      spec.files.filter((f) => f.role === "trainBatch"),
      trainCount,
    );
    const test = await readCifar(
      dir,
      spec.files.filter((f) => f.role === "testBatch"),
      testCount,
    );
    return [train, test];
  }
  const byRole = (role: FileSpec["role"]) => spec.files.find((f) => f.role === role) as FileSpec;
  const read = (role: FileSpec["role"], count: number) =>
    readIdx(path.join(dir, byRole(role).name), byRole(role), count);
  const [xTrain, yTrain, xTest, yTest] = await Promise.all([
    read("trainImages", trainCount),
    read("trainLabels", trainCount),
    read("testImages", testCount),
    read("testLabels", testCount),
  ]);
  const imageShape = spec.imageShape;
  return [
    [
      { data: xTrain, shape: [trainCount, ...imageShape] },
      { data: yTrain, shape: [trainCount] },
    ],
    [
      { data: xTest, shape: [testCount, ...imageShape] },
      { data: yTest, shape: [testCount] },
    ],
  ];
}
