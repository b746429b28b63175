/**
 * Keras 3's reduction metrics (keras/src/metrics/reduction_metrics.py): `Sum`, `Mean` (weighted mean
 * over every value seen), and `MeanMetricWrapper`, the mean of a per-sample function — what
 * accuracy, MSE, MAE … are built on.
 */
import { tf } from "../tf";
import { sameRank } from "../losses/functions";
import { callableClass } from "../utils/callable-class";
import { checkOptions } from "../utils/options";
import { Metric, type MetricOptions } from "./metric";

const float = (t: tf.Tensor) => (t.dtype === "float32" ? t : tf.cast(t, "float32"));
const tailAxes = (rank: number, from: number) => Array.from({ length: rank - from }, (_, i) => from + i);

/** Keras' reduce_to_samplewise_values: weighted values reduced to one per sample, and the weights. */
export function reduceToSamplewise(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | undefined,
  reduce: (x: tf.Tensor, axes: number[]) => tf.Tensor,
): [tf.Tensor, tf.Tensor | undefined] {
  let v = float(values);
  let w = sampleWeight === undefined ? undefined : float(sampleWeight);
  if (w !== undefined) {
    [v, w] = sameRank(v, w);
    if (v.rank > w.rank) v = reduce(v, tailAxes(v.rank, w.rank));
    w = tf.broadcastTo(w, v.shape);
    v = tf.mul(v, w);
    if (w.rank > 1) w = reduce(w, tailAxes(w.rank, 1));
  }
  if (v.rank > 1) v = reduce(v, tailAxes(v.rank, 1));
  return [v, w];
}

class SumMetric extends Metric {
  readonly total: tf.Variable;

  constructor(options: MetricOptions = {}) {
    super(checkOptions("Sum", options, ["name", "dtype"]), "sum");
    this.total = this.addVariable({ name: "total" });
  }

  updateState(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const [v] = reduceToSamplewise(values, sampleWeight, (x, a) => tf.sum(x, a));
      this.total.assign(tf.add(this.total, tf.sum(v)));
    });
  }

  result(): tf.Tensor {
    return this.total.clone();
  }
}

class MeanMetric extends Metric {
  readonly total: tf.Variable;
  readonly count: tf.Variable;

  constructor(options: MetricOptions = {}, defaultName = "mean") {
    super(options, defaultName);
    this.total = this.addVariable({ name: "total" });
    this.count = this.addVariable({ name: "count" });
  }

  /** Adds `values` (weighted by `sampleWeight`, broadcast to their shape) to the running mean. */
  updateState(values: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const [v, w] = reduceToSamplewise(values, sampleWeight, (x, a) => tf.mean(x, a));
      this.total.assign(tf.add(this.total, tf.sum(v)));
      const n = w !== undefined ? tf.sum(w) : tf.scalar(v.rank >= 1 ? v.shape[0] : 1);
      this.count.assign(tf.add(this.count, n));
    });
  }

  result(): tf.Tensor {
    return tf.divNoNan(this.total, this.count);
  }
}

/** A per-sample metric function, with its options. */
export type MetricFunction<O = object> = (yTrue: tf.Tensor, yPred: tf.Tensor, options?: O) => tf.Tensor;

class MeanMetricWrapperMetric<O extends object = object> extends MeanMetric {
  readonly fn: MetricFunction<O>;
  readonly fnOptions: O;

  constructor(fn: MetricFunction<O>, options: MetricOptions & { fnOptions?: O } = {}) {
    if (typeof fn !== "function") {
      throw new Error(`MeanMetricWrapper needs a function (yTrue, yPred) => perSampleValues, got ${typeof fn}`);
    }
    super({ name: options.name, dtype: options.dtype }, options.name ?? (fn.name || "mean_metric_wrapper"));
    this.fn = fn;
    this.fnOptions = options.fnOptions ?? ({} as O);
  }

  override updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    if (yPred === undefined) throw new Error(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
    tf.tidy(() => super.updateState(this.fn(yTrue, yPred, this.fnOptions), sampleWeight));
  }
}

export const Sum = callableClass(SumMetric);
export const Mean = callableClass(
  class Mean extends MeanMetric {
    constructor(options: MetricOptions = {}) {
      super(checkOptions("Mean", options, ["name", "dtype"]), "mean");
    }
  },
);
/** Keras' `MeanMetricWrapper(fn, { name })`: the mean of `fn(yTrue, yPred)` over every sample seen. */
export const MeanMetricWrapper = callableClass(MeanMetricWrapperMetric);
export { MeanMetric, MeanMetricWrapperMetric, SumMetric };
