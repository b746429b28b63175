/**
 * Keras 3's `Loss` base class (keras/src/losses/loss.py): `call(yTrue, yPred)` gives per-sample values;
 * calling the loss object itself, `loss(yTrue, yPred, sampleWeight?)`, weights and reduces them
 * ("sum_over_batch_size" by default: the weighted sum divided by the number of values).
 *
 *   const bce = losses.BinaryCrossentropy({ fromLogits: true });
 *   bce(yTrue, logits);   // a scalar tensor
 *
 * A loss object is a function (so `compile({ loss: bce })` and `bce(y, p)` both work) whose prototype
 * is the loss class; its `call` method is Keras' per-sample `call`, not Function.prototype.call.
 */
import { tf } from "../tf";
import { sameRank } from "./functions";

export type Reduction = "sum_over_batch_size" | "sum" | "mean" | "mean_with_sample_weight" | "none" | null;
const REDUCTIONS: readonly Reduction[] = [
  "sum_over_batch_size",
  "sum",
  "mean",
  "mean_with_sample_weight",
  "none",
  null,
];

export interface LossOptions {
  /** How the weighted per-sample values become one number. Defaults to "sum_over_batch_size". */
  reduction?: Reduction;
  name?: string;
}

export function standardizeReduction(reduction: unknown): Reduction {
  if (!REDUCTIONS.includes(reduction as Reduction)) {
    throw new Error(
      `Invalid value for argument \`reduction\`. Expected one of {'sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none', None}. Received: reduction=${String(reduction)}`,
    );
  }
  return reduction as Reduction;
}

/** Keras' reduce_weighted_values: multiply by the sample weights (ranks aligned), then reduce. */
export function reduceWeightedValues(
  values: tf.Tensor,
  sampleWeight: tf.Tensor | undefined,
  reduction: Reduction,
): tf.Tensor {
  return tf.tidy(() => {
    let v = values;
    let w = sampleWeight;
    if (w !== undefined) {
      w = w.dtype === "float32" ? w : tf.cast(w, "float32");
      [v, w] = sameRank(v, w);
      v = tf.mul(v, w);
    }
    if (reduction === null || reduction === "none" || v.rank === 0 || (v.rank === 1 && v.shape[0] === 0)) return v;
    const total = tf.sum(v);
    if (reduction === "sum") return total;
    if (reduction !== "mean_with_sample_weight" || w === undefined) return tf.div(total, v.size);
    // divide_no_nan, written so that gradients flow (tfjs has no gradient through divNoNan's Equal).
    const weightSum = tf.sum(w);
    return tf.div(total, tf.where(tf.equal(weightSum, 0), tf.onesLike(weightSum), weightSum));
  });
}

export type LossCall = (yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor) => tf.Tensor;

/** Keras' Loss. Subclass and implement `call`; instances are callable. */
export abstract class Loss {
  declare name: string;
  declare reduction: Reduction;

  constructor(options: LossOptions = {}, defaultName = "loss") {
    const self = ((yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor) =>
      self.compute(yTrue, yPred, sampleWeight)) as unknown as Loss & LossCall;
    // The function's own `name`/`length` would shadow the loss's fields.
    delete (self as { name?: unknown }).name;
    delete (self as { length?: unknown }).length;
    Object.setPrototypeOf(self, new.target.prototype);
    self.name = options.name ?? defaultName;
    self.reduction = standardizeReduction(options.reduction === undefined ? "sum_over_batch_size" : options.reduction);
    return self;
  }

  /** Per-sample loss values (Keras' `call`). */
  abstract call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor;

  /** The weighted, reduced loss (what calling the loss object returns). */
  compute(yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Tensor {
    return tf.tidy(() => reduceWeightedValues(this.call(yTrue, yPred), sampleWeight, this.reduction));
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, reduction: this.reduction };
  }

  getClassName(): string {
    return this.constructor.name;
  }

  toString(): string {
    return `<${this.getClassName()} name=${this.name}>`;
  }
}

/** A loss object: the class instance, callable as `loss(yTrue, yPred, sampleWeight?)`. */
export type LossObject<T extends Loss = Loss> = T & LossCall;

export function isLoss(x: unknown): x is LossObject {
  return x instanceof Loss;
}
