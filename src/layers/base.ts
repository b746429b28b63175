/**
 * The base of the layers this library implements itself (RNNs, pooling with masks, noise, augmentation,
 * …): a tfjs-layers `Layer`, so Sequential, summary and saving treat it like tfjs' own, with Keras'
 * input-compatibility messages and a per-layer random seed.
 *
 * Every `call` obeys the compiled path's tracing rules: tfjs ops only, no reads of tensor values, and
 * randomness only from `src/backend/random.ts` with the seed drawn here at construction.
 */
import { tf } from "../tf";
import { layerSeed } from "../backend/random";
import { formatShape } from "../models/data";
import { baseArgs, type LayerOptions } from "./common";

export type Shape = (number | null)[];
export type Kwargs = { training?: boolean; mask?: tf.Tensor | tf.Tensor[] | null; [k: string]: unknown };

/** tfjs base arguments from user options or a saved config (which carries batchInputShape and dtype). */
export function layerArgs(className: string, o: LayerOptions & { batchInputShape?: Shape; dtype?: string }) {
  const args = baseArgs(className, o);
  if (o.batchInputShape !== undefined) args.batchInputShape = o.batchInputShape;
  if (o.dtype !== undefined) args.dtype = o.dtype;
  return args as ConstructorParameters<typeof tf.layers.Layer>[0];
}

/** The single shape of `inputShape` (tfjs passes a list for multi-input layers). */
export function oneShape(inputShape: tf.Shape | tf.Shape[]): Shape {
  const s = inputShape as unknown[];
  return (Array.isArray(s[0]) ? s[0] : s) as Shape;
}

export function oneTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export function oneMask(mask: tf.Tensor | tf.Tensor[] | null | undefined): tf.Tensor | undefined {
  const m = Array.isArray(mask) ? mask[0] : mask;
  return m ?? undefined;
}

/** Keras' `Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2. …`. */
export function checkNdim(layer: string, shape: Shape, ndim: number, kind: "ndim" | "min_ndim" = "ndim"): void {
  const bad = kind === "ndim" ? shape.length !== ndim : shape.length < ndim;
  if (bad) {
    throw new Error(
      `Input 0 of layer "${layer}" is incompatible with the layer: expected ${kind}=${ndim}, found ndim=${shape.length}. Full shape received: ${formatShape(shape)}`,
    );
  }
}

/** Keras' message for an input whose last axis does not match the built one. */
export function checkAxis(layer: string, shape: Shape, axis: number, value: number): void {
  const a = axis < 0 ? shape.length + axis : axis;
  if (shape[a] !== null && shape[a] !== value) {
    throw new Error(
      `Input 0 of layer "${layer}" is incompatible with the layer: expected axis ${axis} of input shape to have value ${value}, but received input with shape ${formatShape(shape)}`,
    );
  }
}

export abstract class KerasLayer extends tf.layers.Layer {
  /** The seed of this layer's random draws (random layers only read it). */
  readonly seed: number;

  constructor(className: string, o: LayerOptions & { seed?: number }) {
    super(layerArgs(className, o));
    this.seed = o.seed ?? layerSeed();
  }

  /** Marks the layer built (tfjs' `apply` does it; sub-layers built by hand need it too). */
  protected markBuilt(): void {
    this.built = true;
  }
}

/** Builds `layer` (a sub-layer of a wrapper) for `inputShape` if it is not built yet. */
export function buildSublayer(layer: tf.layers.Layer, inputShape: Shape): void {
  if (layer.built) return;
  layer.build(inputShape);
  layer.built = true;
}

/** Registers a layer class for loading saved models (its static `className` is Keras' class name). */
export function register(cls: tf.serialization.SerializableConstructor<tf.serialization.Serializable>): void {
  tf.serialization.registerClass(cls);
}
