/**
 * Keras' `LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)` over tfjs-layers' (same
 * math: (x - mean) / sqrt(var + epsilon) · gamma + beta over the sample's last axis). Weights gamma, beta.
 */
import { tf } from "../tf";
import { type InitializerIdentifier, type LayerOptions, baseArgs, initializer } from "./common";
import type { Layer } from "./extras";
import { layerOptions } from "./options";

export interface LayerNormalizationOptions extends LayerOptions {
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  /** Keras 3's RMS variant: not supported (only false). */
  rmsScaling?: boolean;
}

export function LayerNormalization(options: LayerNormalizationOptions = {}): Layer {
  const o = layerOptions<LayerNormalizationOptions>("LayerNormalization", options, [
    "axis",
    "epsilon",
    "center",
    "scale",
    "betaInitializer",
    "gammaInitializer",
    "rmsScaling",
  ]);
  if (o.rmsScaling) throw new Error("LayerNormalization: rmsScaling=true is not supported by tslab-keras");
  return tf.layers.layerNormalization({
    ...baseArgs("LayerNormalization", o),
    axis: o.axis ?? -1,
    epsilon: o.epsilon ?? 1e-3,
    center: o.center ?? true,
    scale: o.scale ?? true,
    betaInitializer: initializer(o.betaInitializer, "zeros"),
    gammaInitializer: initializer(o.gammaInitializer, "ones"),
  } as never);
}
