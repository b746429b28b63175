/**
 * Keras' losses, computed as Keras computes them: each function maps `(yTrue, yPred)` to one value per
 * sample (the last axis reduced); `compile` averages over the batch. Probabilities are clipped to
 * [1e-7, 1 - 1e-7] (Keras' `epsilon()`) before any log.
 *
 *   losses.get("categorical_crossentropy")   // by Keras name or alias
 *   losses.categoricalCrossentropy(yTrue, yPred)
 */
import { tf } from "../tf";
import { unknownIdentifierError } from "../utils/suggest";

/** Keras' `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** A loss: per-sample values (any shape; compile takes the mean). */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Categorical cross-entropy of one-hot `yTrue` and probabilities `yPred` (rows renormalised, then clipped). */
export function categoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), EPSILON, 1 - EPSILON);
    return tf.neg(tf.sum(tf.mul(yTrue, tf.log(p)), -1));
  });
}

/** Cross-entropy of integer labels `yTrue` (shape `[N]` or `[N, 1]`) and probabilities `yPred`. */
export function sparseCategoricalCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const labels = toIntLabels(yTrue, yPred.rank);
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    const logP = tf.log(p);
    // Keras feeds log(clip(p)) to sparse_softmax_cross_entropy_with_logits, which renormalises the rows.
    const logSum = tf.log(tf.sum(p, -1));
    const picked = tf.sum(tf.mul(tf.oneHot(labels, yPred.shape[yPred.rank - 1]), logP), -1);
    return tf.sub(logSum, picked);
  });
}

/** Binary cross-entropy, averaged over the last axis. */
export function binaryCrossentropy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const p = tf.clipByValue(yPred, EPSILON, 1 - EPSILON);
    const y = tf.cast(yTrue, "float32");
    const bce = tf.add(tf.mul(y, tf.log(p)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(bce, -1));
  });
}

export function meanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.squaredDifference(yPred, tf.cast(yTrue, "float32")), -1));
}

export function meanAbsoluteError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(yPred, tf.cast(yTrue, "float32"))), -1));
}

/** Integer labels as int32 with one axis fewer than the predictions (squeezes a trailing 1). */
export function toIntLabels(yTrue: tf.Tensor, predRank: number): tf.Tensor {
  let labels = yTrue;
  if (labels.rank === predRank && labels.shape[labels.rank - 1] === 1) labels = tf.squeeze(labels, [-1]);
  return labels.dtype === "int32" ? labels : tf.cast(labels, "int32");
}

export const mse = meanSquaredError;
export const mae = meanAbsoluteError;

/** Which family a loss belongs to; decides label checks and what `accuracy` means. */
export type LossKind = "categorical" | "sparse_categorical" | "binary" | "regression" | "custom";

interface LossEntry {
  fn: LossFn;
  kind: LossKind;
  canonical: string;
}

const LOSSES: Record<string, LossEntry> = {};
function register(names: string[], fn: LossFn, kind: LossKind): void {
  for (const n of names) LOSSES[n] = { fn, kind, canonical: names[0] };
}
register(["categorical_crossentropy", "CategoricalCrossentropy"], categoricalCrossentropy, "categorical");
register(
  ["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"],
  sparseCategoricalCrossentropy,
  "sparse_categorical",
);
register(["binary_crossentropy", "BinaryCrossentropy"], binaryCrossentropy, "binary");
register(["mean_squared_error", "mse", "MSE", "MeanSquaredError"], meanSquaredError, "regression");
register(["mean_absolute_error", "mae", "MAE", "MeanAbsoluteError"], meanAbsoluteError, "regression");

/** Keras names (and aliases) `get` accepts. */
export const LOSS_NAMES: readonly string[] = [
  "categorical_crossentropy",
  "sparse_categorical_crossentropy",
  "binary_crossentropy",
  "mean_squared_error",
  "mse",
  "mean_absolute_error",
  "mae",
];

/** Activation names, so `loss: "softmax"` can be explained instead of just rejected. */
const ACTIVATION_NAMES = ["softmax", "sigmoid", "relu", "tanh", "linear", "elu", "selu", "softplus", "softsign"];

export interface ResolvedLoss {
  /** The Keras name (`"categorical_crossentropy"`), or the function's name for a custom loss. */
  name: string;
  fn: LossFn;
  kind: LossKind;
  /** The identifier as the user gave it, when it was a string (saved with the model). */
  identifier?: string;
}

/** Keras' `losses.get`: a name or alias (`"mse"`), or a function `(yTrue, yPred) => perSample`. */
export function get(identifier: string | LossFn): ResolvedLoss {
  if (typeof identifier === "function") {
    return { name: identifier.name || "loss", fn: identifier, kind: "custom" };
  }
  if (typeof identifier === "string") {
    const entry = LOSSES[identifier] ?? LOSSES[identifier.toLowerCase()];
    if (entry) return { name: entry.canonical, fn: entry.fn, kind: entry.kind, identifier };
    const lower = identifier.toLowerCase();
    if (ACTIVATION_NAMES.includes(lower)) {
      const hint =
        lower === "softmax"
          ? "softmax is an activation, not a loss: put it on the last layer (layers.Dense(10, { activation: 'softmax' })) and use loss 'categorical_crossentropy' (one-hot labels) or 'sparse_categorical_crossentropy' (integer labels)."
          : `'${identifier}' is an activation, not a loss: set it as a layer's activation and pick a loss below.`;
      throw unknownIdentifierError("loss", identifier, LOSS_NAMES, hint);
    }
    throw unknownIdentifierError("loss", identifier, LOSS_NAMES);
  }
  throw new Error(
    `Could not interpret loss identifier: ${String(identifier)}. Pass a loss name such as 'categorical_crossentropy' or a function (yTrue, yPred) => tf.Tensor.`,
  );
}
