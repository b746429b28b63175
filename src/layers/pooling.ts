/**
 * Keras' pooling layers besides MaxPooling2D: `MaxPooling1D`, `AveragePooling1D`, `AveragePooling2D`
 * (tfjs-layers' kernels, TensorFlow's pooling semantics: "same" averages only the real values), and the
 * global poolings with Keras 3's `keepdims`. `GlobalAveragePooling1D` honours an Embedding's mask (the
 * mean over unmasked steps), as Keras does.
 */
import { tf } from "../tf";
import { type LayerOptions, baseArgs } from "./common";
import type { Layer } from "./extras";
import { KerasLayer, type Kwargs, checkNdim, oneMask, oneShape, oneTensor, register } from "./base";
import { choice, layerOptions, tuple } from "./options";

export interface PoolingOptions extends LayerOptions {
  poolSize?: number | number[];
  /** Defaults to `poolSize`, as in Keras. */
  strides?: number | number[] | null;
  padding?: string;
  dataFormat?: string;
}

const POOL = ["poolSize", "strides", "padding", "dataFormat"];

function poolArgs(cls: string, rank: 1 | 2, poolSize: unknown, options: PoolingOptions | undefined) {
  const raw =
    typeof poolSize === "number" || Array.isArray(poolSize)
      ? { ...(options ?? {}), poolSize }
      : { ...(options ?? {}), ...((poolSize as PoolingOptions) ?? {}) };
  const o = layerOptions<PoolingOptions>(cls, raw as PoolingOptions, POOL);
  if (o.dataFormat !== undefined && !/^channels_?last$/i.test(o.dataFormat)) {
    throw new Error(`${cls}: only dataFormat 'channels_last' is supported (Keras' default)`);
  }
  const size = tuple(o.poolSize ?? 2, rank, `${cls}: poolSize`);
  const strides = o.strides == null ? size : tuple(o.strides, rank, `${cls}: strides`);
  return {
    ...baseArgs(cls, o),
    poolSize: rank === 1 ? size[0] : size,
    strides: rank === 1 ? strides[0] : strides,
    padding: choice(o.padding, ["valid", "same"] as const, `${cls}: padding`, "valid"),
    dataFormat: "channelsLast",
  };
}

type P1 = number | [number] | PoolingOptions;
type P2 = number | [number, number] | PoolingOptions;

/** Keras' `MaxPooling1D(pool_size=2, strides=None, padding="valid")`. */
export function MaxPooling1D(poolSize?: P1, options?: PoolingOptions): Layer {
  return tf.layers.maxPooling1d(poolArgs("MaxPooling1D", 1, poolSize, options) as never);
}

/** Keras' `AveragePooling1D(pool_size=2, strides=None, padding="valid")`. */
export function AveragePooling1D(poolSize?: P1, options?: PoolingOptions): Layer {
  return tf.layers.averagePooling1d(poolArgs("AveragePooling1D", 1, poolSize, options) as never);
}

/** Keras' `AveragePooling2D(pool_size=(2, 2), strides=None, padding="valid")`. */
export function AveragePooling2D(poolSize?: P2, options?: PoolingOptions): Layer {
  return tf.layers.averagePooling2d(poolArgs("AveragePooling2D", 2, poolSize, options) as never);
}

export const MaxPool1D = MaxPooling1D;
export const AvgPool1D = AveragePooling1D;
export const AvgPool2D = AveragePooling2D;

export interface GlobalPoolingOptions extends LayerOptions {
  /** Keep the pooled axes with size 1 (Keras 3's `keepdims`, default false). */
  keepdims?: boolean;
  dataFormat?: string;
}

type Reduce = "mean" | "max";

class GlobalPooling extends KerasLayer {
  readonly keepdims: boolean;
  constructor(
    className: string,
    private readonly rank: 1 | 2,
    private readonly reduce: Reduce,
    o: GlobalPoolingOptions,
  ) {
    const opts = layerOptions<GlobalPoolingOptions>(className, o, ["keepdims", "dataFormat"]);
    if (opts.dataFormat !== undefined && !/^channels_?last$/i.test(opts.dataFormat)) {
      throw new Error(`${className}: only dataFormat 'channels_last' is supported (Keras' default)`);
    }
    super(className, opts);
    this.keepdims = opts.keepdims ?? false;
    this.supportsMasking = rank === 1 && reduce === "mean";
  }

  private axes(): number[] {
    return this.rank === 1 ? [1] : [1, 2];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    checkNdim(this.name, oneShape(inputShape), this.rank + 2);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    if (this.keepdims) return s.map((d, i) => (this.axes().includes(i) ? 1 : d));
    return [s[0], s[s.length - 1]];
  }

  override computeMask(): tf.Tensor {
    return null as unknown as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor(inputs);
      const mask = oneMask(kwargs?.mask);
      if (this.reduce === "max") return tf.max(x, this.axes(), this.keepdims);
      if (!mask || this.rank !== 1) return tf.mean(x, this.axes(), this.keepdims);
      const m = tf.expandDims(tf.cast(mask, x.dtype), 2);
      return tf.div(tf.sum(tf.mul(x, m), 1, this.keepdims), tf.sum(m, 1, this.keepdims));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), keepdims: this.keepdims };
  }
}

export class GlobalAveragePooling1DLayer extends GlobalPooling {
  static className = "GlobalAveragePooling1D";
  constructor(o: GlobalPoolingOptions = {}) {
    super("GlobalAveragePooling1D", 1, "mean", o);
  }
}
export class GlobalMaxPooling1DLayer extends GlobalPooling {
  static className = "GlobalMaxPooling1D";
  constructor(o: GlobalPoolingOptions = {}) {
    super("GlobalMaxPooling1D", 1, "max", o);
  }
}
export class GlobalAveragePooling2DLayer extends GlobalPooling {
  static className = "GlobalAveragePooling2D";
  constructor(o: GlobalPoolingOptions = {}) {
    super("GlobalAveragePooling2D", 2, "mean", o);
  }
}
export class GlobalMaxPooling2DLayer extends GlobalPooling {
  static className = "GlobalMaxPooling2D";
  constructor(o: GlobalPoolingOptions = {}) {
    super("GlobalMaxPooling2D", 2, "max", o);
  }
}
for (const cls of [
  GlobalAveragePooling1DLayer,
  GlobalMaxPooling1DLayer,
  GlobalAveragePooling2DLayer,
  GlobalMaxPooling2DLayer,
])
  register(cls);

export const GlobalAveragePooling1D = (o?: GlobalPoolingOptions) => new GlobalAveragePooling1DLayer(o);
export const GlobalMaxPooling1D = (o?: GlobalPoolingOptions) => new GlobalMaxPooling1DLayer(o);
export const GlobalAveragePooling2D = (o?: GlobalPoolingOptions) => new GlobalAveragePooling2DLayer(o);
export const GlobalMaxPooling2D = (o?: GlobalPoolingOptions) => new GlobalMaxPooling2DLayer(o);
export const GlobalAvgPool1D = GlobalAveragePooling1D;
export const GlobalMaxPool1D = GlobalMaxPooling1D;
export const GlobalAvgPool2D = GlobalAveragePooling2D;
export const GlobalMaxPool2D = GlobalMaxPooling2D;
