/**
 * Keras' losses: functions mapping `(yTrue, yPred)` to one value per sample, classes whose objects
 * weight and reduce them, and `get` for Keras' names and aliases.
 *
 *   losses.get("mse")                                  // by Keras name or alias
 *   losses.categoricalCrossentropy(yTrue, yPred)       // per-sample values
 *   losses.BinaryCrossentropy({ fromLogits: true })    // a loss object: bce(yTrue, yPred) is a scalar
 */
import type { tf } from "../tf";
import { unknownIdentifierError } from "../utils/suggest";
import * as classes from "./classes";
import { type LossObject, type Reduction, isLoss } from "./loss";

export * from "./functions";
export * from "./classes";
export { Loss, type LossObject, type LossOptions, type Reduction, isLoss, reduceWeightedValues } from "./loss";

/** A loss function: per-sample values (any shape; compile reduces them). */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** Which family a loss belongs to; decides label checks and what `accuracy` means. */
export type LossKind = "categorical" | "sparse_categorical" | "binary" | "regression" | "custom";

type LossClass = new () => LossObject;

interface LossEntry {
  cls: LossClass;
  kind: LossKind;
  /** The Keras function name, e.g. "mean_squared_error". */
  canonical: string;
}

const LOSSES: Record<string, LossEntry> = {};
function register(names: string[], cls: LossClass, kind: LossKind): void {
  for (const n of names) LOSSES[n] = { cls, kind, canonical: names[0] };
}
register(["categorical_crossentropy", "CategoricalCrossentropy"], classes.CategoricalCrossentropy, "categorical");
register(
  ["sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"],
  classes.SparseCategoricalCrossentropy,
  "sparse_categorical",
);
register(["binary_crossentropy", "BinaryCrossentropy", "bce", "BCE"], classes.BinaryCrossentropy, "binary");
register(["mean_squared_error", "MeanSquaredError", "mse", "MSE"], classes.MeanSquaredError, "regression");
register(["mean_absolute_error", "MeanAbsoluteError", "mae", "MAE"], classes.MeanAbsoluteError, "regression");
register(
  ["mean_absolute_percentage_error", "MeanAbsolutePercentageError", "mape", "MAPE"],
  classes.MeanAbsolutePercentageError,
  "regression",
);
register(
  ["mean_squared_logarithmic_error", "MeanSquaredLogarithmicError", "msle", "MSLE"],
  classes.MeanSquaredLogarithmicError,
  "regression",
);
register(["huber", "Huber"], classes.Huber, "regression");
register(["log_cosh", "LogCosh", "logcosh"], classes.LogCosh, "regression");
register(
  ["kl_divergence", "KLDivergence", "kld", "KLD", "kullback_leibler_divergence"],
  classes.KLDivergence,
  "regression",
);
register(["poisson", "Poisson"], classes.Poisson, "regression");
register(["hinge", "Hinge"], classes.Hinge, "regression");
register(["squared_hinge", "SquaredHinge"], classes.SquaredHinge, "regression");
register(["categorical_hinge", "CategoricalHinge"], classes.CategoricalHinge, "categorical");

/** Keras names (and aliases) `get` accepts. */
export const LOSS_NAMES: readonly string[] = Object.keys(LOSSES);

/** Activation names, so `loss: "softmax"` can be explained instead of just rejected. */
const ACTIVATION_NAMES = ["softmax", "sigmoid", "relu", "tanh", "linear", "elu", "selu", "softplus", "softsign"];

export interface ResolvedLoss {
  /** The Keras name (`"categorical_crossentropy"`), the loss object's name, or a custom function's name. */
  name: string;
  /** Per-sample values (Keras' `call`; labels and predictions brought to the same rank). */
  fn: LossFn;
  /** How compile reduces the weighted per-sample values (Keras: "sum_over_batch_size"). */
  reduction: Reduction;
  kind: LossKind;
  /** The identifier as the user gave it, when it was a string (saved with the model). */
  identifier?: string;
  /**
   * The Keras function name when the loss is exactly that built-in function with its defaults (what the
   * compiled engine may implement); undefined for options such as fromLogits, or custom losses.
   */
  plainName?: string;
}

/** The Keras function name of a loss object when it is a built-in class with default options. */
function plainNameOf(loss: LossObject): string | undefined {
  const entry = Object.values(LOSSES).find((e) => loss instanceof (e.cls as unknown as typeof classes.Huber));
  if (!entry || loss.reduction !== "sum_over_batch_size") return undefined;
  const fresh = new entry.cls();
  const same = JSON.stringify({ ...loss.getConfig(), name: 0 }) === JSON.stringify({ ...fresh.getConfig(), name: 0 });
  return same ? entry.canonical : undefined;
}

function kindOf(loss: LossObject): LossKind {
  const entry = Object.values(LOSSES).find((e) => loss instanceof (e.cls as unknown as typeof classes.Huber));
  return entry?.kind ?? "custom";
}

/**
 * Keras' `losses.get`: a name or alias (`"mse"`), a loss object (`losses.Huber()`), or a function
 * `(yTrue, yPred) => perSample`.
 */
export function get(identifier: string | LossFn | LossObject): ResolvedLoss {
  if (isLoss(identifier)) {
    const obj = identifier;
    return {
      name: obj.name,
      fn: (t, p) => obj.call(t, p),
      reduction: obj.reduction,
      kind: kindOf(obj),
      plainName: plainNameOf(obj),
    };
  }
  if (typeof identifier === "function") {
    return { name: identifier.name || "loss", fn: identifier, reduction: "sum_over_batch_size", kind: "custom" };
  }
  if (typeof identifier === "string") {
    const entry = LOSSES[identifier] ?? LOSSES[identifier.toLowerCase()];
    if (entry) {
      const obj = new entry.cls();
      return {
        name: entry.canonical,
        fn: (t, p) => obj.call(t, p),
        reduction: "sum_over_batch_size",
        kind: entry.kind,
        identifier,
        plainName: entry.canonical,
      };
    }
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
    `Could not interpret loss identifier: ${String(identifier)}. Pass a loss name such as 'categorical_crossentropy', a loss object such as losses.Huber(), or a function (yTrue, yPred) => tf.Tensor.`,
  );
}
