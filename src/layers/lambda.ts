/**
 * Keras' `Lambda(fn)`: any JavaScript function of the input tensor as a layer. Because `fn` is user code
 * (it may read tensor values or branch in JavaScript), the compiled training path must not trace it:
 * the layer carries `isUserCode = true`, and `containsUserCode(layers)` tells the trainer to train such
 * a model eagerly. It cannot be saved with its function (as in Keras, where Lambda needs safe_mode off).
 */
import { tf } from "../tf";
import type { LayerOptions } from "./common";
import { KerasLayer, type Kwargs, type Shape, oneShape, oneTensor, register } from "./base";
import { layerOptions } from "./options";

export interface LambdaOptions extends LayerOptions {
  /** The output shape of one sample (without batch), or a function of the input shape; default: inferred. */
  outputShape?: number[] | ((inputShape: Shape) => Shape);
}

export class LambdaLayer extends KerasLayer {
  static className = "Lambda";
  /** Marks a layer whose call runs user JavaScript: the compiled path trains models holding one eagerly. */
  readonly isUserCode = true;
  constructor(
    readonly fn: ((x: tf.Tensor, kwargs: Kwargs) => tf.Tensor) | undefined,
    private readonly outputShapeOption: LambdaOptions["outputShape"],
    o: LayerOptions,
  ) {
    super("Lambda", o);
    this.supportsMasking = true;
  }

  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    const input = oneShape(s);
    const o = this.outputShapeOption;
    if (typeof o === "function") return o(input);
    if (Array.isArray(o)) return [input[0], ...o];
    if (!this.fn) return input;
    // Keras infers the shape by running the function; we run it on a zero sample of batch 1.
    if (input.slice(1).some((d) => d === null)) return input;
    const sample = tf.zeros([1, ...(input.slice(1) as number[])]);
    try {
      const y = tf.tidy(() => this.callFn(sample, {}));
      const shape = [input[0], ...y.shape.slice(1)];
      y.dispose();
      return shape;
    } finally {
      sample.dispose();
    }
  }

  private callFn(x: tf.Tensor, kwargs: Kwargs): tf.Tensor {
    if (!this.fn) {
      throw new Error(
        `Lambda layer "${this.name}" was loaded from a file without its function; it cannot be run. Rebuild the model in code and use loadWeights.`,
      );
    }
    const y = this.fn(x, kwargs);
    if (!(y instanceof tf.Tensor))
      throw new Error(`Lambda layer "${this.name}": the function must return a tensor, got ${typeof y}`);
    return y;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => this.callFn(oneTensor(inputs), kwargs ?? {}));
  }

  override getConfig(): tf.serialization.ConfigDict {
    const c: tf.serialization.ConfigDict = { ...super.getConfig(), function: String(this.fn ?? "") };
    // The shape is saved so a loaded model (which has no function) still knows its layer shapes.
    if (Array.isArray(this.outputShapeOption)) c.outputShape = this.outputShapeOption;
    else if (this.built) c.outputShape = (this.outputShape as Shape).slice(1) as number[];
    return c;
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    _cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { function: _f, outputShape, ...rest } = config as Record<string, unknown>;
    return new LambdaLayer(undefined, outputShape as number[] | undefined, rest as LayerOptions) as unknown as T;
  }
}
register(LambdaLayer);

/** `Lambda((x) => tf.square(x))` or `Lambda(fn, { outputShape: [10] })`. */
export function Lambda(fn: (x: tf.Tensor, kwargs: Kwargs) => tf.Tensor, options: LambdaOptions = {}): LambdaLayer {
  if (typeof fn !== "function") throw new Error(`Lambda expects a function of a tensor, got ${typeof fn}`);
  const o = layerOptions<LambdaOptions>("Lambda", options, ["outputShape"]);
  return new LambdaLayer(fn, o.outputShape, o);
}

/** True when any of `layers` (or a layer they wrap) runs user JavaScript, so it must be trained eagerly. */
export function containsUserCode(layers: readonly tf.layers.Layer[]): boolean {
  return layers.some((l) => {
    const inner = l as unknown as { isUserCode?: boolean; layer?: tf.layers.Layer; forwardLayer?: tf.layers.Layer };
    if (inner.isUserCode === true) return true;
    const wrapped = [inner.layer, inner.forwardLayer].filter((x): x is tf.layers.Layer => x instanceof tf.layers.Layer);
    return wrapped.length > 0 && containsUserCode(wrapped);
  });
}
