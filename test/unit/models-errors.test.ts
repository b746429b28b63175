import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential } from "../../src/models/index";
import { tinyData, tinyModel } from "./models-helpers";

const mnistLike = () => {
  const m = new Sequential([layers.Dense(10, { activation: "softmax", inputShape: [784] })]);
  m.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  return m;
};

test("fit/evaluate before compile say how to compile", async () => {
  const m = tinyModel();
  const { x, y } = tinyData(4);
  await assert.rejects(
    m.fit(x, y, { verbose: 0 }),
    /You must call compile\(\) before fit\(\), e\.g\. model\.compile\(\{ optimizer: 'sgd'/,
  );
  await assert.rejects(m.evaluate(x, y, { verbose: 0 }), /compile\(\) before evaluate\(\)/);
});

test("28×28 images into a 784 input: the error shows both shapes and the reshape", async () => {
  const m = mnistLike();
  const x = tf.zeros([6, 28, 28]);
  const y = tf.zeros([6, 10]);
  await assert.rejects(m.fit(x, y, { verbose: 0 }), (e: Error) =>
    e.message.includes("expected shape (None, 784) but got (6, 28, 28); did you reshape? x.reshape([-1, 784])"),
  );
  await assert.rejects(
    m.predict(tf.zeros([2, 5])),
    /expected shape \(None, 784\) but got \(2, 5\); each sample has shape \(5,\)/,
  );
});

test("integer labels with categorical_crossentropy suggest toCategorical or the sparse loss", async () => {
  const m = mnistLike();
  await assert.rejects(
    m.fit(tf.zeros([3, 784]), tf.tensor1d([1, 2, 3]), { verbose: 0 }),
    /needs one-hot labels of shape \(3, 10\), but y has shape \(3,\).*utils\.toCategorical\(y, 10\).*'sparse_categorical_crossentropy'/,
  );
});

test("one-hot labels with sparse_categorical_crossentropy, and labels out of range, are explained", async () => {
  const m = tinyModel();
  m.compile({ optimizer: "sgd", loss: "sparse_categorical_crossentropy" });
  const { x, y } = tinyData(3);
  await assert.rejects(m.fit(x, y, { verbose: 0 }), /y looks one-hot; use loss 'categorical_crossentropy'/);
  await assert.rejects(m.fit(x, [1, 2, 3], { verbose: 0 }), /class labels must be in \[0, 2\].*\[1, 3\]/);
});

test("empty data, different lengths and NaN/Infinity are rejected with the cause", async () => {
  const m = tinyModel();
  m.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
  await assert.rejects(m.fit(tf.zeros([0, 4]), tf.zeros([0, 3]), { verbose: 0 }), /fit: x is empty/);
  await assert.rejects(m.fit(tf.zeros([5, 4]), tf.zeros([4, 3]), { verbose: 0 }), /x has 5 samples but y has 4/);
  const bad = tf.tensor2d([
    [0, 0, 0, 0],
    [0, NaN, 0, 0],
  ]);
  await assert.rejects(m.fit(bad, tf.zeros([2, 3]), { verbose: 0 }), /fit: x contains NaN \(first at sample 1\)/);
  const inf = tf.tensor2d([[Infinity, 0, 0, 0]]);
  await assert.rejects(m.evaluate(inf, tf.zeros([1, 3]), { verbose: 0 }), /contains Infinity/);
});

test("compile rejects a loss that is an activation, unknown losses, metrics and optimizers", () => {
  const m = tinyModel();
  assert.throws(
    () => m.compile({ optimizer: "adam", loss: "softmax" }),
    /softmax is an activation, not a loss.*Valid losses/s,
  );
  assert.throws(() => m.compile({ optimizer: "adam", loss: "mean_squared_eror" }), /Did you mean 'mean_squared_error'/);
  assert.throws(
    () => m.compile({ optimizer: "adam", loss: "mse", metrics: ["acuracy"] }),
    /Unknown metric 'acuracy'\. Did you mean 'accuracy'/,
  );
  assert.throws(() => m.compile({ optimizer: "adamm", loss: "mse" }), /adamm/);
});

test("Sequential rejects non-layers and duplicate names", () => {
  const m = new Sequential();
  assert.throws(() => m.add(layers.Dense as never), /did you forget to call it/);
  m.add(layers.Dense(2, { name: "a", inputShape: [2] }));
  assert.throws(() => m.add(layers.Dense(2, { name: "a" })), /unique names\. Name 'a' is already/);
});

test("typed arrays are shaped from the model's input shape", async () => {
  const m = tinyModel();
  const p = await m.predict(new Float32Array(8));
  assert.deepEqual(p.shape, [2, 3]);
  p.dispose();
});
