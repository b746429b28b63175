/**
 * Keras' merge layers: `Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`, `Concatenate({ axis })`
 * and `Dot({ axes, normalize })`, called on a list of tensors: `layers.Add()([a, b])`. Shapes are checked when
 * the layer is called, with Keras 3's messages; tfjs-layers computes them (Subtract is our own layer, tfjs has
 * none).
 */
import { tf } from "../tf";
import { type CallableLayer, callable } from "./callable";
import { type LayerOptions, baseArgs } from "./common";
import type { Layer } from "./extras";

type Shape = (number | null)[];

const py = (s: Shape) => {
  const dims = s.map((d) => (d === null ? "None" : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
};

function shapesOf(className: string, inputs: unknown): Shape[] {
  if (!Array.isArray(inputs)) {
    const shape = (inputs as { shape?: Shape })?.shape;
    throw new Error(
      `A merge layer should be called on a list of inputs. Received: input_shape=${shape ? py(shape) : String(inputs)} (not a list of shapes). Call it as layers.${className}()([a, b]).`,
    );
  }
  return inputs.map((t) => [...((t as { shape: Shape }).shape ?? [])]);
}

/** Keras' _compute_elemwise_op_output_shape: equal dims, or one of them 1 (broadcast), or unknown. */
function elementwiseShape(a: Shape, b: Shape): Shape {
  if (a.length < b.length) return elementwiseShape(b, a);
  const out = a.slice(0, a.length - b.length);
  b.forEach((j, k) => {
    const i = a[a.length - b.length + k];
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1 || i === j) out.push(i);
    else throw new Error(`Inputs have incompatible shapes. Received shapes ${py(a.slice(1))} and ${py(b.slice(1))}`);
  });
  return out;
}

function checkElementwise(className: string, inputs: unknown): void {
  const shapes = shapesOf(className, inputs);
  if (shapes.length < 1) {
    throw new Error(`A merge layer should be called on a list of at least 1 input. Got ${shapes.length} inputs.`);
  }
  shapes.reduce((acc, s) => elementwiseShape(acc, s));
}

function checkConcatenate(axis: number, inputs: unknown): void {
  const shapes = shapesOf("Concatenate", inputs);
  if (shapes.length < 1) {
    throw new Error(`A \`Concatenate\` layer should be called on a list of at least 1 input. Received: input_shape=[]`);
  }
  const rank = shapes[0].length;
  const ax = axis < 0 ? axis + rank : axis;
  const fits = shapes.every(
    (s) =>
      s.length === rank && s.every((d, i) => i === ax || d === null || shapes[0][i] === null || d === shapes[0][i]),
  );
  if (!fits) {
    throw new Error(
      `A \`Concatenate\` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[${shapes.map(py).join(", ")}]`,
    );
  }
}

/** Runs `check` on the inputs before tfjs' own apply, keeping `this` (the callable proxy). */
function guarded(layer: Layer, check: (inputs: unknown) => void): CallableLayer {
  const apply = layer.apply;
  layer.apply = function (this: Layer, inputs, kwargs) {
    check(inputs);
    return apply.call(this, inputs, kwargs);
  } as Layer["apply"];
  return callable(layer);
}

type Factory = (args: Record<string, unknown>) => Layer;

function elementwise(className: string, make: Factory, options: LayerOptions): CallableLayer {
  return guarded(make(baseArgs(className, options)), (inputs) => checkElementwise(className, inputs));
}

/** Keras' `Add()`: the element-wise sum of its inputs (same shapes, or broadcastable). */
export const Add = (options: LayerOptions = {}) => elementwise("Add", tf.layers.add as Factory, options);
/** Keras' `Multiply()`: the element-wise product. */
export const Multiply = (options: LayerOptions = {}) => elementwise("Multiply", tf.layers.multiply as Factory, options);
/** Keras' `Average()`: the element-wise mean. */
export const Average = (options: LayerOptions = {}) => elementwise("Average", tf.layers.average as Factory, options);
/** Keras' `Maximum()`: the element-wise maximum. */
export const Maximum = (options: LayerOptions = {}) => elementwise("Maximum", tf.layers.maximum as Factory, options);
/** Keras' `Minimum()`: the element-wise minimum. */
export const Minimum = (options: LayerOptions = {}) => elementwise("Minimum", tf.layers.minimum as Factory, options);

/** Keras' Subtract layer (tfjs-layers has none): `inputs[0] - inputs[1]`. */
export class SubtractLayer extends tf.layers.Layer {
  static className = "Subtract";

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as Shape[];
    return elementwiseShape(shapes[0], shapes[1]);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [a, b] = inputs as tf.Tensor[];
      return tf.sub(a, b);
    });
  }
}
tf.serialization.registerClass(SubtractLayer);

