/**
 * Saving and loading. Keras writes HDF5 / `.keras` zips; we cannot, so `save(path)` writes ONE file at
 * exactly the path the user named (whatever its extension, e.g. `model/mnist-25-0.2610.hdf5`): a JSON
 * document holding tfjs-layers' model topology, our layer extras (regularizers), the compile
 * configuration (optimizer class + config, loss, metrics) and all weights as base64 float32
 * (little-endian, in `model.weights` order). `saveWeights` writes the same format without topology.
 *
 * Writes are atomic: the file is written to a temporary sibling, flushed, then renamed over the target,
 * so a save killed half-way never leaves a truncated file that a later load would trust.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tf } from "../tf";

export const MODEL_FORMAT = "tslab-keras-model";
export const WEIGHTS_FORMAT = "tslab-keras-weights";
export const FORMAT_VERSION = 1;

export interface WeightSpec {
  name: string;
  shape: number[];
}

export interface SavedWeights {
  format: string;
  formatVersion: number;
  weightSpecs: WeightSpec[];
  /** base64 of all weights' float32 values, concatenated in spec order. */
  weightData: string;
}

export interface SavedModel extends SavedWeights {
  name: string;
  modelTopology: unknown;
  /** Per layer name: regularizers etc. as `{ className, config }`. */
  layerExtras: Record<string, Record<string, { className: string; config: unknown } | undefined>>;
  compile: {
    optimizer?: { className: string; config: unknown };
    loss?: string;
    metrics: string[];
    /** Functional models with several outputs: per-output losses, weights and metrics. */
    functional?: { losses: (string | null)[]; lossWeights: number[]; metrics: string[][] };
  } | null;
}

export function encodeWeights(
  weights: { name: string; value: tf.Tensor }[],
): Pick<SavedWeights, "weightSpecs" | "weightData"> {
  const arrays = weights.map((w) => w.value.dataSync() as Float32Array);
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const a of arrays) {
    all.set(a, offset);
    offset += a.length;
  }
  return {
    weightSpecs: weights.map((w) => ({ name: w.name, shape: [...w.value.shape] })),
    weightData: Buffer.from(all.buffer, all.byteOffset, all.byteLength).toString("base64"),
  };
}

/** The saved weights as tensors (the caller owns them). */
export function decodeWeights(saved: SavedWeights, file: string): tf.Tensor[] {
  const bytes = Buffer.from(saved.weightData, "base64");
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const need = saved.weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  if (values.length !== need)
    throw new Error(`${file}: weight data is corrupt (expected ${need} values, found ${values.length})`);
  let offset = 0;
  return saved.weightSpecs.map((w) => {
    const size = w.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(values.subarray(offset, offset + size), w.shape, "float32");
    offset += size;
    return t;
  });
}

/** Writes `text` to `file` atomically (temp sibling + fsync + rename). Creates missing parent folders. */
export function writeFileAtomic(file: string, text: string, overwrite = true): void {
  if (!overwrite && fs.existsSync(file)) {
    throw new Error(`${file} already exists; pass { overwrite: true } to replace it`);
  }
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new Error(`${file} is a folder; save needs a file path such as model/best.json`);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Reads and validates a file written by save/saveWeights. */
export function readSaved<T extends SavedWeights>(file: string, format: string): T {
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  let parsed: T;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    throw new Error(
      `${file} is not a tslab-keras save file (it is not JSON; HDF5/.keras files from Python Keras cannot be read)`,
    );
  }
  if (parsed?.format !== format && !(format === WEIGHTS_FORMAT && parsed?.format === MODEL_FORMAT)) {
    const what =
      format === MODEL_FORMAT
        ? "model (written by model.save)"
        : "weights file (written by model.saveWeights or model.save)";
    throw new Error(`${file} is not a tslab-keras ${what}`);
  }
  if (parsed.formatVersion > FORMAT_VERSION)
    throw new Error(`${file} was written by a newer tslab-keras (format ${parsed.formatVersion})`);
  return parsed;
}

/** Replaces initializer configs whose class tfjs cannot deserialize (weights are loaded anyway). */
export function portableTopology(topology: unknown): unknown {
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const cls = (v as { class_name?: string } | null)?.class_name;
        out[k] = k.endsWith("_initializer") && cls && !known[cls] ? { class_name: "Zeros", config: {} } : visit(v);
      }
      return out;
    }
    return node;
  };
  return visit(topology);
}
