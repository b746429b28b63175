/**
 * Keras' other convolutions, over tfjs-layers (whose math is Keras'): `Conv1D` (padding "valid", "same"
 * or "causal"), `Conv2DTranspose` and `SeparableConv2D`, channels-last. Both call forms work:
 * `Conv1D(32, 7, { activation: "relu" })` and `Conv1D({ filters: 32, kernelSize: 7 })`.
 */
import { tf } from "../tf";
import {
  type InitializerIdentifier,
  type KernelLayerOptions,
  baseArgs,
  initializer,
  kernelArgs,
  positiveInt,
  withRegularizers,
} from "./common";
import type { Layer } from "./extras";
import { choice, layerOptions, tuple } from "./options";
import { oneShape, oneTensor, register } from "./base";

type Conv1DArgs = Parameters<typeof tf.layers.conv1d>[0];
const TfjsConv1D = Object.getPrototypeOf(tf.layers.conv1d({ filters: 1, kernelSize: 1 })).constructor as new (
  args: Conv1DArgs,
) => tf.layers.Layer & { kernelSize: number[]; dilationRate: number[]; strides: number[] };

/**
 * tfjs' Conv1D plus Keras' "causal" padding (tfjs does not implement it): the input is left-padded by
 * dilation·(kernel - 1) zeros, then convolved "valid", so step t sees only steps ≤ t.
 */
export class Conv1DLayer extends TfjsConv1D {
  static className = "Conv1D";
  readonly causal: boolean;
  constructor(args: Conv1DArgs & { padding?: string }) {
    const causal = args.padding === "causal";
    super({ ...args, padding: causal ? "valid" : args.padding } as Conv1DArgs);
    this.causal = causal;
  }
  private leftPad(): number {
    return this.dilationRate[0] * (this.kernelSize[0] - 1);
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const s = oneShape(inputShape);
    if (!this.causal) return super.computeOutputShape(s);
    return super.computeOutputShape([s[0], s[1] === null ? null : s[1] + this.leftPad(), s[2]]);
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    if (!this.causal) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const padded = tf.pad(oneTensor(inputs), [
        [0, 0],
        [this.leftPad(), 0],
        [0, 0],
      ]);
      return super.call(padded, kwargs) as tf.Tensor;
    });
  }
  override getConfig(): tf.serialization.ConfigDict {
    const c = super.getConfig();
    return this.causal ? { ...c, padding: "causal" } : c;
  }
}
register(Conv1DLayer as never);

export interface ConvOptions extends KernelLayerOptions {
  filters?: number;
  kernelSize?: number | number[];
  strides?: number | number[];
  padding?: string;
  dilationRate?: number | number[];
  groups?: number;
  dataFormat?: "channels_last" | "channelsLast";
}

const KERNEL = [
  "activation",
  "useBias",
  "kernelInitializer",
  "biasInitializer",
  "kernelRegularizer",
  "biasRegularizer",
  "activityRegularizer",
];
const CONV = ["filters", "kernelSize", "strides", "padding", "dilationRate", "groups", "dataFormat", ...KERNEL];

function convOptions<T extends ConvOptions>(
  cls: string,
  filters: number | T,
  kernelSize: unknown,
  options: T | undefined,
  own: string[],
): T {
  const raw =
    typeof filters === "number"
      ? { ...(options ?? {}), filters, ...(kernelSize !== undefined ? { kernelSize } : {}) }
      : filters;
  const o = layerOptions<T>(cls, raw as T, [...CONV, ...own]);
  if (o.kernelSize === undefined) throw new Error(`${cls}: kernelSize is required, e.g. ${cls}(32, 3)`);
  if (o.groups !== undefined && o.groups !== 1) {
    throw new Error(`${cls}: groups=${o.groups} is not supported by tslab-keras (only groups=1)`);
  }
  if (o.dataFormat !== undefined && !/^channels_?last$/i.test(o.dataFormat)) {
    throw new Error(`${cls}: only dataFormat 'channels_last' is supported (Keras' default)`);
  }
  return o;
}

