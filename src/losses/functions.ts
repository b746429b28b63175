/**
 * Keras 3's loss functions (keras/src/losses/losses.py with the TensorFlow backend's cross-entropies):
 * each maps `(yTrue, yPred)` to one value per sample (the last axis reduced). Only tfjs ops, no host
 * reads, so they trace into a graph. Probabilities are clipped to [1e-7, 1 - 1e-7] (Keras' `epsilon()`).
 */
import { tf } from "../tf";

/** Keras' `backend.epsilon()`. */
export const EPSILON = 1e-7;

export interface CrossentropyOptions {
  /** `yPred` holds logits (no softmax/sigmoid applied). Defaults to false. */
  fromLogits?: boolean;
  /** Smooths the labels towards uniform: y * (1 - s) + s / classes (0.5 for binary). Defaults to 0. */
  labelSmoothing?: number;
}

const float = (t: tf.Tensor) => (t.dtype === "float32" ? t : tf.cast(t, "float32"));

/**
 * Keras' squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer one ends in 1,
 * a rank-1 partner is expanded, otherwise the trailing 1 is squeezed.
 */
export function sameRank(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  if (a.rank === b.rank + 1 && a.shape[a.rank - 1] === 1) {
    return b.rank === 1 ? [a, tf.expandDims(b, -1)] : [tf.squeeze(a, [-1]), b];
  }
  if (b.rank === a.rank + 1 && b.shape[b.rank - 1] === 1) {
    return a.rank === 1 ? [tf.expandDims(a, -1), b] : [a, tf.squeeze(b, [-1])];
  }
  return [a, b];
}

/** Integer labels as int32 with one axis fewer than the predictions (squeezes a trailing 1). */
export function toIntLabels(yTrue: tf.Tensor, predRank: number): tf.Tensor {
  let labels = yTrue;
  if (labels.rank === predRank && labels.shape[labels.rank - 1] === 1) labels = tf.squeeze(labels, [-1]);
  return labels.dtype === "int32" ? labels : tf.cast(labels, "int32");
}

function smoothing(o: CrossentropyOptions | undefined): number {
  const s = o?.labelSmoothing ?? 0;
  if (typeof s !== "number" || !(s >= 0 && s <= 1)) {
    throw new Error(`labelSmoothing must be a number between 0 and 1, got ${JSON.stringify(s)}`);
  }
  return s;
}

/** Categorical cross-entropy of one-hot `yTrue` and probabilities (rows renormalised, clipped) or logits. */
export function categoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, options?: CrossentropyOptions): tf.Tensor {
  return tf.tidy(() => {
    let y = float(yTrue);
    const s = smoothing(options);
    if (s > 0) y = tf.add(tf.mul(y, 1 - s), s / yPred.shape[yPred.rank - 1]);
    if (options?.fromLogits) return tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(yPred, -1)), -1));
    const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return tf.neg(tf.sum(tf.mul(y, tf.log(p)), -1));
  });
}

/** Cross-entropy of integer labels `yTrue` (shape `[N]` or `[N, 1]`) and probabilities or logits. */
export function sparseCategoricalCrossentropy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options?: { fromLogits?: boolean },
): tf.Tensor {
  return tf.tidy(() => {
    const labels = toIntLabels(yTrue, yPred.rank);
    // Keras feeds log(clip(p)) to sparse_softmax_cross_entropy_with_logits, which renormalises the rows.
    const logits = options?.fromLogits ? yPred : tf.log(tf.clipByValue(yPred, EPSILON, 1 - EPSILON));
    const picked = tf.sum(tf.mul(tf.oneHot(labels, yPred.shape[yPred.rank - 1]), logits), -1);
    return tf.sub(tf.logSumExp(logits, -1), picked);
  });
}

