/**
 * Keras 3's weight initializers as tfjs-layers `Initializer`s. Random ones draw their seed from the
 * global seed (`setRandomSeed`) on every call unless given one, so seeded runs are identical.
 * VarianceScaling follows Keras: a truncated normal is widened by 1/0.8796… so its variance is `scale`.
 */
import { nextSeed } from "../random";
import { tf } from "../tf";

/** tfjs-layers' `Initializer` (tfjs-layers does not export the class by name). */
export interface Initializer extends tf.serialization.Serializable {
  apply(shape: number[], dtype?: tf.DataType): tf.Tensor;
  /** Declared so that these initializers type-check wherever tfjs-layers asks for its own. */
  fromConfigUsesCustomObjects(): boolean;
}
type InitializerCtor = new () => Initializer;
/** The runtime class tfjs-layers checks with `instanceof`. */
export const InitializerBase = Object.getPrototypeOf(
  tf.initializers.zeros().constructor as unknown as object,
) as InitializerCtor;

type Config = tf.serialization.ConfigDict;
type Ctor<T extends tf.serialization.Serializable> = tf.serialization.SerializableConstructor<T>;

function float(dtype: tf.DataType | undefined, who: string): "float32" {
  if (dtype !== undefined && dtype !== "float32") throw new Error(`${who} only makes float32 tensors, not ${dtype}`);
  return "float32";
}

abstract class KerasInitializer extends InitializerBase {
  override getConfig(): Config {
    return {};
  }
  static fromConfig<T extends tf.serialization.Serializable>(cls: Ctor<T>, config: Config): T {
    return new cls(config);
  }
}

abstract class SeededInitializer extends KerasInitializer {
  readonly seed?: number;
  constructor(seed?: number | null) {
    super();
    if (seed != null) this.seed = seed;
  }
  /**
   * The explicit seed, or the next one from the global seed (undefined: unseeded). Public only because
   * the presets are exported anonymous classes, where TypeScript forbids protected members (TS4094).
   */
  drawSeed(): number | undefined {
    return this.seed ?? nextSeed();
  }
  override getConfig(): Config {
    return { seed: this.seed ?? null };
  }
}

export class Zeros extends KerasInitializer {
  static className = "Zeros";
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.zeros(shape, dtype ?? "float32");
  }
}

export class Ones extends KerasInitializer {
  static className = "Ones";
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.ones(shape, dtype ?? "float32");
  }
}

export class Constant extends KerasInitializer {
  static className = "Constant";
  readonly value: number;
  constructor(args: { value?: number } | number = {}) {
    super();
    this.value = (typeof args === "number" ? args : args.value) ?? 0;
  }
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.fill(shape, this.value, dtype ?? "float32");
  }
  override getConfig(): Config {
    return { value: this.value };
  }
}

export interface RandomUniformArgs {
  minval?: number;
  maxval?: number;
  seed?: number | null;
}

export class RandomUniform extends SeededInitializer {
  static className = "RandomUniform";
  readonly minval: number;
  readonly maxval: number;
  constructor(args: RandomUniformArgs = {}) {
    super(args.seed);
    this.minval = args.minval ?? -0.05;
    this.maxval = args.maxval ?? 0.05;
  }
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.randomUniform(shape, this.minval, this.maxval, float(dtype, "RandomUniform"), this.drawSeed());
  }
  override getConfig(): Config {
    return { ...super.getConfig(), minval: this.minval, maxval: this.maxval };
  }
}

export interface RandomNormalArgs {
  mean?: number;
  stddev?: number;
  seed?: number | null;
}

export class RandomNormal extends SeededInitializer {
  static className = "RandomNormal";
  readonly mean: number;
  readonly stddev: number;
  constructor(args: RandomNormalArgs = {}) {
    super(args.seed);
    this.mean = args.mean ?? 0;
    this.stddev = args.stddev ?? 0.05;
  }
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.randomNormal(shape, this.mean, this.stddev, float(dtype, "RandomNormal"), this.drawSeed());
  }
  override getConfig(): Config {
    return { ...super.getConfig(), mean: this.mean, stddev: this.stddev };
  }
}

/** Normal values redrawn beyond two standard deviations (Keras 3 defaults: mean 0, stddev 0.05). */
export class TruncatedNormal extends RandomNormal {
  static override className = "TruncatedNormal";
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    return tf.truncatedNormal(shape, this.mean, this.stddev, float(dtype, "TruncatedNormal"), this.drawSeed());
  }
}

