/**
 * Keras' image layers: `Conv2D` and `MaxPooling2D` (alias `MaxPool2D`), channels-last like Keras' default.
 * Both Keras call forms work: `Conv2D(32, 3, { activation: "relu" })` and
 * `Conv2D({ filters: 32, kernelSize: 3, padding: "same", inputShape: [32, 32, 3] })`.
 */
import { tf } from "../tf";
import {
  type KernelLayerOptions,
  type LayerOptions,
  baseArgs,
  kernelArgs,
  pair,
  padding,
  positiveInt,
  withRegularizers,
} from "./common";
import { type CallableLayer, callable } from "./callable";

export interface Conv2DOptions extends KernelLayerOptions {
  filters?: number;
  kernelSize?: number | [number, number];
  strides?: number | [number, number];
  padding?: "valid" | "same" | "VALID" | "SAME";
  dilationRate?: number | [number, number];
  /** Only 1 (Keras' default) is supported. */
  groups?: number;
}

export function Conv2D(
  filters: number | (Conv2DOptions & { filters: number; kernelSize: number | [number, number] }),
  kernelSize?: number | [number, number],
  options: Conv2DOptions = {},
): CallableLayer {
  const o: Conv2DOptions =
    typeof filters === "number" ? { ...options, filters, kernelSize: kernelSize ?? options.kernelSize } : filters;
  if (o.kernelSize === undefined)
    throw new Error(
      "Conv2D: kernelSize is required, e.g. Conv2D(32, 3) or Conv2D({ filters: 32, kernelSize: [3, 3] })",
    );
  if (o.groups !== undefined && o.groups !== 1) {
    throw new Error(`Conv2D: groups=${o.groups} is not supported by tslab-keras (only groups=1)`);
  }
  const layer = tf.layers.conv2d({
    ...baseArgs("Conv2D", o),
    filters: positiveInt(o.filters, "Conv2D: filters"),
    kernelSize: pair(o.kernelSize, "Conv2D: kernelSize"),
    strides: pair(o.strides ?? 1, "Conv2D: strides"),
    padding: padding(o.padding, "Conv2D"),
    dilationRate: pair(o.dilationRate ?? 1, "Conv2D: dilationRate"),
    dataFormat: "channelsLast",
    ...kernelArgs(o),
  } as Parameters<typeof tf.layers.conv2d>[0]);
  return callable(withRegularizers(layer, o));
}

export interface MaxPooling2DOptions extends LayerOptions {
  poolSize?: number | [number, number];
  /** Defaults to `poolSize`, as in Keras. */
  strides?: number | [number, number];
  padding?: "valid" | "same" | "VALID" | "SAME";
}

/** Keras' `MaxPooling2D(pool_size=(2, 2), strides=None, padding="valid")`. */
export function MaxPooling2D(
  poolSize?: number | [number, number] | MaxPooling2DOptions,
  options: MaxPooling2DOptions = {},
): CallableLayer {
  const o: MaxPooling2DOptions =
    typeof poolSize === "number" || Array.isArray(poolSize)
      ? { ...options, poolSize }
      : { ...options, ...(poolSize ?? {}) };
  const size = pair(o.poolSize ?? 2, "MaxPooling2D: poolSize");
  return callable(
    tf.layers.maxPooling2d({
      ...baseArgs("MaxPooling2D", o),
      poolSize: size,
      strides: pair(o.strides ?? size, "MaxPooling2D: strides"),
      padding: padding(o.padding, "MaxPooling2D"),
      dataFormat: "channelsLast",
    } as Parameters<typeof tf.layers.maxPooling2d>[0]),
  );
}

/** Keras' alias of `MaxPooling2D`. */
export const MaxPool2D = MaxPooling2D;
