/**
 * Keras' metrics. Each function maps `(yTrue, yPred)` to one value per sample; fit reports the mean over
 * an epoch's samples. `accuracy`/`acc` is resolved as Keras resolves it, from the loss and the shapes:
 * binary (one output unit or binary_crossentropy), sparse categorical (integer labels) or categorical.
 */
import { tf } from "../tf";
import * as losses from "../losses/index";
import type { LossKind } from "../losses/index";
import { unknownIdentifierError } from "../utils/suggest";

export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), "float32"));
}

export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(losses.toIntLabels(yTrue, yPred.rank), tf.argMax(yPred, -1)), "float32"));
}

export function binaryAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, threshold = 0.5): tf.Tensor {
  return tf.tidy(() =>
    tf.mean(
      tf.cast(tf.equal(tf.cast(yTrue, "float32"), tf.cast(tf.greater(yPred, threshold), "float32")), "float32"),
      -1,
    ),
  );
}

export const meanSquaredError = losses.meanSquaredError;
export const meanAbsoluteError = losses.meanAbsoluteError;
export const mse = losses.meanSquaredError;
export const mae = losses.meanAbsoluteError;

const BY_NAME: Record<string, MetricFn> = {
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  binary_accuracy: (t, p) => binaryAccuracy(t, p),
  mean_squared_error: meanSquaredError,
  mse: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mae: meanAbsoluteError,
  categorical_crossentropy: losses.categoricalCrossentropy,
  sparse_categorical_crossentropy: losses.sparseCategoricalCrossentropy,
  binary_crossentropy: losses.binaryCrossentropy,
};

export const METRIC_NAMES: readonly string[] = ["accuracy", "acc", ...Object.keys(BY_NAME)];

export interface ResolvedMetric {
  /** The log key: the name as the user wrote it (`acc` stays `acc`), or the function's name. */
  name: string;
  fn: MetricFn;
}

/** What `accuracy` means, given the loss family and the label/prediction shapes. */
export function resolveAccuracy(lossKind: LossKind, yTrueShape: number[], yPredShape: (number | null)[]): MetricFn {
  if (lossKind === "binary") return (t, p) => binaryAccuracy(t, p);
  if (lossKind === "sparse_categorical") return sparseCategoricalAccuracy;
  if (lossKind === "categorical") return categoricalAccuracy;
  if (yPredShape[yPredShape.length - 1] === 1) return (t, p) => binaryAccuracy(t, p);
  const sparse =
    yTrueShape.length === yPredShape.length - 1 ||
    (yTrueShape.length === yPredShape.length && yTrueShape[yTrueShape.length - 1] === 1);
  return sparse ? sparseCategoricalAccuracy : categoricalAccuracy;
}

/** Validates a metric identifier early (at compile) so typos fail before training. */
export function checkIdentifier(identifier: string | MetricFn): void {
  if (typeof identifier === "function") return;
  if (typeof identifier !== "string") {
    throw new Error(
      `Could not interpret metric identifier: ${String(identifier)}. Use a name such as 'accuracy' or a function.`,
    );
  }
  const lower = identifier.toLowerCase();
  if (lower === "accuracy" || lower === "acc" || BY_NAME[lower]) return;
  throw unknownIdentifierError("metric", identifier, METRIC_NAMES);
}

/** Keras' `metrics.get` with the context `accuracy` needs. */
export function get(
  identifier: string | MetricFn,
  context: { lossKind: LossKind; yTrueShape: number[]; yPredShape: (number | null)[] } = {
    lossKind: "custom",
    yTrueShape: [0, 2],
    yPredShape: [null, 2],
  },
): ResolvedMetric {
  checkIdentifier(identifier);
  if (typeof identifier === "function") return { name: identifier.name || "metric", fn: identifier };
  const lower = identifier.toLowerCase();
  if (lower === "accuracy" || lower === "acc") {
    return { name: identifier, fn: resolveAccuracy(context.lossKind, context.yTrueShape, context.yPredShape) };
  }
  return { name: identifier, fn: BY_NAME[lower] };
}
