/**
 * Keras 3's regression and probabilistic metric classes (regression_metrics.py, probabilistic_metrics.py):
 * running means of the loss functions, and RootMeanSquaredError (the root of the running mean).
 */
import { tf } from "../tf";
import * as lossFns from "../losses/functions";
import { sameRank } from "../losses/functions";
import { type CallableClass, callableClass } from "../utils/callable-class";
import { checkOptions } from "../utils/options";
import type { MetricOptions } from "./metric";
import { MeanMetric, MeanMetricWrapperMetric, type MetricFunction } from "./reduction";

/** A MeanMetricWrapper class over `fn` with its own options and their defaults. */
function meanClass<O extends object>(className: string, defaultName: string, fn: MetricFunction<O>, defaults: O) {
  const own = Object.keys(defaults);
  const cls = class extends MeanMetricWrapperMetric<O> {
    constructor(options: Partial<O> & MetricOptions = {}) {
      const o = checkOptions(className, options, [...own, "name", "dtype"]) as Record<string, unknown>;
      const fnOptions = { ...defaults } as Record<string, unknown>;
      for (const k of own) if (o[k] !== undefined) fnOptions[k] = o[k];
      super(fn, { name: (o.name as string | undefined) ?? defaultName, fnOptions: fnOptions as O });
      Object.assign(this, fnOptions);
    }
    override getConfig() {
      return { ...super.getConfig(), ...this.fnOptions };
    }
  };
  Object.defineProperty(cls, "name", { value: className });
  return callableClass(cls) as unknown as CallableClass<
    new (options?: Partial<O> & MetricOptions) => MeanMetricWrapperMetric<O> & Readonly<O>
  >;
}

export const MeanSquaredError = meanClass("MeanSquaredError", "mean_squared_error", lossFns.meanSquaredError, {});
export const MeanAbsoluteError = meanClass("MeanAbsoluteError", "mean_absolute_error", lossFns.meanAbsoluteError, {});
export const MeanAbsolutePercentageError = meanClass(
  "MeanAbsolutePercentageError",
  "mean_absolute_percentage_error",
  lossFns.meanAbsolutePercentageError,
  {},
);
export const MeanSquaredLogarithmicError = meanClass(
  "MeanSquaredLogarithmicError",
  "mean_squared_logarithmic_error",
  lossFns.meanSquaredLogarithmicError,
  {},
);
export const BinaryCrossentropy = meanClass("BinaryCrossentropy", "binary_crossentropy", lossFns.binaryCrossentropy, {
  fromLogits: false,
  labelSmoothing: 0,
});
export const CategoricalCrossentropy = meanClass(
  "CategoricalCrossentropy",
  "categorical_crossentropy",
  lossFns.categoricalCrossentropy,
  { fromLogits: false, labelSmoothing: 0 },
);
export const SparseCategoricalCrossentropy = meanClass(
  "SparseCategoricalCrossentropy",
  "sparse_categorical_crossentropy",
  lossFns.sparseCategoricalCrossentropy,
  { fromLogits: false },
);

/** sqrt of the running (weighted) mean of the squared errors. */
export const RootMeanSquaredError = callableClass(
  class RootMeanSquaredError extends MeanMetric {
    constructor(options: MetricOptions = {}) {
      super(checkOptions("RootMeanSquaredError", options, ["name", "dtype"]), "root_mean_squared_error");
    }
    override updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
      if (yPred === undefined) throw new Error(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
      tf.tidy(() => {
        const [t, p] = sameRank(tf.cast(yTrue, "float32"), yPred);
        super.updateState(tf.square(tf.sub(p, t)), sampleWeight);
      });
    }
    override result(): tf.Tensor {
      return tf.tidy(() => tf.sqrt(tf.divNoNan(this.total, this.count)));
    }
  },
);
