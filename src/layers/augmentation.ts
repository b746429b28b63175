/**
 * Keras 3's image augmentation layers, active only in training (`training: true`; predict and evaluate
 * pass images through unchanged): `RandomFlip`, `RandomRotation`, `RandomZoom`, `RandomTranslation`.
 * Factors follow Keras 3: a number f means the range [-f, f] (a pair [lo, hi] is taken as is); rotation
 * factors are fractions of a full turn, zoom and translation factors fractions of the image size
 * (positive zoom = zoom out). Default fill mode "reflect", bilinear interpolation, fill value 0.
 * One draw per image per step from `backend/random` (seeded per layer), and the warp is TensorFlow's
 * ImageProjectiveTransformV3, so everything is a TensorFlow op the compiled path can trace.
 */
import { tf } from "../tf";
import { uniform } from "../backend/random";
import { runOp, tfDType } from "../backend/ops";
import type { LayerOptions } from "./common";
import { KerasLayer, type Kwargs, checkNdim, oneShape, oneTensor, register } from "./base";
import { choice, layerOptions } from "./options";

const FILL_MODES = ["reflect", "wrap", "constant", "nearest"] as const;
const INTERPOLATIONS = ["bilinear", "nearest"] as const;

/** Keras' factor: f → [-f, f]; [lo, hi] kept; checked against `limit` (|values| ≤ limit when given). */
function factorRange(value: unknown, what: string, limit?: number): [number, number] {
  const pair = typeof value === "number" ? [-Math.abs(value), Math.abs(value)] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((v) => typeof v !== "number" || !Number.isFinite(v))) {
    throw new Error(`${what} must be a number or a pair [lower, upper], got ${JSON.stringify(value)}`);
  }
  const [lo, hi] = pair as number[];
  if (lo > hi) throw new Error(`${what}: lower bound ${lo} is greater than upper bound ${hi}`);
  if (limit !== undefined && (Math.abs(lo) > limit || Math.abs(hi) > limit)) {
    throw new Error(`${what} must be in [-${limit}, ${limit}], got ${JSON.stringify(value)}`);
  }
  return [lo, hi];
}

interface AugmentationOptions extends LayerOptions {
  seed?: number;
  fillMode?: string;
  interpolation?: string;
  fillValue?: number;
  dataFormat?: string;
  valueRange?: number[];
}

abstract class Augmentation extends KerasLayer {
  readonly fillMode: (typeof FILL_MODES)[number];
  readonly interpolation: (typeof INTERPOLATIONS)[number];
  readonly fillValue: number;

  constructor(className: string, o: AugmentationOptions) {
    super(className, o);
    if (o.dataFormat !== undefined && !/^channels_?last$/i.test(o.dataFormat)) {
      throw new Error(`${className}: only dataFormat 'channels_last' is supported (Keras' default)`);
    }
    this.fillMode = choice(o.fillMode, FILL_MODES, `${className}: fillMode`, "reflect");
    this.interpolation = choice(o.interpolation, INTERPOLATIONS, `${className}: interpolation`, "bilinear");
    this.fillValue = o.fillValue ?? 0;
  }

  override build(s: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(s);
    checkNdim(this.name, shape, 4);
    this.built = true;
  }

  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(s);
  }

  /** Per-image projective transforms [batch, 8] (output pixel → input pixel) for this step. */
  protected abstract transforms(batch: number, height: number, width: number): tf.Tensor;

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs);
    if (kwargs?.training !== true) return tf.clone(x);
    return tf.tidy(() => {
      const images = tf.cast(x, "float32");
      const [batch, height, width] = images.shape as number[];
      const [out] = runOp(
        "ImageProjectiveTransformV3",
        [
          { name: "dtype", type: "type", value: tfDType("float32") },
          { name: "interpolation", type: "string", value: this.interpolation.toUpperCase() },
          { name: "fill_mode", type: "string", value: this.fillMode.toUpperCase() },
        ],
        [
          images,
          this.transforms(batch, height, width),
          tf.tensor1d([height, width], "int32"),
          tf.scalar(this.fillValue),
        ],
      );
      return out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      seed: this.seed,
      fillMode: this.fillMode,
      interpolation: this.interpolation,
      fillValue: this.fillValue,
    };
  }
}

