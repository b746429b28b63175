/**
 * Keras' numeric preprocessing layers: `Rescaling(scale, offset)` (x·scale + offset) and
 * `Normalization` ((x - mean) / max(sqrt(variance), 1e-7), or its inverse with `invert`), with the mean
 * and variance given as options or learned by `adapt(data)`. `adapt` reads the data once on the host and
 * sums in float64 (two passes: mean, then squared deviations), so the statistics of tens of millions of
 * values keep their digits; Keras' weights follow: `mean`, `variance`, `count` (not trainable).
 */
import { tf } from "../tf";
import type { LayerOptions } from "./common";
import { KerasLayer, oneShape, oneTensor, register } from "./base";
import { layerOptions } from "./options";

export interface RescalingOptions extends LayerOptions {
  scale?: number;
  offset?: number;
}

export class RescalingLayer extends KerasLayer {
  static className = "Rescaling";
  readonly scale: number;
  readonly offset: number;
  constructor(o: RescalingOptions) {
    super("Rescaling", o);
    if (typeof o.scale !== "number")
      throw new Error(`Rescaling: scale must be a number such as 1 / 255, got ${String(o.scale)}`);
    this.scale = o.scale;
    this.offset = o.offset ?? 0;
    if (typeof this.offset !== "number") throw new Error(`Rescaling: offset must be a number, got ${String(o.offset)}`);
    this.supportsMasking = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(s);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.cast(oneTensor(inputs), "float32");
      const y = tf.mul(x, tf.scalar(this.scale));
      return this.offset === 0 ? y : tf.add(y, tf.scalar(this.offset));
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
register(RescalingLayer);

/** `Rescaling(1 / 255)` or `Rescaling(1 / 127.5, { offset: -1 })`. */
export function Rescaling(scale: number | RescalingOptions, options?: RescalingOptions): RescalingLayer {
  const raw = typeof scale === "number" ? { ...(options ?? {}), scale } : scale;
  return new RescalingLayer(layerOptions("Rescaling", raw, ["scale", "offset"]));
}

export interface NormalizationOptions extends LayerOptions {
  /** The axis (or axes) that keep their own statistics; `null` for one mean over everything. Default -1. */
  axis?: number | number[] | null;
  mean?: number | number[];
  variance?: number | number[];
  invert?: boolean;
}

const EPSILON = 1e-7;

export class NormalizationLayer extends KerasLayer {
  static className = "Normalization";
  readonly axis: number[];
  readonly invert: boolean;
  private readonly givenMean?: number[];
  private readonly givenVariance?: number[];
  adaptMean?: tf.LayerVariable;
  adaptVariance?: tf.LayerVariable;
  count?: tf.LayerVariable;
  private keep: number[] = [];

  constructor(o: NormalizationOptions) {
    super("Normalization", o);
    this.axis = o.axis === null ? [] : typeof o.axis === "number" ? [o.axis] : (o.axis ?? [-1]);
    this.invert = o.invert ?? false;
    if ((o.mean === undefined) !== (o.variance === undefined)) {
      throw new Error(
        "When setting values directly, both `mean` and `variance` must be set. Received: mean=" +
          `${JSON.stringify(o.mean ?? null)} and variance=${JSON.stringify(o.variance ?? null)}`,
      );
    }
    if (o.mean !== undefined) {
      this.givenMean = typeof o.mean === "number" ? [o.mean] : [...o.mean];
      this.givenVariance = typeof o.variance === "number" ? [o.variance] : [...(o.variance as number[])];
    }
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = oneShape(inputShape);
    const nd = s.length;
    if (this.axis.some((a) => a < -nd || a >= nd)) {
      throw new Error(
        `All \`axis\` values must be in the range [-ndim, ndim). Received inputs with ndim=${nd}, while axis=${JSON.stringify(this.axis)}`,
      );
    }
    this.keep = [...new Set(this.axis.map((a) => (a < 0 ? a + nd : a)))].sort((a, b) => a - b);
    for (const d of this.keep) {
      if (s[d] === null) {
        throw new Error(
          `All \`axis\` values to be kept must have a known shape. Received axis=${JSON.stringify(this.axis)}, with unknown axis at index ${d}`,
        );
      }
    }
    if (!this.givenMean) {
      const shape = this.keep.map((d) => s[d] as number);
      this.adaptMean = this.addWeight("mean", shape, "float32", tf.initializers.zeros(), undefined, false);
      this.adaptVariance = this.addWeight("variance", shape, "float32", tf.initializers.ones(), undefined, false);
      this.count = this.addWeight("count", [], "float32", tf.initializers.zeros(), undefined, false);
    }
    this.built = true;
  }

  /** mean and variance broadcastable against an input of rank `rank`. */
  private stats(rank: number): [tf.Tensor, tf.Tensor] {
    const bshape = Array.from({ length: rank }, () => 1);
    if (this.givenMean) {
      // Keras aligns explicit mean/variance to the kept axes.
      const kept = this.keep.map((d) => d);
      const size = this.givenMean.length;
      if (size > 1) for (const d of kept.slice(-1)) bshape[d] = size;
      return [tf.reshape(tf.tensor(this.givenMean), bshape), tf.reshape(tf.tensor(this.givenVariance!), bshape)];
    }
    const mean = this.adaptMean!.read();
    for (let i = 0; i < this.keep.length; i++) bshape[this.keep[i]] = mean.shape[i];
    return [tf.reshape(mean, bshape), tf.reshape(this.adaptVariance!.read(), bshape)];
  }

  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(s);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.cast(oneTensor(inputs), "float32");
      const [mean, variance] = this.stats(x.rank);
      const std = tf.maximum(tf.sqrt(variance), tf.scalar(EPSILON));
      return this.invert ? tf.add(mean, tf.mul(x, std)) : tf.div(tf.sub(x, mean), std);
    });
  }

  /**
   * Keras' `adapt(data)`: the per-position mean and (biased) variance of `data` along the kept axes,
   * computed on the host in float64. `data` is a tensor or nested number arrays shaped like the inputs
   * (batch axis first).
   */
  adapt(data: tf.Tensor | number[] | number[][] | number[][][] | number[][][][]): void {
    if (this.givenMean) {
      throw new Error("Cannot `adapt` a Normalization layer that is initialized with static `mean` and `variance`");
    }
    const t = data instanceof tf.Tensor ? data : tf.tensor(data as number[]);
    try {
      const shape = t.shape;
      if (shape.length === 0 || shape[0] === 0) throw new Error("Normalization.adapt: the data is empty");
      if (!this.built) this.build([null, ...shape.slice(1)]);
      if (this.keep.some((d) => d >= shape.length)) {
        throw new Error(`Normalization.adapt: data of shape ${JSON.stringify(shape)} does not have the layer's axis`);
      }
      const expected = this.adaptMean!.shape;
      const got = this.keep.map((d) => shape[d]);
      if (got.join(",") !== expected.join(",")) {
        throw new Error(
          `Normalization.adapt: the data's kept axes have sizes ${JSON.stringify(got)}, the layer was built for ${JSON.stringify(expected)}`,
        );
      }
      const values = t.dataSync();
      const { mean, variance, perPosition } = momentsFloat64(values, shape, this.keep);
      this.adaptMean!.write(tf.tensor(Float32Array.from(mean), expected as number[]));
      this.adaptVariance!.write(tf.tensor(Float32Array.from(variance), expected as number[]));
      this.count!.write(tf.scalar(perPosition));
    } finally {
      if (t !== data) t.dispose();
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      axis: this.axis.length === 0 ? null : this.axis,
      invert: this.invert,
    };
    if (this.givenMean) {
      config.mean = this.givenMean;
      config.variance = this.givenVariance!;
    }
    return config;
  }
}
register(NormalizationLayer);

