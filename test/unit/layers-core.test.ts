import { test } from "node:test";
import assert from "node:assert/strict";
import * as layers from "../../src/layers/index";
import { Sequential } from "../../src/models/index";
import { clearSession } from "../../src/utils/naming";

test("layers get Keras 3 auto names per class: dense, dense_1, batch_normalization, max_pooling2d", () => {
  clearSession();
  assert.equal(layers.Dense(3).name, "dense");
  assert.equal(layers.Dense(3).name, "dense_1");
  assert.equal(layers.BatchNormalization().name, "batch_normalization");
  assert.equal(layers.MaxPool2D().name, "max_pooling2d");
  assert.equal(layers.Conv2D(4, 3).name, "conv2d");
  assert.equal(layers.Dense(3, { name: "out" }).name, "out");
  assert.equal(layers.Dense(3).name, "dense_2");
  assert.equal(new Sequential().name, "sequential");
  assert.equal(new Sequential().name, "sequential_1");
});

test("Dense accepts Keras' positional and keyword forms, inputDim and snake_case activation names", () => {
  const a = layers.Dense(10, { activation: "softmax", inputShape: [784] });
  const b = layers.Dense({ units: 10, inputDim: 784, activation: "hard_sigmoid", kernelInitializer: "random_uniform" });
  assert.deepEqual(a.batchInputShape, [null, 784]);
  assert.deepEqual(b.batchInputShape, [null, 784]);
  assert.equal((b.getConfig() as { activation: string }).activation, "hardSigmoid");
  assert.throws(() => layers.Dense(0), /units must be a positive integer/);
  assert.throws(() => layers.Dense(3, { activation: "rellu" }), /Unknown activation 'rellu'\. Did you mean 'relu'\?/);
  assert.throws(() => layers.Activation("mse"), /'mse' is a loss, not an activation/);
});

test("BatchNormalization uses Keras' defaults (momentum 0.99, epsilon 1e-3)", () => {
  const bn = layers.BatchNormalization().getConfig() as { momentum: number; epsilon: number; axis: number };
  assert.equal(bn.momentum, 0.99);
  assert.equal(bn.epsilon, 1e-3);
  assert.equal(bn.axis, -1);
});

test("Dropout validates its rate", () => {
  assert.throws(() => layers.Dropout(1), /rate must be a number in \[0, 1\)/);
  assert.equal((layers.Dropout(0.8).getConfig() as { rate: number }).rate, 0.8);
});

test("Conv2D and MaxPool2D accept both call forms; pool strides default to the pool size", () => {
  const c1 = layers.Conv2D({
    filters: 32,
    kernelSize: 3,
    padding: "same",
    activation: "relu",
    inputShape: [32, 32, 3],
  });
  const c2 = layers.Conv2D(32, [3, 3], { strides: 2 });
  assert.deepEqual((c1.getConfig() as { kernelSize: number[] }).kernelSize, [3, 3]);
  assert.equal((c1.getConfig() as { padding: string }).padding, "same");
  assert.deepEqual((c2.getConfig() as { strides: number[] }).strides, [2, 2]);
  const p = layers.MaxPool2D({ poolSize: [2, 2], strides: 2, padding: "same" }).getConfig() as {
    strides: number[];
    padding: string;
  };
  assert.deepEqual(p.strides, [2, 2]);
  assert.equal(p.padding, "same");
  assert.deepEqual((layers.MaxPooling2D(3).getConfig() as { strides: number[] }).strides, [3, 3]);
  assert.throws(() => layers.Conv2D(8, 3, { padding: "full" as "same" }), /padding must be 'valid' or 'same'/);
});

test("a CNN like lesson 004's builds with the right shapes", () => {
  const m = new Sequential([
    layers.Conv2D({ filters: 8, kernelSize: 3, padding: "same", activation: "relu", inputShape: [8, 8, 3] }),
    layers.MaxPool2D({ poolSize: [2, 2], strides: 2, padding: "same" }),
    layers.Dropout(0.2),
    layers.Flatten(),
    layers.Dense(4, { activation: "softmax" }),
  ]);
  assert.deepEqual(m.batchOutputShape(), [null, 4]);
  assert.deepEqual(m.layers[3].outputShape, [null, 128]);
  assert.equal(m.countParams(), 8 * 27 + 8 + 128 * 4 + 4);
});

test("Input declares the shape of a Sequential model; Reshape changes sample shape", () => {
  const m = new Sequential([layers.Input([784]), layers.Reshape([28, 28, 1]), layers.Flatten()]);
  assert.deepEqual(m.batchInputShape(), [null, 784]);
  assert.deepEqual(m.layers[0].outputShape, [null, 28, 28, 1]);
  assert.equal(m.layers.length, 2);
});
