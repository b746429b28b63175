/**
 * Keras 3's confusion-matrix metrics (confusion_metrics.py, metrics_utils.py): Precision, Recall and
 * AUC keep true/false positive/negative counts per threshold in variables and accumulate them batch
 * by batch with tensor ops only; `result()` derives the metric from the counts.
 */
import { tf } from "../tf";
import { EPSILON, sameRank } from "../losses/functions";
import { callableClass } from "../utils/callable-class";
import { checkOptions } from "../utils/options";
import { Metric, type MetricOptions } from "./metric";

const NEG_INF = -1e10;

type Counts = { tp?: tf.Variable; fp?: tf.Variable; tn?: tf.Variable; fn?: tf.Variable };

function parseThresholds(thresholds: number | number[] | undefined, fallback: number): number[] {
  if (thresholds === undefined) return [fallback];
  const list = Array.isArray(thresholds) ? thresholds : [thresholds];
  for (const t of list) {
    if (typeof t !== "number" || !(t >= 0 && t <= 1)) {
      throw new Error(`Threshold values must be in [0, 1]. Received: ${JSON.stringify(thresholds)}`);
    }
  }
  return list;
}

/** Keras' _filter_top_k: every value outside a row's k largest becomes -1e10. */
function filterTopK(x: tf.Tensor, k: number): tf.Tensor {
  const classes = x.shape[x.rank - 1];
  const { indices } = tf.topk(x, k);
  const mask = tf.sum(tf.oneHot(indices, classes), -2);
  return tf.add(tf.mul(x, mask), tf.mul(NEG_INF, tf.sub(1, mask)));
}

/**
 * Keras' update_confusion_matrix_variables (single label): for every threshold t, a prediction is
 * positive when p > t; each count adds the (sample-weighted) cases.
 */
export function updateConfusionMatrix(
  counts: Counts,
  thresholds: tf.Tensor1D,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options: { sampleWeight?: tf.Tensor; topK?: number; classId?: number } = {},
): void {
  tf.tidy(() => {
    let [p, t] = sameRank(tf.cast(yPred, "float32"), tf.cast(yTrue, "float32"));
    if (options.topK !== undefined) p = filterTopK(p, options.topK);
    if (options.classId !== undefined) {
      if (p.rank === 1) {
        throw new Error(
          `When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found shape: (${p.shape[0]},)`,
        );
      }
      const id = options.classId;
      t = tf.slice(t, [...t.shape.slice(0, -1).map(() => 0), id], [...t.shape.slice(0, -1), 1]);
      p = tf.slice(p, [...p.shape.slice(0, -1).map(() => 0), id], [...p.shape.slice(0, -1), 1]);
    }
    const preds = tf.reshape(p, [1, -1]);
    const labelPos = tf.reshape(tf.cast(tf.notEqual(t, 0), "float32"), [1, -1]);
    const labelNeg = tf.sub(1, labelPos);
    const predPos = tf.cast(tf.greater(preds, tf.reshape(thresholds, [-1, 1])), "float32");
    const predNeg = tf.sub(1, predPos);
    let weights: tf.Tensor | undefined;
    if (options.sampleWeight !== undefined) {
      let w = tf.cast(options.sampleWeight, "float32");
      while (w.rank < p.rank) w = tf.expandDims(w, -1);
      while (w.rank > p.rank && w.shape[w.rank - 1] === 1) w = tf.squeeze(w, [-1]);
      weights = tf.reshape(tf.broadcastTo(w, p.shape), [1, -1]);
    }
    const add = (v: tf.Variable | undefined, label: tf.Tensor, pred: tf.Tensor) => {
      if (!v) return;
      const hits = weights ? tf.mul(tf.mul(label, pred), weights) : tf.mul(label, pred);
      v.assign(tf.add(v, tf.sum(hits, 1)));
    };
    add(counts.tp, labelPos, predPos);
    add(counts.fp, labelNeg, predPos);
    add(counts.tn, labelNeg, predNeg);
    add(counts.fn, labelPos, predNeg);
  });
}

export interface PrecisionRecallOptions extends MetricOptions {
  /** One threshold or a list (result is then a vector). Defaults to 0.5 (no threshold with topK). */
  thresholds?: number | number[];
  /** Only the k highest predictions of a row count as positive. */
  topK?: number;
  /** Measure only this class (index on the last axis). */
  classId?: number;
}

const PR_OPTIONS = ["thresholds", "topK", "classId", "name", "dtype"];

