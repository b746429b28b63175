/**
 * Keras 3's metrics: stateful objects (`metrics.AUC()`, `metrics.Precision({ thresholds: 0.7 })`, …)
 * that accumulate batch after batch (`updateState`, `result`, `resetState`), per-sample functions
 * (`metrics.binaryAccuracy`), and `get` for Keras' names. In compile, `accuracy`/`acc` is resolved as
 * Keras resolves it, from the loss and the shapes: binary (one output unit or binary_crossentropy),
 * sparse categorical (integer labels) or categorical.
 */
import type { tf } from "../tf";
import * as lossFns from "../losses/functions";
import type { LossKind } from "../losses/index";
import { unknownIdentifierError } from "../utils/suggest";
import * as acc from "./accuracy";
import * as conf from "./confusion";
import * as fns from "./functions";
import { Metric } from "./metric";
import { MeanMetricWrapper } from "./reduction";
import * as reg from "./regression";

export { Metric, type MetricOptions, type VariableOptions } from "./metric";
export { Mean, Sum, MeanMetricWrapper, reduceToSamplewise, type MetricFunction } from "./reduction";
export * from "./functions";
export * from "./accuracy";
export * from "./regression";
export {
  AUC,
  Precision,
  Recall,
  updateConfusionMatrix,
  type AUCOptions,
  type PrecisionRecallOptions,
} from "./confusion";

export type MetricFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

export const meanSquaredError = lossFns.meanSquaredError;
export const meanAbsoluteError = lossFns.meanAbsoluteError;
export const meanAbsolutePercentageError = lossFns.meanAbsolutePercentageError;
export const meanSquaredLogarithmicError = lossFns.meanSquaredLogarithmicError;
export const mse = lossFns.meanSquaredError;
export const mae = lossFns.meanAbsoluteError;

const wrap = (fn: MetricFn) => () => MeanMetricWrapper(fn, {});

/** Keras' metric names (class names, their snake_case, the functions and aliases) → a new metric. */
const BY_NAME: Record<string, () => Metric> = {
  binary_accuracy: () => acc.BinaryAccuracy(),
  BinaryAccuracy: () => acc.BinaryAccuracy(),
  categorical_accuracy: () => acc.CategoricalAccuracy(),
  CategoricalAccuracy: () => acc.CategoricalAccuracy(),
  sparse_categorical_accuracy: () => acc.SparseCategoricalAccuracy(),
  SparseCategoricalAccuracy: () => acc.SparseCategoricalAccuracy(),
  top_k_categorical_accuracy: () => acc.TopKCategoricalAccuracy(),
  TopKCategoricalAccuracy: () => acc.TopKCategoricalAccuracy(),
  sparse_top_k_categorical_accuracy: () => acc.SparseTopKCategoricalAccuracy(),
  SparseTopKCategoricalAccuracy: () => acc.SparseTopKCategoricalAccuracy(),
  mean_squared_error: () => reg.MeanSquaredError(),
  MeanSquaredError: () => reg.MeanSquaredError(),
  mse: () => reg.MeanSquaredError(),
  MSE: () => reg.MeanSquaredError(),
  mean_absolute_error: () => reg.MeanAbsoluteError(),
  MeanAbsoluteError: () => reg.MeanAbsoluteError(),
  mae: () => reg.MeanAbsoluteError(),
  MAE: () => reg.MeanAbsoluteError(),
  mean_absolute_percentage_error: () => reg.MeanAbsolutePercentageError(),
  MeanAbsolutePercentageError: () => reg.MeanAbsolutePercentageError(),
  mape: () => reg.MeanAbsolutePercentageError(),
  MAPE: () => reg.MeanAbsolutePercentageError(),
  mean_squared_logarithmic_error: () => reg.MeanSquaredLogarithmicError(),
  MeanSquaredLogarithmicError: () => reg.MeanSquaredLogarithmicError(),
  msle: () => reg.MeanSquaredLogarithmicError(),
  MSLE: () => reg.MeanSquaredLogarithmicError(),
  root_mean_squared_error: () => reg.RootMeanSquaredError(),
  RootMeanSquaredError: () => reg.RootMeanSquaredError(),
  binary_crossentropy: () => reg.BinaryCrossentropy(),
  BinaryCrossentropy: () => reg.BinaryCrossentropy(),
  bce: () => reg.BinaryCrossentropy(),
  BCE: () => reg.BinaryCrossentropy(),
  categorical_crossentropy: () => reg.CategoricalCrossentropy(),
  CategoricalCrossentropy: () => reg.CategoricalCrossentropy(),
  sparse_categorical_crossentropy: () => reg.SparseCategoricalCrossentropy(),
  SparseCategoricalCrossentropy: () => reg.SparseCategoricalCrossentropy(),
  auc: () => conf.AUC(),
  AUC: () => conf.AUC(),
  precision: () => conf.Precision(),
  Precision: () => conf.Precision(),
  recall: () => conf.Recall(),
  Recall: () => conf.Recall(),
  hinge: wrap(lossFns.hinge),
  squared_hinge: wrap(lossFns.squaredHinge),
  categorical_hinge: wrap(lossFns.categoricalHinge),
  kl_divergence: wrap(lossFns.klDivergence),
  kld: wrap(lossFns.klDivergence),
  log_cosh: wrap(lossFns.logCosh),
  poisson: wrap(lossFns.poisson),
};

