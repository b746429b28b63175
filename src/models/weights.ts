/**
 * fit's per-sample weights, as Keras 3 builds them: `sampleWeight` (one number per sample), or
 * `classWeight` turned into sample weights from the labels (one-hot → argmax, else the rounded label).
 * Keras refuses both at once.
 */
import { tf } from "../tf";
import { type DataLike, assertFinite, formatShape, toTensor } from "./data";

/** `{ 0: 1, 1: 5 }`: weight per class index. */
export type ClassWeight = Record<number, number>;

/** A float32 [N] weight tensor from what the user passed (created tensors go to `owned`). */
export function prepareSampleWeight(
  value: DataLike,
  n: number,
  what: string,
  fn: string,
  owned: tf.Tensor[],
): tf.Tensor {
  const isPlainObject =
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof tf.Tensor);
  if (isPlainObject) {
    throw new Error(
      `${fn}: ${what} per output ({ ${Object.keys(value).join(", ")} }) is not supported by tslab-keras yet; ` +
        "pass one array of per-sample weights, which weights every output's loss and metrics.",
    );
  }
  let w = toTensor(value, what, owned);
  if (w.rank === 2 && w.shape[1] === 1) {
    w = tf.reshape(w, [w.shape[0]]);
    owned.push(w);
  }
  if (w.rank !== 1 || w.shape[0] !== n) {
    throw new Error(
      `${fn}: ${what} must hold one weight per sample, shape ${formatShape([n])}, but has shape ${formatShape(w.shape)}`,
    );
  }
  assertFinite(w, `${fn}: ${what}`);
  return w;
}

/** Keras' class_weight_to_sample_weights: weight of each sample's class (1 for classes not listed). */
export function classWeightToSampleWeight(y: tf.Tensor, classWeight: ClassWeight, owned: tf.Tensor[]): tf.Tensor {
  if (typeof classWeight !== "object" || classWeight === null || Array.isArray(classWeight)) {
    throw new Error(`fit: classWeight must be an object mapping class indices to weights, e.g. { 0: 1, 1: 5 }`);
  }
  const table = new Map<number, number>();
  for (const [k, v] of Object.entries(classWeight)) {
    const cls = Number(k);
    if (!Number.isInteger(cls) || typeof v !== "number" || !Number.isFinite(v)) {
      throw new Error(`fit: classWeight maps class indices to numbers; got ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
    }
    table.set(cls, v);
  }
  const ids = tf.tidy(() => {
    let labels = y;
    if (labels.rank > 1)
      labels = labels.shape[labels.rank - 1] !== 1 ? tf.argMax(labels, -1) : tf.squeeze(labels, [-1]);
    return tf.round(tf.cast(labels, "float32")).dataSync();
  });
  const weights = Float32Array.from(ids, (c) => table.get(c) ?? 1);
  const w = tf.tensor1d(weights);
  owned.push(w);
  return w;
}
