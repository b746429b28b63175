/**
 * Keras 3's per-sample metric functions (keras/src/metrics/accuracy_metrics.py): one value per sample,
 * tensor ops only. `accuracy`/`acc` in compile picks one of the three accuracies (see index.ts).
 */
import { tf } from "../tf";
import { sameRank, toIntLabels } from "../losses/functions";

const float = (t: tf.Tensor) => (t.dtype === "float32" ? t : tf.cast(t, "float32"));

/** 1 where the prediction equals the label exactly. */
export function accuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), float(yPred));
    return tf.cast(tf.equal(t, p), "float32");
  });
}

/** 1 where (yPred > threshold) equals the 0/1 label (one value per element, as Keras 3). */
export function binaryAccuracy(
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  options?: { threshold?: number } | number,
): tf.Tensor {
  const threshold = typeof options === "number" ? options : (options?.threshold ?? 0.5);
  return tf.tidy(() => {
    const [t, p] = sameRank(float(yTrue), yPred);
    return tf.cast(tf.equal(t, tf.cast(tf.greater(p, threshold), "float32")), "float32");
  });
}

/** 1 where argmax of the one-hot label equals argmax of the prediction. */
export function categoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(tf.argMax(yTrue, -1), tf.argMax(yPred, -1)), "float32"));
}

/** 1 where the integer label equals argmax of the prediction. */
export function sparseCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.equal(toIntLabels(yTrue, yPred.rank), tf.argMax(yPred, -1)), "float32"));
}

/**
 * TensorFlow's in_top_k: the target's score is among the k largest (ties at the boundary count as in;
 * a non-finite target score never does). Computed without sorting: fewer than k scores beat it.
 */
function inTopK(labels: tf.Tensor, scores: tf.Tensor, k: number): tf.Tensor {
  const classes = scores.shape[scores.rank - 1];
  const target = tf.sum(tf.mul(tf.oneHot(labels, classes), scores), -1, true);
  const better = tf.sum(tf.cast(tf.greater(scores, target), "float32"), -1);
  const finite = tf.isFinite(tf.squeeze(target, [-1]));
  return tf.cast(tf.logicalAnd(tf.less(better, k), finite), "float32");
}

function topKOption(options: { k?: number } | undefined): number {
  const k = options?.k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${JSON.stringify(k)}`);
  return k;
}

/** 1 where the one-hot label's class is among the k highest predictions. Defaults: k = 5. */
export function topKCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, options?: { k?: number }): tf.Tensor {
  const k = topKOption(options);
  return tf.tidy(() => {
    const labels = tf.argMax(yTrue, -1);
    const flatPred = yPred.rank > 2 ? tf.reshape(yPred, [-1, yPred.shape[yPred.rank - 1]]) : yPred;
    const matches = inTopK(tf.reshape(labels, [-1]), flatPred, k);
    return labels.rank > 1 ? tf.reshape(matches, labels.shape) : matches;
  });
}

/** 1 where the integer label is among the k highest predictions. Defaults: k = 5. */
export function sparseTopKCategoricalAccuracy(yTrue: tf.Tensor, yPred: tf.Tensor, options?: { k?: number }): tf.Tensor {
  const k = topKOption(options);
  return tf.tidy(() => {
    const labels = yTrue.dtype === "int32" ? yTrue : tf.cast(yTrue, "int32");
    const flatPred = yPred.rank > 2 ? tf.reshape(yPred, [-1, yPred.shape[yPred.rank - 1]]) : yPred;
    const matches = inTopK(tf.reshape(labels, [-1]), flatPred, k);
    return labels.rank > 1 ? tf.reshape(matches, labels.shape) : matches;
  });
}