/** Binary cross-entropy of 0/1 labels and probabilities (or logits), averaged over the last axis. */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor, options?: CrossentropyOptions): tf.Tensor {
  return tf.tidy(() => {
    let y = float(yTrue);
    const s = smoothing(options);
    if (s > 0) y = tf.add(tf.mul(y, 1 - s), 0.5 * s);
    if (options?.fromLogits) {
      // tf.nn.sigmoid_cross_entropy_with_logits: max(x, 0) - x z + log(1 + exp(-|x|))
      const x = yPred;
      const ce = tf.add(tf.sub(tf.relu(x), tf.mul(x, y)), tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
      return tf.mean(ce, -1);
    }
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    const bce = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(bce, -1));
  });
}

export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    return tf.mean(tf.squaredDifference(p, t), -1);
  });
}

export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    return tf.mean(tf.abs(tf.sub(p, t)), -1);
  });
}

/** 100 * mean(|y - p| / max(|y|, eps)). */
export function meanAbsolutePercentageError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    const diff = tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON)));
    return tf.mul(100, tf.mean(diff, -1));
  });
}

/** mean((log(max(p, eps) + 1) - log(max(y, eps) + 1))^2). */
export function meanSquaredLogarithmicError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    const first = tf.log(tf.add(tf.maximum(p, EPSILON), 1));
    const second = tf.log(tf.add(tf.maximum(t, EPSILON), 1));
    return tf.mean(tf.square(tf.sub(first, second)), -1);
  });
}

/** Huber loss: 0.5 x^2 where |x| <= delta, delta |x| - 0.5 delta^2 beyond; mean over the last axis. */
export function huber(yTrue: tf.Tensor, yPred: tf.Tensor, options?: { delta?: number }): tf.Tensor {
  const delta = options?.delta ?? 1.0;
  if (typeof delta !== "number" || !Number.isFinite(delta)) {
    throw new Error(`huber: delta must be a number, got ${JSON.stringify(delta)}`);
  }
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    // Keras' where(|x| <= delta, 0.5 x^2, delta |x| - 0.5 delta^2), written without a branch on the
    // error (tfjs has no gradient through the comparison): q = min(|x|, delta), 0.5 q^2 + delta (|x| - q).
    const absError = tf.abs(tf.sub(p, t));
    const q = tf.minimum(absError, delta);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(q)), tf.mul(delta, tf.sub(absError, q))), -1);
  });
}

/** mean(log(cosh(p - y))), computed as x + softplus(-2x) - log(2). */
export function logCosh(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    const x = tf.sub(p, t);
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2)), -1);
  });
}

/** sum(y log(y / p)) with both clipped to [eps, 1]. */
export function klDivergence(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.clipByValue(float(yTrue), EPSILON, 1);
    const p = tf.clipByValue(yPred, EPSILON, 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  });
}

/** mean(p - y log(p + eps)). */
export function poisson(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    return tf.mean(tf.sub(p, tf.mul(t, tf.log(tf.add(p, EPSILON)))), -1);
  });
}

/** Keras converts 0/1 labels to -1/1 for the hinge losses (when every label is 0 or 1); without a branch. */
function hingeLabels(yTrue: tf.Tensor): tf.Tensor {
  const y = float(yTrue);
  const binary = tf.cast(tf.all(tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1))), "float32");
  return tf.add(y, tf.mul(binary, tf.sub(y, 1))); // binary: 2y - 1; otherwise y
}

/** mean(max(1 - y p, 0)). */
export function hinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(hingeLabels(yTrue), yPred);
    return tf.mean(tf.relu(tf.sub(1, tf.mul(t, p))), -1);
  });
}

/** mean(max(1 - y p, 0)^2). */
export function squaredHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(hingeLabels(yTrue), yPred);
    return tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(t, p)))), -1);
  });
}

/** max(max((1 - y) p) - sum(y p) + 1, 0). */
export function categoricalHinge(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const y = float(yTrue);
    const pos = tf.sum(tf.mul(y, yPred), -1);
    const neg = tf.max(tf.mul(tf.sub(1, y), yPred), -1);
    return tf.relu(tf.add(tf.sub(neg, pos), 1));
  });
}

export const mse = meanSquaredError;
export const mae = meanAbsoluteError;
export const mape = meanAbsolutePercentageError;
export const msle = meanSquaredLogarithmicError;
export const kld = klDivergence;
