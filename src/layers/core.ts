/**
 * Keras' core layers as factories returning callable tfjs-layers objects: `Dense`, `Activation`,
 * `Dropout`, `Flatten`, `Reshape`. Names, defaults and argument forms follow Keras 3
 * (`Dense(512, { activation: "relu", inputShape: [784] })` or `Dense({ units: 10, inputDim: 784 })`).
 */
import { tf } from "../tf";
import { uniformSource } from "../random";
import { resolveActivation } from "./activations";
import {
  type KernelLayerOptions,
  type LayerOptions,
  baseArgs,
  kernelArgs,
  positiveInt,
  withRegularizers,
} from "./common";
import { type CallableLayer, callable } from "./callable";
import { setExtras } from "./extras";

export interface DenseOptions extends KernelLayerOptions {
  units?: number;
  /** Keras 2's `input_dim=784`, same as `inputShape: [784]`. */
  inputDim?: number;
}

/** Keras' `Dense(units, activation=None, use_bias=True, kernel_initializer="glorot_uniform", …)`. */
export function Dense(units: number | (DenseOptions & { units: number }), options: DenseOptions = {}): CallableLayer {
  const o: DenseOptions = typeof units === "number" ? { ...options, units } : units;
  const n = positiveInt(o.units, "Dense: units");
  const args = baseArgs("Dense", o);
  if (o.inputDim !== undefined && o.inputShape === undefined)
    args.inputShape = [positiveInt(o.inputDim, "Dense: inputDim")];
  const layer = tf.layers.dense({ ...args, units: n, ...kernelArgs(o) } as Parameters<typeof tf.layers.dense>[0]);
  return callable(withRegularizers(layer, o));
}

export interface ActivationOptions extends LayerOptions {
  activation?: string;
}

/** Keras' `Activation("relu")`. */
export function Activation(
  activation: string | (ActivationOptions & { activation: string }),
  options: LayerOptions = {},
): CallableLayer {
  const o: ActivationOptions = typeof activation === "string" ? { ...options, activation } : activation;
  return callable(
    tf.layers.activation({
      ...baseArgs("Activation", o),
      activation: resolveActivation(o.activation),
    } as Parameters<typeof tf.layers.activation>[0]),
  );
}

export interface DropoutOptions extends LayerOptions {
  rate?: number;
  noiseShape?: number[];
  /** Seeds this layer's masks; without it they follow the global seed (`utils.setRandomSeed`). */
  seed?: number;
}

/**
 * Keras' `Dropout(rate)`: during training zeroes a fraction `rate` of its inputs and scales the rest by
 * 1 / (1 - rate); at inference it passes inputs through. Masks are drawn by the model's training loop
 * from this layer's own seeded source, a fresh mask every step.
 */
export function Dropout(
  rate: number | (DropoutOptions & { rate: number }),
  options: DropoutOptions = {},
): CallableLayer {
  const o: DropoutOptions = typeof rate === "number" ? { ...options, rate } : rate;
  if (typeof o.rate !== "number" || !(o.rate >= 0 && o.rate < 1)) {
    throw new Error(`Dropout: rate must be a number in [0, 1) (the fraction of units to drop), got ${String(o.rate)}`);
  }
  const layer = tf.layers.dropout({ ...baseArgs("Dropout", o), rate: o.rate, noiseShape: o.noiseShape } as Parameters<
    typeof tf.layers.dropout
  >[0]);
  setExtras(layer, { dropoutRandom: uniformSource(o.seed) });
  return callable(layer);
}

/** Keras' `Flatten()`: (None, 28, 28) → (None, 784); (None, 10) stays (None, 10). */
export function Flatten(options: LayerOptions = {}): CallableLayer {
  const layer = tf.layers.flatten(baseArgs("Flatten", options) as Parameters<typeof tf.layers.flatten>[0]);
  // tfjs wants rank ≥ 3; Keras 3 also flattens a (batch, features) tensor (to itself), e.g. after pooling.
  layer.inputSpec = [{ minNDim: 2 }];
  return callable(layer);
}

export interface ReshapeOptions extends LayerOptions {
  targetShape?: number[];
}

/** Keras' `Reshape(target_shape)`: the shape of one sample after the layer (one entry may be -1). */
export function Reshape(
  targetShape: number[] | (ReshapeOptions & { targetShape: number[] }),
  options: LayerOptions = {},
): CallableLayer {
  const o: ReshapeOptions = Array.isArray(targetShape) ? { ...options, targetShape } : targetShape;
  if (!Array.isArray(o.targetShape)) throw new Error("Reshape: targetShape must be a list such as [28, 28, 1]");
  return callable(
    tf.layers.reshape({ ...baseArgs("Reshape", o), targetShape: o.targetShape } as Parameters<
      typeof tf.layers.reshape
    >[0]),
  );
}
