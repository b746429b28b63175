/**
 * What a tslab-keras layer carries beyond its tfjs-layers engine object, kept in a side table keyed by
 * the tfjs layer: weight and activity regularizers (applied by the model's own training loop, because
 * tfjs-layers refuses activity regularizers in eager mode) and the Dropout layer's random source.
 */
import { tf } from "../tf";
import { unwrapLayer } from "./callable";

/** Anything with Keras' regularizer contract: a penalty scalar for a tensor (tfjs `apply` or a function). */
export type RegularizerLike = { apply(x: tf.Tensor): tf.Scalar } | ((x: tf.Tensor) => tf.Scalar);

export type Layer = tf.layers.Layer;

export interface LayerExtras {
  kernelRegularizer?: RegularizerLike;
  biasRegularizer?: RegularizerLike;
  activityRegularizer?: RegularizerLike;
  /** Dropout: a uniform [0, 1) source drawing one mask seed per training step (undefined: unseeded). */
  dropoutRandom?: () => number;
  /** Dropout: the seed its masks are drawn with (from `dropoutRandom`, once); masks vary with the step. */
  dropoutSeed?: number;
}

const EXTRAS = new WeakMap<Layer, LayerExtras>();

export function setExtras(layer: Layer, extras: LayerExtras): void {
  const key = unwrapLayer(layer); // callable layers and their tfjs layer share one entry
  EXTRAS.set(key, { ...EXTRAS.get(key), ...extras });
}

export function getExtras(layer: Layer): LayerExtras | undefined {
  return EXTRAS.get(unwrapLayer(layer));
}

/** The penalty a regularizer assigns to `x` (a scalar tensor). */
export function applyRegularizer(reg: RegularizerLike, x: tf.Tensor): tf.Scalar {
  return typeof reg === "function" ? reg(x) : reg.apply(x);
}

/** `{ className, config }` for saving, when the regularizer is a serializable tfjs object. */
export function serializeRegularizer(
  reg: RegularizerLike | undefined,
): { className: string; config: unknown } | undefined {
  if (reg === undefined || typeof reg === "function") return undefined;
  const s = reg as unknown as { getClassName?: () => string; getConfig?: () => unknown };
  if (typeof s.getClassName !== "function" || typeof s.getConfig !== "function") return undefined;
  return { className: s.getClassName(), config: s.getConfig() };
}

/** Rebuilds a regularizer saved by `serializeRegularizer` (its class must be registered with tfjs). */
export function deserializeRegularizer(
  saved: { className: string; config: unknown } | undefined,
): RegularizerLike | undefined {
  if (!saved) return undefined;
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[saved.className];
  if (!entry) throw new Error(`Cannot restore regularizer '${saved.className}': no such class is registered.`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, saved.config as tf.serialization.ConfigDict) as unknown as RegularizerLike;
}
