/** Input scaling used by the lessons: mean/std standardisation and min–max scaling. */
import { tf } from "../tf";
import { type DataLike, toTensor } from "../models/data";
import { meanStd } from "./stats";

export interface NormalizeOptions {
  /** Axes to average over (default 0: per feature), e.g. [0, 1, 2] for per-channel image statistics. */
  axis?: number | number[];
  /** Use these statistics (e.g. the training set's) instead of computing them from x. */
  mean?: tf.Tensor;
  std?: tf.Tensor;
}

/**
 * `(x - mean) / std` with NumPy's population std, as lesson 004 does:
 *   const { x: xTrain, mean, std } = utils.normalize(xTrainRaw, { axis: [0, 1, 2] });
 *   const { x: xTest } = utils.normalize(xTestRaw, { mean, std });
 * Returns new tensors (the caller owns `x`, `mean` and `std`).
 */
export function normalize(
  x: DataLike,
  options: NormalizeOptions = {},
): { x: tf.Tensor; mean: tf.Tensor; std: tf.Tensor } {
  const owned: tf.Tensor[] = [];
  try {
    const t = toTensor(x, "normalize: x", owned);
    return tf.tidy(() => {
      let mean = options.mean;
      let std = options.std;
      if (!mean || !std) {
        // Exact float64 statistics: tf.moments sums in float32 and drifts on large arrays (see stats.ts).
        const m = meanStd(t, { axis: options.axis ?? 0, keepDims: true });
        mean ??= m.mean;
        std ??= m.std;
      }
      return { x: tf.div(tf.sub(t, mean), std), mean: mean.clone(), std: std.clone() };
    });
  } finally {
    tf.dispose(owned);
  }
}

export interface MinMaxOptions {
  /** Axes to take min/max over (default 0: per column, as `np.min(data, 0)`). */
  axis?: number | number[];
  /** Added to the range to avoid dividing by zero (default 1e-5, as lesson 003's MinMaxScaler). */
  epsilon?: number;
}

/** `(x - min) / (max - min + 1e-5)` per column — lesson 003's `MinMaxScaler(data)`. */
export function minMaxScale(x: DataLike, options: MinMaxOptions = {}): tf.Tensor {
  const owned: tf.Tensor[] = [];
  try {
    const t = toTensor(x, "minMaxScale: x", owned);
    const axis = options.axis ?? 0;
    return tf.tidy(() => {
      const min = tf.min(t, axis, true);
      const max = tf.max(t, axis, true);
      return tf.div(tf.sub(t, min), tf.add(tf.sub(max, min), options.epsilon ?? 1e-5));
    });
  } finally {
    tf.dispose(owned);
  }
}
