/**
 * Option handling shared by the layer factories: Keras names (auto `dense`, `dense_1`…), shapes,
 * initializers and regularizers resolved through the project's `initializers`/`regularizers` modules.
 */
import { get as getInitializer } from "../initializers/index";
import { get as getRegularizer } from "../regularizers/index";
import { autoName, toSnakeCase } from "../utils/naming";
import { resolveActivation } from "./activations";
import { type Layer, type RegularizerLike, setExtras } from "./extras";

export type InitializerIdentifier = Parameters<typeof getInitializer>[0];
export type RegularizerIdentifier = Parameters<typeof getRegularizer>[0];

/** Options every layer takes (Keras' `name`, `input_shape`, `batch_size`, `trainable`). */
export interface LayerOptions {
  name?: string;
  /** Shape of one sample, without the batch axis: Keras' `input_shape=(784,)` is `inputShape: [784]`. */
  inputShape?: number[] | number;
  batchSize?: number;
  trainable?: boolean;
}

export function positiveInt(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new Error(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

export function shapeOf(value: number[] | number, what: string): number[] {
  const shape = typeof value === "number" ? [value] : value;
  if (!Array.isArray(shape) || shape.some((d) => typeof d !== "number" || !Number.isInteger(d) || d <= 0)) {
    throw new Error(
      `${what} must be a list of positive integers such as [784] or [28, 28, 1], got ${JSON.stringify(value)}`,
    );
  }
  return [...shape];
}

/** tfjs-layers base arguments: the Keras auto name unless the user named the layer. */
export function baseArgs(className: string, o: LayerOptions): Record<string, unknown> {
  const args: Record<string, unknown> = { name: o.name ?? autoName(toSnakeCase(className)) };
  if (o.inputShape !== undefined) args.inputShape = shapeOf(o.inputShape, `${className}: inputShape`);
  if (o.batchSize !== undefined) args.batchSize = positiveInt(o.batchSize, `${className}: batchSize`);
  if (o.trainable === false) args.trainable = false;
  return args;
}

export function initializer(identifier: InitializerIdentifier | undefined, fallback: string): unknown {
  return getInitializer(identifier ?? fallback);
}

export function regularizer(identifier: RegularizerIdentifier | undefined): RegularizerLike | undefined {
  if (identifier == null) return undefined;
  return (getRegularizer(identifier) ?? undefined) as RegularizerLike | undefined;
}

/** Keras' `padding`: "valid" or "same", any case. */
export function padding(value: string | undefined, className: string): "valid" | "same" {
  const p = (value ?? "valid").toLowerCase();
  if (p !== "valid" && p !== "same") {
    throw new Error(`${className}: padding must be 'valid' or 'same', got '${value}'`);
  }
  return p;
}

/** A kernel/pool size or stride given as `3` or `[3, 3]`. */
export function pair(value: number | number[], what: string): [number, number] {
  const v = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(v) || v.length !== 2)
    throw new Error(`${what} must be a number or a pair [h, w], got ${JSON.stringify(value)}`);
  return [positiveInt(v[0], what), positiveInt(v[1], what)];
}

/** The options Keras' kernel layers (Dense, Conv2D) share. */
export interface KernelLayerOptions extends LayerOptions {
  activation?: string | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
}

/** tfjs arguments for a kernel layer's activation, bias and initializers, with Keras' defaults. */
export function kernelArgs(o: KernelLayerOptions): Record<string, unknown> {
  return {
    activation: resolveActivation(o.activation),
    useBias: o.useBias ?? true,
    kernelInitializer: initializer(o.kernelInitializer, "glorot_uniform"),
    biasInitializer: initializer(o.biasInitializer, "zeros"),
  };
}

/** Attaches a kernel layer's regularizers (applied by our own forward pass, see extras.ts). */
export function withRegularizers(layer: Layer, o: KernelLayerOptions): Layer {
  setExtras(layer, {
    kernelRegularizer: regularizer(o.kernelRegularizer),
    biasRegularizer: regularizer(o.biasRegularizer),
    activityRegularizer: regularizer(o.activityRegularizer),
  });
  return layer;
}
