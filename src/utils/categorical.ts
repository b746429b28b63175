/** Keras' `utils.to_categorical` and NumPy's `argmax`, for labels and predictions. */
import { tf } from "../tf";
import { type DataLike, toTensor } from "../models/data";

/**
 * One-hot encodes integer class labels: `[5, 0, 4]` → rows of length `numClasses` (default: max + 1).
 * Labels shaped `[N, 1]` (as CIFAR-10's) are squeezed first, as Keras does.
 */
export function toCategorical(y: DataLike, numClasses?: number): tf.Tensor2D {
  const owned: tf.Tensor[] = [];
  try {
    const t = toTensor(y, "toCategorical: y", owned);
    const flat = t.rank > 1 && t.shape[t.rank - 1] === 1 ? t.reshape(t.shape.slice(0, -1)) : t;
    if (flat !== t) owned.push(flat);
    if (flat.rank !== 1) {
      throw new Error(
        `toCategorical: expected one integer label per sample (shape (N,) or (N, 1)), got shape (${t.shape.join(", ")})`,
      );
    }
    const values = flat.dataSync();
    let max = -1;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isInteger(v) || v < 0)
        throw new Error(`toCategorical: labels must be integers >= 0, found ${v} at index ${i}`);
      if (v > max) max = v;
    }
    const classes = numClasses ?? max + 1;
    if (!Number.isInteger(classes) || classes <= 0)
      throw new Error(`toCategorical: numClasses must be a positive integer, got ${classes}`);
    if (max >= classes)
      throw new Error(
        `toCategorical: label ${max} is out of range for numClasses=${classes} (labels must be 0..${classes - 1})`,
      );
    return tf.tidy(() => tf.oneHot(tf.cast(flat, "int32"), classes).toFloat()) as tf.Tensor2D;
  } finally {
    tf.dispose(owned);
  }
}

/**
 * NumPy's `argmax`: without `axis`, the index of the largest value of the flattened array (a number,
 * as `np.argmax(preds)` in the lessons); with `axis` (e.g. -1), a tensor of indices along it.
 */
export function argmax(x: tf.Tensor | DataLike): number;
export function argmax(x: tf.Tensor | DataLike, axis: number): tf.Tensor;
export function argmax(x: tf.Tensor | DataLike, axis?: number): number | tf.Tensor {
  const owned: tf.Tensor[] = [];
  try {
    const t = toTensor(x, "argmax: x", owned);
    if (axis === undefined) return tf.tidy(() => tf.argMax(tf.reshape(t, [-1])).dataSync()[0]);
    return tf.argMax(t, axis);
  } finally {
    tf.dispose(owned);
  }
}