/** Keras' `compute_fans`: conv kernels multiply by the receptive field (channels last). */
export function computeFans(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

export type FanMode = "fan_in" | "fan_out" | "fan_avg";
export type Distribution = "truncated_normal" | "untruncated_normal" | "uniform";
export interface VarianceScalingArgs {
  scale?: number;
  mode?: FanMode | "fanIn" | "fanOut" | "fanAvg";
  distribution?: Distribution | "truncatedNormal" | "untruncatedNormal" | "normal";
  seed?: number | null;
}

const MODES: Record<string, FanMode> = {
  fan_in: "fan_in",
  fanIn: "fan_in",
  fan_out: "fan_out",
  fanOut: "fan_out",
  fan_avg: "fan_avg",
  fanAvg: "fan_avg",
};
const DISTRIBUTIONS: Record<string, Distribution> = {
  truncated_normal: "truncated_normal",
  truncatedNormal: "truncated_normal",
  normal: "truncated_normal", // Keras 2's name for it
  untruncated_normal: "untruncated_normal",
  untruncatedNormal: "untruncated_normal",
  uniform: "uniform",
};

export class VarianceScaling extends SeededInitializer {
  static className = "VarianceScaling";
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: Distribution;
  constructor(args: VarianceScalingArgs = {}) {
    super(args.seed);
    this.scale = args.scale ?? 1;
    if (!(this.scale > 0)) throw new Error(`VarianceScaling: scale must be positive, got ${args.scale}`);
    const mode = MODES[args.mode ?? "fan_in"];
    const distribution = DISTRIBUTIONS[args.distribution ?? "truncated_normal"];
    if (mode === undefined)
      throw new Error(`VarianceScaling: mode must be fan_in, fan_out or fan_avg, got ${args.mode}`);
    if (distribution === undefined) {
      throw new Error(
        `VarianceScaling: distribution must be truncated_normal, untruncated_normal or uniform, got ${args.distribution}`,
      );
    }
    this.mode = mode;
    this.distribution = distribution;
  }
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    const d = float(dtype, this.getClassName());
    const [fanIn, fanOut] = computeFans(shape);
    const fan = this.mode === "fan_in" ? fanIn : this.mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, fan);
    const seed = this.drawSeed();
    if (this.distribution === "truncated_normal") {
      return tf.truncatedNormal(shape, 0, Math.sqrt(scale) / 0.8796256610342398, d, seed);
    }
    if (this.distribution === "untruncated_normal") return tf.randomNormal(shape, 0, Math.sqrt(scale), d, seed);
    const limit = Math.sqrt(3 * scale);
    return tf.randomUniform(shape, -limit, limit, d, seed);
  }
  override getConfig(): Config {
    return { ...super.getConfig(), scale: this.scale, mode: this.mode, distribution: this.distribution };
  }
}

/** VarianceScaling presets (Glorot/Xavier, He, LeCun); their config is just the seed, as in Keras. */
function preset(className: string, scale: number, mode: FanMode, distribution: Distribution) {
  const cls = class extends VarianceScaling {
    static override className = className;
    constructor(args: { seed?: number | null } = {}) {
      super({ scale, mode, distribution, seed: args.seed });
    }
    override getConfig(): Config {
      return { seed: this.seed ?? null };
    }
  };
  tf.serialization.registerClass(cls);
  return cls;
}

export const GlorotUniform = preset("GlorotUniform", 1, "fan_avg", "uniform");
export const GlorotNormal = preset("GlorotNormal", 1, "fan_avg", "truncated_normal");
export const HeUniform = preset("HeUniform", 2, "fan_in", "uniform");
export const HeNormal = preset("HeNormal", 2, "fan_in", "truncated_normal");
export const LecunUniform = preset("LecunUniform", 1, "fan_in", "uniform");
export const LecunNormal = preset("LecunNormal", 1, "fan_in", "truncated_normal");

/** A (semi-)orthogonal matrix from the QR decomposition of a normal one, times `gain`. */
export class Orthogonal extends SeededInitializer {
  static className = "Orthogonal";
  readonly gain: number;
  constructor(args: { gain?: number; seed?: number | null } = {}) {
    super(args.seed);
    this.gain = args.gain ?? 1;
  }
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (shape.length < 2) throw new Error(`Orthogonal initializer needs a shape of rank >= 2, got [${shape}]`);
    const d = float(dtype, "Orthogonal");
    const seed = this.drawSeed();
    return tf.tidy(() => {
      const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      const cols = shape[shape.length - 1];
      const a = tf.randomNormal([Math.max(rows, cols), Math.min(rows, cols)], 0, 1, d, seed);
      const [q, r] = tf.linalg.qr(a);
      // Make the decomposition unique (Keras: q *= sign(diag(r))).
      let m: tf.Tensor2D = tf.mul(q, tf.sign(tf.sum(tf.mul(r, tf.eye(r.shape[0], r.shape[1])), 0)));
      if (rows < cols) m = tf.transpose(m);
      return tf.mul(tf.reshape(m, shape), this.gain);
    });
  }
  override getConfig(): Config {
    return { ...super.getConfig(), gain: this.gain };
  }
}

/** The identity matrix times `gain` (2-D shapes only). */
export class Identity extends KerasInitializer {
  static className = "Identity";
  readonly gain: number;
  constructor(args: { gain?: number } = {}) {
    super();
    this.gain = args.gain ?? 1;
  }
  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (shape.length !== 2) throw new Error(`Identity initializer needs a 2-D shape, got [${shape}]`);
    return tf.tidy(() => tf.mul(tf.eye(shape[0], shape[1], undefined, float(dtype, "Identity")), this.gain));
  }
  override getConfig(): Config {
    return { gain: this.gain };
  }
}

// Keras' class names; those tfjs-layers also uses (Zeros, GlorotUniform, …) now resolve to these.
for (const cls of [
  Zeros,
  Ones,
  Constant,
  RandomUniform,
  RandomNormal,
  TruncatedNormal,
  VarianceScaling,
  Orthogonal,
  Identity,
]) {
  tf.serialization.registerClass(cls as unknown as Ctor<tf.serialization.Serializable>);
}