export const METRIC_NAMES: readonly string[] = ["accuracy", "acc", ...Object.keys(BY_NAME)];

function lookup(identifier: string): (() => Metric) | undefined {
  return BY_NAME[identifier] ?? BY_NAME[identifier.toLowerCase()];
}

/** What `accuracy` means, given the loss family and the label/prediction shapes. */
export function resolveAccuracy(lossKind: LossKind, yTrueShape: number[], yPredShape: (number | null)[]): MetricFn {
  if (lossKind === "binary") return fns.binaryAccuracy;
  if (lossKind === "sparse_categorical") return fns.sparseCategoricalAccuracy;
  if (lossKind === "categorical") return fns.categoricalAccuracy;
  if (yPredShape[yPredShape.length - 1] === 1) return fns.binaryAccuracy;
  const sparse =
    yTrueShape.length === yPredShape.length - 1 ||
    (yTrueShape.length === yPredShape.length && yTrueShape[yTrueShape.length - 1] === 1);
  return sparse ? fns.sparseCategoricalAccuracy : fns.categoricalAccuracy;
}

/** What compile's metrics list accepts: a Keras name, a metric object, or a per-sample function. */
export type MetricIdentifier = string | Metric | MetricFn;

/** Validates a metric identifier early (at compile) so typos fail before training. */
export function checkIdentifier(identifier: MetricIdentifier): void {
  if (identifier instanceof Metric || typeof identifier === "function") return;
  if (typeof identifier !== "string") {
    throw new Error(
      `Could not interpret metric identifier: ${String(identifier)}. Use a name such as 'accuracy', a metric object such as metrics.AUC(), or a function.`,
    );
  }
  const lower = identifier.toLowerCase();
  if (lower === "accuracy" || lower === "acc" || lookup(identifier)) return;
  throw unknownIdentifierError("metric", identifier, METRIC_NAMES);
}

export interface MetricContext {
  lossKind: LossKind;
  yTrueShape: number[];
  yPredShape: (number | null)[];
}

const DEFAULT_CONTEXT: MetricContext = { lossKind: "custom", yTrueShape: [0, 2], yPredShape: [null, 2] };

/**
 * Keras' compile-time `get_metric`: a metric object named as the user wrote it (`acc` stays `acc`).
 * A metric object passed in is returned as is (its state is the user's); names and functions give a
 * new object.
 */
export function get(identifier: MetricIdentifier, context: MetricContext = DEFAULT_CONTEXT): Metric {
  checkIdentifier(identifier);
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier === "function") return MeanMetricWrapper(identifier, { name: identifier.name || "metric" });
  const lower = identifier.toLowerCase();
  const metric =
    lower === "accuracy" || lower === "acc"
      ? MeanMetricWrapper(resolveAccuracy(context.lossKind, context.yTrueShape, context.yPredShape), {})
      : lookup(identifier)!();
  metric.name = identifier;
  return metric;
}
