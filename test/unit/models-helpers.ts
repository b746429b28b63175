import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential } from "../../src/models/index";

/** A tiny classifier: 4 features → 3 classes. */
export function tinyModel(extra: Parameters<typeof layers.Dense>[1] = {}): Sequential {
  return new Sequential([
    layers.Dense(5, { activation: "relu", inputShape: [4], ...extra }),
    layers.Dense(3, { activation: "softmax" }),
  ]);
}

/** Deterministic data: n samples, 4 features, one-hot labels over 3 classes. */
export function tinyData(n = 20): { x: tf.Tensor2D; y: tf.Tensor2D; labels: tf.Tensor1D } {
  const xs = Array.from({ length: n * 4 }, (_, i) => Math.sin(i * 1.3));
  const ids = Array.from({ length: n }, (_, i) => i % 3);
  return {
    x: tf.tensor2d(xs, [n, 4]),
    y: tf.oneHot(tf.tensor1d(ids, "int32"), 3).toFloat() as tf.Tensor2D,
    labels: tf.tensor1d(ids),
  };
}