abstract class ThresholdMetric extends Metric {
  readonly thresholds: number[];
  readonly topK?: number;
  readonly classId?: number;
  /** The thresholds as a constant tensor (freed by dispose). */
  readonly thresholdTensor: tf.Tensor1D;
  /** The confusion-count variables this metric keeps. */
  readonly counts: Counts;

  constructor(cls: string, options: PrecisionRecallOptions, kinds: (keyof Counts)[]) {
    const o = checkOptions(cls, options, PR_OPTIONS);
    super({ name: o.name, dtype: o.dtype });
    this.topK = o.topK;
    this.classId = o.classId;
    this.thresholds = parseThresholds(o.thresholds, o.topK === undefined ? 0.5 : NEG_INF);
    this.thresholdTensor = tf.keep(tf.tensor1d(this.thresholds));
    this.counts = {};
    const names = { tp: "true_positives", fp: "false_positives", tn: "true_negatives", fn: "false_negatives" };
    for (const k of kinds) this.counts[k] = this.addVariable({ name: names[k], shape: [this.thresholds.length] });
  }

  updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    if (yPred === undefined) throw new Error(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
    updateConfusionMatrix(this.counts, this.thresholdTensor, yTrue, yPred, {
      sampleWeight,
      topK: this.topK,
      classId: this.classId,
    });
  }

  /** a / (a + b), 0 where both are 0; a scalar for one threshold. */
  ratio(a: tf.Variable, b: tf.Variable): tf.Tensor {
    return tf.tidy(() => {
      const r = tf.divNoNan(a, tf.add(a, b));
      return this.thresholds.length === 1 ? tf.reshape(r, []) : r;
    });
  }

  override getConfig() {
    return {
      ...super.getConfig(),
      thresholds: this.thresholds,
      top_k: this.topK ?? null,
      class_id: this.classId ?? null,
    };
  }

  override dispose(): void {
    this.thresholdTensor.dispose();
    super.dispose();
  }
}

/** tp / (tp + fp) at each threshold. */
export const Precision = callableClass(
  class Precision extends ThresholdMetric {
    constructor(options: PrecisionRecallOptions = {}) {
      super("Precision", options, ["tp", "fp"]);
    }
    result(): tf.Tensor {
      return this.ratio(this.counts.tp!, this.counts.fp!);
    }
  },
);

/** tp / (tp + fn) at each threshold. */
export const Recall = callableClass(
  class Recall extends ThresholdMetric {
    constructor(options: PrecisionRecallOptions = {}) {
      super("Recall", options, ["tp", "fn"]);
    }
    result(): tf.Tensor {
      return this.ratio(this.counts.tp!, this.counts.fn!);
    }
  },
);

export interface AUCOptions extends MetricOptions {
  /** Thresholds to discretize the curve with. Defaults to 200. */
  numThresholds?: number;
  /** "ROC" (default) or "PR". */
  curve?: "ROC" | "PR";
  /** "interpolation" (default: trapezoids; PR uses Davis & Goadrich's interpolation), "minoring", "majoring". */
  summationMethod?: "interpolation" | "minoring" | "majoring";
  /** Explicit thresholds in [0, 1] (then numThresholds = thresholds.length + 2). */
  thresholds?: number[];
  /** Apply a sigmoid to the predictions first. */
  fromLogits?: boolean;
  /** Only false is supported (one curve over all labels). */
  multiLabel?: boolean;
}

const AUC_OPTIONS = [
  "numThresholds",
  "curve",
  "summationMethod",
  "name",
  "dtype",
  "thresholds",
  "multiLabel",
  "fromLogits",
];

