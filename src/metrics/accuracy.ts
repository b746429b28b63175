/** Keras 3's accuracy metric classes: means of the per-sample functions in functions.ts. */
import { callableClass } from "../utils/callable-class";
import { checkOptions } from "../utils/options";
import * as fns from "./functions";
import type { MetricOptions } from "./metric";
import { MeanMetricWrapperMetric } from "./reduction";

const BASE = ["name", "dtype"];

export const Accuracy = callableClass(
  class Accuracy extends MeanMetricWrapperMetric {
    constructor(options: MetricOptions = {}) {
      super(fns.accuracy, { ...checkOptions("Accuracy", options, BASE), name: options.name ?? "accuracy" });
    }
  },
);

export interface BinaryAccuracyOptions extends MetricOptions {
  /** Predictions above it count as 1. Defaults to 0.5. */
  threshold?: number;
}

export const BinaryAccuracy = callableClass(
  class BinaryAccuracy extends MeanMetricWrapperMetric<{ threshold: number }> {
    readonly threshold: number;
    constructor(options: BinaryAccuracyOptions = {}) {
      const o = checkOptions("BinaryAccuracy", options, [...BASE, "threshold"]);
      const threshold = o.threshold ?? 0.5;
      super(fns.binaryAccuracy, { name: o.name ?? "binary_accuracy", fnOptions: { threshold } });
      this.threshold = threshold;
    }
    override getConfig() {
      return { ...super.getConfig(), threshold: this.threshold };
    }
  },
);

export const CategoricalAccuracy = callableClass(
  class CategoricalAccuracy extends MeanMetricWrapperMetric {
    constructor(options: MetricOptions = {}) {
      const o = checkOptions("CategoricalAccuracy", options, BASE);
      super(fns.categoricalAccuracy, { name: o.name ?? "categorical_accuracy" });
    }
  },
);

export const SparseCategoricalAccuracy = callableClass(
  class SparseCategoricalAccuracy extends MeanMetricWrapperMetric {
    constructor(options: MetricOptions = {}) {
      const o = checkOptions("SparseCategoricalAccuracy", options, BASE);
      super(fns.sparseCategoricalAccuracy, { name: o.name ?? "sparse_categorical_accuracy" });
    }
  },
);

export interface TopKOptions extends MetricOptions {
  /** How many top predictions count. Defaults to 5. */
  k?: number;
}

export const TopKCategoricalAccuracy = callableClass(
  class TopKCategoricalAccuracy extends MeanMetricWrapperMetric<{ k: number }> {
    readonly k: number;
    constructor(options: TopKOptions = {}) {
      const o = checkOptions("TopKCategoricalAccuracy", options, ["k", ...BASE]);
      const k = o.k ?? 5;
      super(fns.topKCategoricalAccuracy, { name: o.name ?? "top_k_categorical_accuracy", fnOptions: { k } });
      this.k = k;
    }
    override getConfig() {
      return { ...super.getConfig(), k: this.k };
    }
  },
);

export const SparseTopKCategoricalAccuracy = callableClass(
  class SparseTopKCategoricalAccuracy extends MeanMetricWrapperMetric<{ k: number }> {
    readonly k: number;
    constructor(options: TopKOptions = {}) {
      const o = checkOptions("SparseTopKCategoricalAccuracy", options, ["k", ...BASE]);
      const k = o.k ?? 5;
      super(fns.sparseTopKCategoricalAccuracy, {
        name: o.name ?? "sparse_top_k_categorical_accuracy",
        fnOptions: { k },
      });
      this.k = k;
    }
    override getConfig() {
      return { ...super.getConfig(), k: this.k };
    }
  },
);
