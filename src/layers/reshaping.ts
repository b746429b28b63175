/**
 * Keras' reshaping layers over tfjs-layers: `UpSampling2D` (nearest), `ZeroPadding2D`, `Cropping2D`,
 * `Permute` (1-based axes, batch excluded) and `RepeatVector`.
 */
import { tf } from "../tf";
import { type LayerOptions, baseArgs, positiveInt } from "./common";
import type { Layer } from "./extras";
import { layerOptions, tuple } from "./options";

/** Keras' 2-D amount: `1`, `[1, 2]` (symmetric per axis) or `[[top, bottom], [left, right]]`. */
function amounts2d(value: unknown, what: string): [[number, number], [number, number]] {
  if (Array.isArray(value) && value.length === 2 && value.every(Array.isArray)) {
    const [a, b] = value as unknown[];
    const [t, bo] = tuple(a, 2, what, true);
    const [l, r] = tuple(b, 2, what, true);
    return [
      [t, bo],
      [l, r],
    ];
  }
  const [h, w] = tuple(value, 2, what, true);
  return [
    [h, h],
    [w, w],
  ];
}

function channelsLast(cls: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && !/^channels_?last$/i.test(String(dataFormat))) {
    throw new Error(`${cls}: only dataFormat 'channels_last' is supported (Keras' default)`);
  }
}

export interface UpSampling2DOptions extends LayerOptions {
  size?: number | [number, number];
  interpolation?: string;
  dataFormat?: string;
}

/** Keras' `UpSampling2D(size=(2, 2), interpolation="nearest")`: repeats rows and columns. */
export function UpSampling2D(
  size?: number | [number, number] | UpSampling2DOptions,
  options?: UpSampling2DOptions,
): Layer {
  const raw =
    typeof size === "number" || Array.isArray(size)
      ? { ...(options ?? {}), size }
      : { ...(options ?? {}), ...(size ?? {}) };
  const o = layerOptions<UpSampling2DOptions>("UpSampling2D", raw, ["size", "interpolation", "dataFormat"]);
  channelsLast("UpSampling2D", o.dataFormat);
  if ((o.interpolation ?? "nearest") !== "nearest") {
    throw new Error(
      `UpSampling2D: only interpolation 'nearest' (Keras' default) is supported, got '${o.interpolation}'`,
    );
  }
  return tf.layers.upSampling2d({
    ...baseArgs("UpSampling2D", o),
    size: tuple(o.size ?? 2, 2, "UpSampling2D: size"),
    dataFormat: "channelsLast",
  } as never);
}

export interface ZeroPadding2DOptions extends LayerOptions {
  padding?: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: string;
}

/** Keras' `ZeroPadding2D(padding=(1, 1))`. */
export function ZeroPadding2D(
  padding?: ZeroPadding2DOptions["padding"] | ZeroPadding2DOptions,
  options?: ZeroPadding2DOptions,
): Layer {
  const raw =
    typeof padding === "number" || Array.isArray(padding)
      ? { ...(options ?? {}), padding }
      : { ...(options ?? {}), ...(padding ?? {}) };
  const o = layerOptions<ZeroPadding2DOptions>("ZeroPadding2D", raw, ["padding", "dataFormat"]);
  channelsLast("ZeroPadding2D", o.dataFormat);
  return tf.layers.zeroPadding2d({
    ...baseArgs("ZeroPadding2D", o),
    padding: amounts2d(o.padding ?? 1, "ZeroPadding2D: padding"),
    dataFormat: "channelsLast",
  } as never);
}

export interface Cropping2DOptions extends LayerOptions {
  cropping?: number | [number, number] | [[number, number], [number, number]];
  dataFormat?: string;
}

/** Keras' `Cropping2D(cropping=((0, 0), (0, 0)))`. */
export function Cropping2D(
  cropping?: Cropping2DOptions["cropping"] | Cropping2DOptions,
  options?: Cropping2DOptions,
): Layer {
  const raw =
    typeof cropping === "number" || Array.isArray(cropping)
      ? { ...(options ?? {}), cropping }
      : { ...(options ?? {}), ...(cropping ?? {}) };
  const o = layerOptions<Cropping2DOptions>("Cropping2D", raw, ["cropping", "dataFormat"]);
  channelsLast("Cropping2D", o.dataFormat);
  return tf.layers.cropping2D({
    ...baseArgs("Cropping2D", o),
    cropping: amounts2d(o.cropping ?? 0, "Cropping2D: cropping"),
    dataFormat: "channelsLast",
  } as never);
}

export interface PermuteOptions extends LayerOptions {
  dims?: number[];
}

/** Keras' `Permute(dims)`: `Permute([2, 1])` swaps the two axes after the batch axis (1-based). */
export function Permute(dims: number[] | PermuteOptions, options?: PermuteOptions): Layer {
  const raw = Array.isArray(dims) ? { ...(options ?? {}), dims } : dims;
  const o = layerOptions<PermuteOptions>("Permute", raw, ["dims"]);
  const d = o.dims;
  if (!Array.isArray(d) || [...d].sort((a, b) => a - b).some((v, i) => v !== i + 1)) {
    throw new Error(
      `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive and start from 1. Received dims=${JSON.stringify(d)}`,
    );
  }
  return tf.layers.permute({ ...baseArgs("Permute", o), dims: [...d] } as never);
}

export interface RepeatVectorOptions extends LayerOptions {
  n?: number;
}

/** Keras' `RepeatVector(n)`: (None, 32) → (None, n, 32). */
export function RepeatVector(n: number | RepeatVectorOptions, options?: RepeatVectorOptions): Layer {
  const raw = typeof n === "number" ? { ...(options ?? {}), n } : n;
  const o = layerOptions<RepeatVectorOptions>("RepeatVector", raw, ["n"]);
  return tf.layers.repeatVector({ ...baseArgs("RepeatVector", o), n: positiveInt(o.n, "RepeatVector: n") } as never);
}
