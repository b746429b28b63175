import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as losses from "../../src/losses/index";
import * as metrics from "../../src/metrics/index";

/** The per-sample function of a MeanMetricWrapper that metrics.get returned. */
const wrapped = (m: metrics.Metric) => m as unknown as { name: string; fn: metrics.MetricFn };

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) < tol, `${a} != ${b}`);

test("categorical_crossentropy: -sum(y log p) per sample, p clipped to [1e-7, 1-1e-7]", () => {
  const y = tf.tensor2d([
    [0, 1, 0],
    [1, 0, 0],
  ]);
  const p = tf.tensor2d([
    [0.2, 0.7, 0.1],
    [0, 0.5, 0.5],
  ]);
  const v = losses.categoricalCrossentropy(y, p).dataSync();
  close(v[0], -Math.log(0.7));
  close(v[1], -Math.log(1e-7), 1e-3); // clipped, not Infinity
});

test("sparse_categorical_crossentropy equals categorical on one-hot labels, accepts (N, 1) labels", () => {
  const p = tf.tensor2d([
    [0.2, 0.7, 0.1],
    [0.6, 0.3, 0.1],
  ]);
  const sparse = losses.sparseCategoricalCrossentropy(tf.tensor2d([[1], [0]]), p).dataSync();
  const cat = losses
    .categoricalCrossentropy(
      tf.tensor2d([
        [0, 1, 0],
        [1, 0, 0],
      ]),
      p,
    )
    .dataSync();
  close(sparse[0], cat[0]);
  close(sparse[1], cat[1]);
});

test("binary_crossentropy, mse and mae average over the last axis", () => {
  const y = tf.tensor2d([[1], [0]]);
  const p = tf.tensor2d([[0.8], [0.4]]);
  const bce = losses.binaryCrossentropy(y, p).dataSync();
  close(bce[0], -Math.log(0.8));
  close(bce[1], -Math.log(0.6));
  close(
    losses
      .get("mse")
      .fn(tf.tensor2d([[1, 2]]), tf.tensor2d([[2, 4]]))
      .dataSync()[0],
    2.5,
  );
  close(
    losses
      .get("mean_absolute_error")
      .fn(tf.tensor2d([[1, 2]]), tf.tensor2d([[2, 4]]))
      .dataSync()[0],
    1.5,
  );
});

test("losses.get resolves Keras names and aliases and explains mistakes", () => {
  assert.equal(losses.get("mse").name, "mean_squared_error");
  assert.equal(losses.get("sparse_categorical_crossentropy").kind, "sparse_categorical");
  assert.throws(() => losses.get("softmax"), /softmax is an activation, not a loss.*'categorical_crossentropy'/s);
  assert.throws(
    () => losses.get("categorical_crossentopy"),
    /Did you mean 'categorical_crossentropy'\?.*Valid losses \(closest first\)/,
  );
});

test("accuracy resolves like Keras: categorical, sparse or binary", () => {
  const p = tf.tensor2d([
    [0.1, 0.9],
    [0.8, 0.2],
    [0.3, 0.7],
  ]);
  const cat = wrapped(metrics.get("accuracy", { lossKind: "categorical", yTrueShape: [3, 2], yPredShape: [null, 2] }));
  assert.equal(cat.name, "accuracy");
  assert.deepEqual(
    [
      ...cat
        .fn(
          tf.tensor2d([
            [0, 1],
            [0, 1],
            [0, 1],
          ]),
          p,
        )
        .dataSync(),
    ],
    [1, 0, 1],
  );
  const sparse = wrapped(
    metrics.get("acc", { lossKind: "sparse_categorical", yTrueShape: [3], yPredShape: [null, 2] }),
  );
  assert.equal(sparse.name, "acc");
  assert.deepEqual([...sparse.fn(tf.tensor1d([1, 1, 0]), p).dataSync()], [1, 0, 0]);
  const bin = wrapped(metrics.get("accuracy", { lossKind: "regression", yTrueShape: [2, 1], yPredShape: [null, 1] }));
  assert.deepEqual([...bin.fn(tf.tensor2d([[1], [0]]), tf.tensor2d([[0.6], [0.7]])).dataSync()], [1, 0]);
  assert.throws(() => metrics.get("accuracyy"), /Unknown metric 'accuracyy'\. Did you mean 'accuracy'\?/);
});
