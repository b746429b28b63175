/**
 * BackupAndRestore's own file format: a JSON file of weight specs and base64 float32 data (model
 * weights, then the optimizer's). Internal to the callback — a backup is read back only by the same
 * library — so it stays simple; real Keras files are src/saving/'s business.
 */
import { tf } from "../tf";

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

export function encodeWeights(
  weights: { name: string; value: tf.Tensor }[],
): Pick<SavedWeights, "weightSpecs" | "weightData"> {
  const arrays = weights.map((w) => Float32Array.from(w.value.dataSync()));
  const all = new Float32Array(arrays.reduce((s, a) => s + a.length, 0));
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

/** The saved weights as tensors (the caller owns them); a wrong data length says the file is corrupt. */
export function decodeWeights(saved: SavedWeights, file: string): tf.Tensor[] {
  const bytes = Buffer.from(saved.weightData, "base64");
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const need = saved.weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
  if (values.length !== need)
    throw new Error(`${file}: the backup is corrupt (expected ${need} values, found ${values.length})`);
  let offset = 0;
  return saved.weightSpecs.map((w) => {
    const size = w.shape.reduce((a, b) => a * b, 1);
    const t = tf.tensor(values.subarray(offset, offset + size), w.shape, "float32");
    offset += size;
    return t;
  });
}
