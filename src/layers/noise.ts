/**
 * Keras' regularization-by-noise layers, active only when called with `training: true`:
 * `GaussianNoise(stddev)` adds N(0, stddev²) noise, `SpatialDropout1D/2D(rate)` drop whole feature maps
 * (one draw per sample and channel, shared along the steps / pixels). Draws come from
 * `backend/random` (per-layer seed, fresh every training step), so they are reproducible with
 * `utils.setRandomSeed` and traceable into the compiled graph.
 */
import { tf } from "../tf";
import { dropout, normal } from "../backend/random";
import type { LayerOptions } from "./common";
import { KerasLayer, type Kwargs, checkNdim, oneShape, oneTensor, register } from "./base";
import { layerOptions, rateIn } from "./options";

export interface GaussianNoiseOptions extends LayerOptions {
  stddev?: number;
  seed?: number;
}

export class GaussianNoiseLayer extends KerasLayer {
  static className = "GaussianNoise";
  readonly stddev: number;
  constructor(o: GaussianNoiseOptions) {
    super("GaussianNoise", o);
    if (typeof o.stddev !== "number" || !(o.stddev >= 0)) {
      throw new Error(`GaussianNoise: stddev must be a number >= 0, got ${String(o.stddev)}`);
    }
    this.stddev = o.stddev;
    this.supportsMasking = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(s);
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs);
    if (kwargs?.training !== true || this.stddev === 0) return tf.clone(x);
    return tf.tidy(() => tf.add(x, normal(x.shape, this.seed, 0, this.stddev)));
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
register(GaussianNoiseLayer);

/** `GaussianNoise(0.1)` or `GaussianNoise({ stddev: 0.1, seed: 1 })`. */
export function GaussianNoise(
  stddev: number | GaussianNoiseOptions,
  options?: GaussianNoiseOptions,
): GaussianNoiseLayer {
  const raw = typeof stddev === "number" ? { ...(options ?? {}), stddev } : stddev;
  return new GaussianNoiseLayer(layerOptions("GaussianNoise", raw, ["stddev", "seed"]));
}

export interface SpatialDropoutOptions extends LayerOptions {
  rate?: number;
  seed?: number;
  dataFormat?: string;
}

abstract class SpatialDropout extends KerasLayer {
  readonly rate: number;
  protected abstract readonly rank: number;
  constructor(className: string, o: SpatialDropoutOptions) {
    super(className, o);
    if (o.dataFormat !== undefined && !/^channels_?last$/i.test(o.dataFormat)) {
      throw new Error(`${className}: only dataFormat 'channels_last' is supported (Keras' default)`);
    }
    this.rate = rateIn(o.rate, `${className}: rate`);
    this.supportsMasking = true;
  }
  override build(s: tf.Shape | tf.Shape[]): void {
    checkNdim(this.name, oneShape(s), this.rank);
    this.built = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(s);
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs);
    if (kwargs?.training !== true || this.rate === 0) return tf.clone(x);
    const noise = x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? null : 1));
    return dropout(x, this.rate, this.seed, noise);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

export class SpatialDropout1DLayer extends SpatialDropout {
  static className = "SpatialDropout1D";
  protected readonly rank = 3;
  constructor(o: SpatialDropoutOptions) {
    super("SpatialDropout1D", o);
  }
}
export class SpatialDropout2DLayer extends SpatialDropout {
  static className = "SpatialDropout2D";
  protected readonly rank = 4;
  constructor(o: SpatialDropoutOptions) {
    super("SpatialDropout2D", o);
  }
}
register(SpatialDropout1DLayer);
register(SpatialDropout2DLayer);

const spatialOptions = (cls: string, rate: number | SpatialDropoutOptions, options?: SpatialDropoutOptions) =>
  layerOptions<SpatialDropoutOptions>(cls, typeof rate === "number" ? { ...(options ?? {}), rate } : rate, [
    "rate",
    "seed",
    "dataFormat",
  ]);

/** `SpatialDropout1D(0.2)`: drops whole channels of (batch, steps, channels) inputs. */
export function SpatialDropout1D(rate: number | SpatialDropoutOptions, options?: SpatialDropoutOptions) {
  return new SpatialDropout1DLayer(spatialOptions("SpatialDropout1D", rate, options));
}

/** `SpatialDropout2D(0.2)`: drops whole channels of (batch, rows, cols, channels) inputs. */
export function SpatialDropout2D(rate: number | SpatialDropoutOptions, options?: SpatialDropoutOptions) {
  return new SpatialDropout2DLayer(spatialOptions("SpatialDropout2D", rate, options));
}
