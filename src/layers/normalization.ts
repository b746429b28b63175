/**
 * Keras' `BatchNormalization`, with Keras' defaults set explicitly (momentum 0.99, epsilon 1e-3).
 * Gamma and beta are trainable; the moving mean and variance are not (Keras' "Non-trainable params").
 */
import { tf } from "../tf";
import { type InitializerIdentifier, type LayerOptions, baseArgs, initializer } from "./common";
import { type CallableLayer, callable } from "./callable";

export interface BatchNormalizationOptions extends LayerOptions {
  axis?: number;
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

export function BatchNormalization(options: BatchNormalizationOptions = {}): CallableLayer {
  const o = options;
  return callable(
    tf.layers.batchNormalization({
      ...baseArgs("BatchNormalization", o),
      axis: o.axis ?? -1,
      momentum: o.momentum ?? 0.99,
      epsilon: o.epsilon ?? 1e-3,
      center: o.center ?? true,
      scale: o.scale ?? true,
      betaInitializer: initializer(o.betaInitializer, "zeros"),
      gammaInitializer: initializer(o.gammaInitializer, "ones"),
      movingMeanInitializer: initializer(o.movingMeanInitializer, "zeros"),
      movingVarianceInitializer: initializer(o.movingVarianceInitializer, "ones"),
    } as Parameters<typeof tf.layers.batchNormalization>[0]),
  );
}