/** Keras' `Subtract()`: `a - b`, called on exactly two tensors. */
export function Subtract(options: LayerOptions = {}): CallableLayer {
  const layer = new SubtractLayer(baseArgs("Subtract", options) as ConstructorParameters<typeof SubtractLayer>[0]);
  return guarded(layer, (inputs) => {
    const shapes = shapesOf("Subtract", inputs);
    if (shapes.length !== 2) {
      throw new Error(
        `A \`Subtract\` layer should be called on exactly 2 inputs. Received: input_shape=[${shapes.map(py).join(", ")}]`,
      );
    }
    elementwiseShape(shapes[0], shapes[1]);
  });
}

export interface ConcatenateOptions extends LayerOptions {
  /** Axis to join along (default -1, the features). */
  axis?: number;
}

/** Keras' `Concatenate(axis=-1)`: joins its inputs along `axis`; all other dimensions must match. */
export function Concatenate(options: ConcatenateOptions | number = {}): CallableLayer {
  const o = typeof options === "number" ? { axis: options } : options;
  const axis = o.axis ?? -1;
  if (!Number.isInteger(axis)) throw new Error(`Concatenate: axis must be an integer, got ${String(o.axis)}`);
  const layer = tf.layers.concatenate({ ...baseArgs("Concatenate", o), axis } as Parameters<
    typeof tf.layers.concatenate
  >[0]);
  return guarded(layer, (inputs) => checkConcatenate(axis, inputs));
}

export interface DotOptions extends LayerOptions {
  /** Axis (or one per input) along which to take the dot product. */
  axes: number | [number, number];
  /** L2-normalise along `axes` first, so the result is the cosine similarity (default false). */
  normalize?: boolean;
}

/** Keras' `Dot(axes, normalize=False)`: the dot product of two tensors along `axes`. */
export function Dot(
  axes: number | [number, number] | DotOptions,
  options: Omit<DotOptions, "axes"> = {},
): CallableLayer {
  const o: DotOptions = typeof axes === "number" || Array.isArray(axes) ? { ...options, axes } : axes;
  if (o.axes === undefined) throw new Error("Dot: axes is required, e.g. layers.Dot({ axes: 1 })");
  const layer = tf.layers.dot({ ...baseArgs("Dot", o), axes: o.axes, normalize: o.normalize ?? false } as Parameters<
    typeof tf.layers.dot
  >[0]);
  return guarded(layer, (inputs) => {
    const shapes = shapesOf("Dot", inputs);
    if (shapes.length !== 2) {
      throw new Error(
        `A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=[${shapes.map(py).join(", ")}]`,
      );
    }
    const [a, b] = shapes;
    const [ax, bx] = (Array.isArray(o.axes) ? o.axes : [o.axes, o.axes]).map((x, i) =>
      x < 0 ? x + shapes[i].length : x,
    );
    if (a[ax] !== null && b[bx] !== null && a[ax] !== b[bx]) {
      throw new Error(
        `Incompatible input shapes: axis values ${a[ax]} (at axis ${ax}) != ${b[bx]} (at axis ${bx}). Full input shapes: ${py(a)}, ${py(b)}`,
      );
    }
  });
}