/** Area under the ROC or PR curve, from confusion counts at `numThresholds` thresholds. */
export const AUC = callableClass(
  class AUC extends Metric {
    readonly numThresholds: number;
    readonly curve: "ROC" | "PR";
    readonly summationMethod: "interpolation" | "minoring" | "majoring";
    readonly fromLogits: boolean;
    readonly thresholds: number[];
    readonly thresholdTensor: tf.Tensor1D;
    readonly truePositives: tf.Variable;
    readonly falsePositives: tf.Variable;
    readonly trueNegatives: tf.Variable;
    readonly falseNegatives: tf.Variable;

    constructor(options: AUCOptions = {}) {
      const o = checkOptions("AUC", options, AUC_OPTIONS);
      super({ name: o.name, dtype: o.dtype });
      if (o.multiLabel) throw new Error("AUC: multiLabel is not supported by tslab-keras yet; use multiLabel: false");
      let inner: number[];
      if (o.thresholds !== undefined) {
        parseThresholds(o.thresholds, 0.5);
        inner = [...o.thresholds].sort((a, b) => a - b);
        this.numThresholds = inner.length + 2;
      } else {
        const n = o.numThresholds ?? 200;
        if (!Number.isInteger(n) || n <= 1) {
          throw new Error(`Argument \`num_thresholds\` must be an integer > 1. Received: num_thresholds=${n}`);
        }
        this.numThresholds = n;
        inner = Array.from({ length: n - 2 }, (_, i) => ((i + 1) * 1.0) / (n - 1));
      }
      this.thresholds = [0 - EPSILON, ...inner, 1 + EPSILON];
      const curve = String(o.curve ?? "ROC").toUpperCase();
      if (curve !== "ROC" && curve !== "PR") {
        throw new Error(`Invalid AUC curve value: "${String(o.curve)}". Expected values are ["ROC", "PR"]`);
      }
      this.curve = curve;
      const method = String(o.summationMethod ?? "interpolation").toLowerCase();
      if (method !== "interpolation" && method !== "minoring" && method !== "majoring") {
        throw new Error(
          `Invalid AUC summation method value: "${String(o.summationMethod)}". Expected values are ["interpolation", "majoring", "minoring"]`,
        );
      }
      this.summationMethod = method;
      this.fromLogits = o.fromLogits ?? false;
      this.thresholdTensor = tf.keep(tf.tensor1d(this.thresholds));
      const shape = [this.numThresholds];
      this.truePositives = this.addVariable({ name: "true_positives", shape });
      this.falsePositives = this.addVariable({ name: "false_positives", shape });
      this.trueNegatives = this.addVariable({ name: "true_negatives", shape });
      this.falseNegatives = this.addVariable({ name: "false_negatives", shape });
    }

    updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
      if (yPred === undefined) throw new Error(`${this.name}: updateState(yTrue, yPred, sampleWeight?) needs yPred`);
      tf.tidy(() => {
        const p = this.fromLogits ? tf.sigmoid(yPred) : yPred;
        const counts = {
          tp: this.truePositives,
          fp: this.falsePositives,
          tn: this.trueNegatives,
          fn: this.falseNegatives,
        };
        updateConfusionMatrix(counts, this.thresholdTensor, yTrue, p, { sampleWeight });
      });
    }

    result(): tf.Tensor {
      return tf.tidy(() => {
        const n = this.numThresholds;
        const head = (t: tf.Tensor) => tf.slice(t, [0], [n - 1]);
        const tail = (t: tf.Tensor) => tf.slice(t, [1], [n - 1]);
        const tp = this.truePositives;
        if (this.curve === "PR" && this.summationMethod === "interpolation") {
          // Davis & Goadrich: precision interpolated linearly in TP over each bucket.
          const dtp = tf.sub(head(tp), tail(tp));
          const p = tf.add(tp, this.falsePositives);
          const dp = tf.sub(head(p), tail(p));
          const slope = tf.divNoNan(dtp, tf.maximum(dp, 0));
          const intercept = tf.sub(tail(tp), tf.mul(slope, tail(p)));
          const bothPositive = tf.logicalAnd(tf.greater(head(p), 0), tf.greater(tail(p), 0));
          const ratio = tf.where(bothPositive, tf.divNoNan(head(p), tf.maximum(tail(p), 0)), tf.onesLike(tail(p)));
          const increment = tf.divNoNan(
            tf.mul(slope, tf.add(dtp, tf.mul(intercept, tf.log(ratio)))),
            tf.maximum(tf.add(tail(tp), tail(this.falseNegatives)), 0),
          );
          return tf.sum(increment);
        }
        const recall = tf.divNoNan(tp, tf.add(tp, this.falseNegatives));
        let x: tf.Tensor;
        let y: tf.Tensor;
        if (this.curve === "ROC") {
          x = tf.divNoNan(this.falsePositives, tf.add(this.falsePositives, this.trueNegatives));
          y = recall;
        } else {
          x = recall;
          y = tf.divNoNan(tp, tf.add(tp, this.falsePositives));
        }
        const heights =
          this.summationMethod === "interpolation"
            ? tf.div(tf.add(head(y), tail(y)), 2)
            : this.summationMethod === "minoring"
              ? tf.minimum(head(y), tail(y))
              : tf.maximum(head(y), tail(y));
        return tf.sum(tf.mul(tf.sub(head(x), tail(x)), heights));
      });
    }

    override getConfig() {
      return {
        ...super.getConfig(),
        num_thresholds: this.numThresholds,
        curve: this.curve,
        summation_method: this.summationMethod,
        multi_label: false,
        from_logits: this.fromLogits,
      };
    }

    override dispose(): void {
      this.thresholdTensor.dispose();
      super.dispose();
    }
  },
);
