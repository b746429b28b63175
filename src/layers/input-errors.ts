/**
 * Keras 3's input-compatibility messages for the layers tfjs-layers checks itself (Dense, Conv1D/2D, pooling,
 * Flatten, …). tfjs says `Input 0 is incompatible with layer conv2d: expected ndim=4, found ndim=3`, without the
 * shape and without a way out; Keras says
 *
 *   Input 0 of layer "conv2d" is incompatible with the layer: expected min_ndim=4, found ndim=3.
 *   Full shape received: (None, 28, 28)
 *
 * and a porter's first question is what to change, so the message then names the usual fix (a channel axis
 * for grey images, a Reshape for flat vectors, an Embedding for token ids). The library's own layers raise
 * the same format directly (base.ts checkNdim).
 */
import { formatShape } from "../models/data";
import type { Layer } from "./extras";

type Shape = (number | null)[];

const IMAGE_LAYERS =
  /^(Conv2D|Conv2DTranspose|SeparableConv2D|DepthwiseConv2D|MaxPooling2D|AveragePooling2D|UpSampling2D|ZeroPadding2D|Cropping2D)$/;
const SEQUENCE_LAYERS = /^(Conv1D|MaxPooling1D|AveragePooling1D)$/;
/** Keras 3's convolutions and Dense accept extra leading axes: their rank check is a minimum. */
const MIN_RANK_LAYERS = /^(Conv1D|Conv2D|Conv2DTranspose|SeparableConv2D|DepthwiseConv2D|Dense)$/;

const RANK = /^Input (\d+) is incompatible with layer (.+?): expected (ndim|min_ndim|max_ndim)=(\d+), found ndim=(\d+)/;
const AXIS = /^Input (\d+) is incompatible with layer (.+?): expected axis (-?\d+) of input shape to have value (\d+)/;

const known = (dims: Shape) => dims.every((d): d is number => d !== null);

/** What to change when a layer gets a tensor of the wrong rank (empty when there is no usual fix). */
function rankHint(className: string, shape: Shape, expected: number): string {
  const sample = shape.slice(1);
  if (IMAGE_LAYERS.test(className) && shape.length === expected - 1 && known(sample)) {
    const [h, w] = sample;
    return ` ${className} takes images (batch, height, width, channels): give grey images a channel axis, x.reshape([-1, ${h}, ${w}, 1]) and Input({ shape: [${h}, ${w}, 1] }).`;
  }
  if (IMAGE_LAYERS.test(className) && shape.length === 2) {
    return ` ${className} takes images (batch, height, width, channels), not flat vectors: put a layers.Reshape([height, width, channels]) before it (e.g. Reshape([28, 28, 1]) for 784 values).`;
  }
  if (SEQUENCE_LAYERS.test(className) && shape.length === 2) {
    const steps = sample[0] ?? "timesteps";
    return ` ${className} takes sequences (batch, steps, channels): for integer token ids put an Embedding layer first (layers.Embedding(vocabularySize, 32)); for one feature per step reshape to [${steps}, 1].`;
  }
  return "";
}

function shapeOf(inputs: unknown, index: number): Shape | undefined {
  const list = Array.isArray(inputs) ? inputs : [inputs];
  const shape = (list[index] as { shape?: Shape } | undefined)?.shape;
  return Array.isArray(shape) ? [...shape] : undefined;
}

/** tfjs' input-compatibility error as Keras 3 words it (with the shape and a fix); other errors unchanged. */
export function kerasInputError(layer: Layer, inputs: unknown, error: unknown): unknown {
  const message = (error as Error)?.message;
  if (typeof message !== "string") return error;
  const rank = RANK.exec(message);
  const axis = AXIS.exec(message);
  const shape = shapeOf(inputs, Number((rank ?? axis)?.[1] ?? 0));
  if ((!rank && !axis) || !shape) return error;
  const className = layer.getClassName();
  const head = `Input ${(rank ?? axis)![1]} of layer "${layer.name}" is incompatible with the layer`;
  if (rank) {
    const [, , , tfKind, ndim, found] = rank;
    const kind =
      tfKind === "ndim" && Number(found) < Number(ndim) && MIN_RANK_LAYERS.test(className) ? "min_ndim" : tfKind;
    const hint = rankHint(className, shape, Number(ndim));
    return new Error(
      `${head}: expected ${kind}=${ndim}, found ndim=${found}. Full shape received: ${formatShape(shape)}${hint ? `.${hint}` : ""}`,
    );
  }
  const [, , , ax, value] = axis!;
  return new Error(
    `${head}: expected axis ${ax} of input shape to have value ${value}, but received input with shape ${formatShape(shape)}. A layer keeps the input size of its first call: give it inputs of that size, or create a new layer.`,
  );
}