/** Keras' `Conv1D(filters, kernel_size, strides=1, padding="valid", dilation_rate=1, …)`. */
export function Conv1D(filters: number | ConvOptions, kernelSize?: number | [number], options?: ConvOptions): Layer {
  const o = convOptions("Conv1D", filters, kernelSize, options, []);
  const layer = new Conv1DLayer({
    ...baseArgs("Conv1D", o),
    filters: positiveInt(o.filters, "Conv1D: filters"),
    kernelSize: tuple(o.kernelSize, 1, "Conv1D: kernelSize")[0],
    strides: tuple(o.strides ?? 1, 1, "Conv1D: strides")[0],
    padding: choice(o.padding, ["valid", "same", "causal"] as const, "Conv1D: padding", "valid"),
    dilationRate: tuple(o.dilationRate ?? 1, 1, "Conv1D: dilationRate")[0],
    dataFormat: "channelsLast",
    ...kernelArgs(o),
  } as Conv1DArgs);
  return withRegularizers(layer, o);
}

/** Keras' `Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding="valid", …)`. */
export function Conv2DTranspose(
  filters: number | ConvOptions,
  kernelSize?: number | [number, number],
  options?: ConvOptions,
): Layer {
  const o = convOptions("Conv2DTranspose", filters, kernelSize, options, []);
  const dilation = tuple(o.dilationRate ?? 1, 2, "Conv2DTranspose: dilationRate");
  if (dilation.some((d) => d !== 1)) throw new Error("Conv2DTranspose: dilationRate other than 1 is not supported");
  const layer = tf.layers.conv2dTranspose({
    ...baseArgs("Conv2DTranspose", o),
    filters: positiveInt(o.filters, "Conv2DTranspose: filters"),
    kernelSize: tuple(o.kernelSize, 2, "Conv2DTranspose: kernelSize"),
    strides: tuple(o.strides ?? 1, 2, "Conv2DTranspose: strides"),
    padding: choice(o.padding, ["valid", "same"] as const, "Conv2DTranspose: padding", "valid"),
    dataFormat: "channelsLast",
    ...kernelArgs(o),
  } as Parameters<typeof tf.layers.conv2dTranspose>[0]);
  return withRegularizers(layer, o);
}

export interface SeparableConv2DOptions extends ConvOptions {
  depthMultiplier?: number;
  depthwiseInitializer?: InitializerIdentifier;
  pointwiseInitializer?: InitializerIdentifier;
}

/** Keras' `SeparableConv2D(filters, kernel_size, depth_multiplier=1, …)`: weights depthwise, pointwise, bias. */
export function SeparableConv2D(
  filters: number | SeparableConv2DOptions,
  kernelSize?: number | [number, number],
  options?: SeparableConv2DOptions,
): Layer {
  const o = convOptions("SeparableConv2D", filters, kernelSize, options, [
    "depthMultiplier",
    "depthwiseInitializer",
    "pointwiseInitializer",
  ]);
  if (o.kernelInitializer !== undefined) {
    throw new Error("SeparableConv2D has no kernelInitializer; use depthwiseInitializer and pointwiseInitializer");
  }
  if (o.kernelRegularizer != null) {
    throw new Error("SeparableConv2D: kernelRegularizer is not supported by tslab-keras yet; leave it unset");
  }
  const { kernelInitializer: _k, ...kernel } = kernelArgs(o);
  const layer = tf.layers.separableConv2d({
    ...baseArgs("SeparableConv2D", o),
    filters: positiveInt(o.filters, "SeparableConv2D: filters"),
    kernelSize: tuple(o.kernelSize, 2, "SeparableConv2D: kernelSize"),
    strides: tuple(o.strides ?? 1, 2, "SeparableConv2D: strides"),
    padding: choice(o.padding, ["valid", "same"] as const, "SeparableConv2D: padding", "valid"),
    dilationRate: tuple(o.dilationRate ?? 1, 2, "SeparableConv2D: dilationRate"),
    depthMultiplier: positiveInt(o.depthMultiplier ?? 1, "SeparableConv2D: depthMultiplier"),
    depthwiseInitializer: initializer(o.depthwiseInitializer, "glorot_uniform"),
    pointwiseInitializer: initializer(o.pointwiseInitializer, "glorot_uniform"),
    dataFormat: "channelsLast",
    ...kernel,
  } as Parameters<typeof tf.layers.separableConv2d>[0]);
  return withRegularizers(layer, o);
}
