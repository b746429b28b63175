/**
 * Keras 3's loss classes: `losses.BinaryCrossentropy({ fromLogits: true })`, `new losses.Huber({ delta: 2 })`.
 * Each wraps a function of functions.ts (Keras' LossFunctionWrapper: labels and predictions brought to
 * the same rank first) with its options, a reduction and Keras' default name. Unknown options are
 * rejected with the closest valid one.
 */
import { tf } from "../tf";
import { type CallableClass, callableClass } from "../utils/callable-class";
import { checkOptions } from "../utils/options";
import * as fns from "./functions";
import { sameRank } from "./functions";
import { Loss, type LossObject, type LossOptions } from "./loss";

/** A per-sample loss function with options. */
export type LossFunction<O> = (yTrue: tf.Tensor, yPred: tf.Tensor, options?: O) => tf.Tensor;

/** Keras' LossFunctionWrapper: a function (plus its options) as a Loss. */
export class LossFunctionWrapperLoss<O extends object = object> extends Loss {
  readonly fn: LossFunction<O>;
  readonly fnOptions: O;

  constructor(fn: LossFunction<O>, options: LossOptions & { fnOptions?: O } = {}) {
    super(options, options.name ?? (fn.name || "loss"));
    this.fn = fn;
    this.fnOptions = options.fnOptions ?? ({} as O);
  }

  call(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      // Sparse labels keep their rank (the function squeezes a trailing 1 itself).
      const [t, p] = this.fn === fns.sparseCategoricalCrossentropy ? [yTrue, yPred] : sameRank(yTrue, yPred);
      return this.fn(t, p, this.fnOptions);
    });
  }

  override getConfig(): Record<string, unknown> {
    const snake = Object.fromEntries(
      Object.entries(this.fnOptions).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
    );
    return { ...super.getConfig(), ...snake };
  }
}

const BASE = ["reduction", "name"] as const;

/** Defines a Keras loss class over `fn` with its own options (camelCase) and their defaults. */
function lossClass<O extends object>(
  className: string,
  defaultName: string,
  fn: LossFunction<O>,
  defaults: Required<O>,
) {
  const own = Object.keys(defaults);
  const cls = class extends LossFunctionWrapperLoss<O> {
    constructor(options: Partial<O> & LossOptions = {}) {
      const o = checkOptions(className, options, [...own, ...BASE]) as Partial<O> & LossOptions;
      const fnOptions = { ...defaults } as Record<string, unknown>;
      for (const k of own) if ((o as Record<string, unknown>)[k] !== undefined) fnOptions[k] = (o as never)[k];
      super(fn, { reduction: o.reduction, name: o.name ?? defaultName, fnOptions: fnOptions as O });
      Object.assign(this, fnOptions);
    }
  };
  Object.defineProperty(cls, "name", { value: className });
  return callableClass(cls) as unknown as CallableClass<
    new (options?: Partial<O> & LossOptions) => LossObject<LossFunctionWrapperLoss<O>> & Readonly<O>
  >;
}

type CE = { fromLogits: boolean; labelSmoothing: number };
const ceDefaults: CE = { fromLogits: false, labelSmoothing: 0 };

export const BinaryCrossentropy = lossClass<CE>(
  "BinaryCrossentropy",
  "binary_crossentropy",
  fns.binaryCrossentropy,
  ceDefaults,
);
export const CategoricalCrossentropy = lossClass<CE>(
  "CategoricalCrossentropy",
  "categorical_crossentropy",
  fns.categoricalCrossentropy,
  ceDefaults,
);
export const SparseCategoricalCrossentropy = lossClass<{ fromLogits: boolean }>(
  "SparseCategoricalCrossentropy",
  "sparse_categorical_crossentropy",
  fns.sparseCategoricalCrossentropy,
  { fromLogits: false },
);
export const MeanSquaredError = lossClass("MeanSquaredError", "mean_squared_error", fns.meanSquaredError, {});
export const MeanAbsoluteError = lossClass("MeanAbsoluteError", "mean_absolute_error", fns.meanAbsoluteError, {});
export const MeanAbsolutePercentageError = lossClass(
  "MeanAbsolutePercentageError",
  "mean_absolute_percentage_error",
  fns.meanAbsolutePercentageError,
  {},
);
export const MeanSquaredLogarithmicError = lossClass(
  "MeanSquaredLogarithmicError",
  "mean_squared_logarithmic_error",
  fns.meanSquaredLogarithmicError,
  {},
);
export const Huber = lossClass<{ delta: number }>("Huber", "huber_loss", fns.huber, { delta: 1.0 });
export const LogCosh = lossClass("LogCosh", "log_cosh", fns.logCosh, {});
export const KLDivergence = lossClass("KLDivergence", "kl_divergence", fns.klDivergence, {});
export const Poisson = lossClass("Poisson", "poisson", fns.poisson, {});
export const Hinge = lossClass("Hinge", "hinge", fns.hinge, {});
export const SquaredHinge = lossClass("SquaredHinge", "squared_hinge", fns.squaredHinge, {});
export const CategoricalHinge = lossClass("CategoricalHinge", "categorical_hinge", fns.categoricalHinge, {});

/** Keras' `losses.LossFunctionWrapper(fn, { reduction, name })`. */
export const LossFunctionWrapper = callableClass(LossFunctionWrapperLoss);