/** uniform [lo, hi) values of shape [batch, 1] for this step, from `seed`. */
function draw(batch: number, seed: number, [lo, hi]: [number, number]): tf.Tensor {
  return tf.add(tf.mul(uniform([batch, 1], seed), tf.scalar(hi - lo)), tf.scalar(lo));
}

export interface RandomFlipOptions extends LayerOptions {
  mode?: "horizontal" | "vertical" | "horizontal_and_vertical";
  seed?: number;
  dataFormat?: string;
}

export class RandomFlipLayer extends KerasLayer {
  static className = "RandomFlip";
  readonly mode: "horizontal" | "vertical" | "horizontal_and_vertical";
  constructor(o: RandomFlipOptions) {
    super("RandomFlip", o);
    this.mode = choice(
      o.mode,
      ["horizontal", "vertical", "horizontal_and_vertical"] as const,
      "RandomFlip: mode",
      "horizontal_and_vertical",
    );
  }
  override build(s: tf.Shape | tf.Shape[]): void {
    checkNdim(this.name, oneShape(s), 4);
    this.built = true;
  }
  override computeOutputShape(s: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(s);
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = oneTensor(inputs);
    if (kwargs?.training !== true) return tf.clone(x);
    return tf.tidy(() => {
      // One draw per image, as Keras: flip when u <= 0.5 (both axes at once in horizontal_and_vertical).
      const flips = tf.lessEqual(uniform([x.shape[0], 1, 1, 1], this.seed), tf.scalar(0.5));
      const mask = tf.broadcastTo(flips, x.shape);
      let y = tf.cast(x, "float32");
      if (this.mode !== "vertical") y = tf.where(mask, tf.reverse(y, 2), y);
      if (this.mode !== "horizontal") y = tf.where(mask, tf.reverse(y, 1), y);
      return y;
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed };
  }
}
register(RandomFlipLayer);

export interface RandomRotationOptions extends AugmentationOptions {
  /** Fraction of a full turn: 0.1 → angles in [-36°, 36°]. */
  factor?: number | [number, number];
}

export class RandomRotationLayer extends Augmentation {
  static className = "RandomRotation";
  readonly factor: [number, number];
  constructor(o: RandomRotationOptions) {
    super("RandomRotation", o);
    this.factor = factorRange(o.factor, "RandomRotation: factor");
  }
  protected transforms(batch: number, height: number, width: number): tf.Tensor {
    const angle = tf.mul(draw(batch, this.seed, this.factor), tf.scalar(2 * Math.PI));
    const cos = tf.cos(angle);
    const sin = tf.sin(angle);
    const w = width - 1;
    const h = height - 1;
    const xOffset = tf.div(tf.sub(tf.scalar(w), tf.sub(tf.mul(cos, w), tf.mul(sin, h))), 2);
    const yOffset = tf.div(tf.sub(tf.scalar(h), tf.add(tf.mul(sin, w), tf.mul(cos, h))), 2);
    const zeros = tf.zerosLike(cos);
    return tf.concat([cos, tf.neg(sin), xOffset, sin, cos, yOffset, zeros, zeros], 1);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
register(RandomRotationLayer);

export interface RandomZoomOptions extends AugmentationOptions {
  /** Fraction of the height: 0.2 → zoom factors in [0.8, 1.2] (positive = zoom out). */
  heightFactor?: number | [number, number];
  /** Defaults to the height's draw (aspect ratio kept). */
  widthFactor?: number | [number, number] | null;
}

export class RandomZoomLayer extends Augmentation {
  static className = "RandomZoom";
  readonly heightFactor: [number, number];
  readonly widthFactor?: [number, number];
  constructor(o: RandomZoomOptions) {
    super("RandomZoom", o);
    this.heightFactor = factorRange(o.heightFactor, "RandomZoom: heightFactor");
    if (this.heightFactor[0] < -1) throw new Error("RandomZoom: heightFactor must be >= -1");
    this.widthFactor = o.widthFactor == null ? undefined : factorRange(o.widthFactor, "RandomZoom: widthFactor");
  }
  protected transforms(batch: number, height: number, width: number): tf.Tensor {
    const [hl, hu] = this.heightFactor;
    const zy = draw(batch, this.seed, [1 + hl, 1 + hu]);
    const zx = this.widthFactor ? draw(batch, this.seed + 1, [1 + this.widthFactor[0], 1 + this.widthFactor[1]]) : zy;
    const xOffset = tf.mul(tf.sub(1, zx), (width - 1) / 2);
    const yOffset = tf.mul(tf.sub(1, zy), (height - 1) / 2);
    const zeros = tf.zerosLike(zy);
    return tf.concat([zx, zeros, xOffset, zeros, zy, yOffset, zeros, zeros], 1);
  }
  override getConfig(): tf.serialization.ConfigDict {
    const c: tf.serialization.ConfigDict = { ...super.getConfig(), heightFactor: this.heightFactor };
    if (this.widthFactor) c.widthFactor = this.widthFactor;
    return c;
  }
}
register(RandomZoomLayer);

export interface RandomTranslationOptions extends AugmentationOptions {
  /** Fraction of the height: 0.1 → shifts in [-10 %, 10 %] of the height. */
  heightFactor?: number | [number, number];
  widthFactor?: number | [number, number];
}

export class RandomTranslationLayer extends Augmentation {
  static className = "RandomTranslation";
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number];
  constructor(o: RandomTranslationOptions) {
    super("RandomTranslation", o);
    this.heightFactor = factorRange(o.heightFactor, "RandomTranslation: heightFactor", 1);
    this.widthFactor = factorRange(o.widthFactor, "RandomTranslation: widthFactor", 1);
  }
  protected transforms(batch: number, height: number, width: number): tf.Tensor {
    const dy = tf.mul(draw(batch, this.seed, this.heightFactor), height);
    const dx = tf.mul(draw(batch, this.seed + 1, this.widthFactor), width);
    const ones = tf.onesLike(dx);
    const zeros = tf.zerosLike(dx);
    return tf.concat([ones, zeros, tf.neg(dx), zeros, ones, tf.neg(dy), zeros, zeros], 1);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }
}
register(RandomTranslationLayer);

const AUG = ["seed", "fillMode", "interpolation", "fillValue", "dataFormat", "valueRange"];

/** `RandomFlip("horizontal")` or `RandomFlip({ mode: "horizontal", seed: 1 })`. */
export function RandomFlip(mode?: RandomFlipOptions["mode"] | RandomFlipOptions, options?: RandomFlipOptions) {
  const raw = typeof mode === "string" ? { ...(options ?? {}), mode } : { ...(options ?? {}), ...(mode ?? {}) };
  return new RandomFlipLayer(layerOptions("RandomFlip", raw, ["mode", "seed", "dataFormat"]));
}

/** `RandomRotation(0.1)`: rotations by up to ±10 % of a full turn. */
export function RandomRotation(
  factor: number | [number, number] | RandomRotationOptions,
  options?: RandomRotationOptions,
) {
  const raw = typeof factor === "number" || Array.isArray(factor) ? { ...(options ?? {}), factor } : factor;
  return new RandomRotationLayer(layerOptions("RandomRotation", raw, ["factor", ...AUG]));
}

/** `RandomZoom(0.2)` or `RandomZoom(0.2, { widthFactor: 0.1 })`. */
export function RandomZoom(heightFactor: number | [number, number] | RandomZoomOptions, options?: RandomZoomOptions) {
  const raw =
    typeof heightFactor === "number" || Array.isArray(heightFactor)
      ? { ...(options ?? {}), heightFactor }
      : heightFactor;
  return new RandomZoomLayer(layerOptions("RandomZoom", raw, ["heightFactor", "widthFactor", ...AUG]));
}

/** `RandomTranslation(0.1, 0.1)`: shifts up to ±10 % of the height and of the width. */
export function RandomTranslation(
  heightFactor: number | [number, number] | RandomTranslationOptions,
  widthFactor?: number | [number, number],
  options?: RandomTranslationOptions,
) {
  const raw =
    typeof heightFactor === "number" || Array.isArray(heightFactor)
      ? { ...(options ?? {}), heightFactor, ...(widthFactor !== undefined ? { widthFactor } : {}) }
      : heightFactor;
  return new RandomTranslationLayer(layerOptions("RandomTranslation", raw, ["heightFactor", "widthFactor", ...AUG]));
}