/** Mean and biased variance per position of the kept axes, summed in float64 (two passes). */
export function momentsFloat64(
  values: ArrayLike<number>,
  shape: readonly number[],
  keep: readonly number[],
): { mean: Float64Array; variance: Float64Array; perPosition: number } {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const keptSizes = keep.map((d) => shape[d]);
  const positions = keptSizes.reduce((a, b) => a * b, 1);
  const keptStrides = keptSizes.map((_, i) => keptSizes.slice(i + 1).reduce((a, b) => a * b, 1));
  const n = values.length;
  const position = new Int32Array(n);
  if (keep.length > 0) {
    for (let i = 0; i < n; i++) {
      let p = 0;
      for (let k = 0; k < keep.length; k++) p += (Math.floor(i / strides[keep[k]]) % shape[keep[k]]) * keptStrides[k];
      position[i] = p;
    }
  }
  const sum = new Float64Array(positions);
  for (let i = 0; i < n; i++) sum[position[i]] += values[i];
  const perPosition = n / positions;
  const mean = sum.map((s) => s / perPosition);
  const sq = new Float64Array(positions);
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean[position[i]];
    sq[position[i]] += d * d;
  }
  return { mean, variance: sq.map((s) => s / perPosition), perPosition };
}

/** `Normalization()`, `Normalization({ axis: -1 })` then `layer.adapt(xTrain)`, or with `mean`/`variance`. */
export function Normalization(options: NormalizationOptions = {}): NormalizationLayer {
  return new NormalizationLayer(layerOptions("Normalization", options, ["axis", "mean", "variance", "invert"]));
}
