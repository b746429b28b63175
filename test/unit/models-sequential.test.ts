import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential } from "../../src/models/index";
import { SGD } from "../../src/optimizers/index";
import { Callback } from "../../src/callbacks/callback";
import { clearSession } from "../../src/utils/naming";
import { tinyData, tinyModel } from "./models-helpers";

const summaryOf = (m: Sequential) => {
  const lines: string[] = [];
  m.summary({ printFn: (l) => lines.push(l) });
  return lines;
};

test("summary prints Keras 3's table for lesson 000's MLP", () => {
  clearSession();
  const m = new Sequential();
  m.add(layers.Dense(512, { activation: "relu", inputShape: [784] }));
  m.add(layers.Dropout(0.2));
  m.add(layers.Dense(512, { activation: "relu" }));
  m.add(layers.Dropout(0.2));
  m.add(layers.Dense(10, { activation: "softmax" }));
  const lines = summaryOf(m);
  assert.deepEqual(lines.slice(0, 6), [
    'Model: "sequential"',
    "┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓",
    "┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃",
    "┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩",
    "│ dense (Dense)                        │ (None, 512)                 │         401,920 │",
    "├──────────────────────────────────────┼─────────────────────────────┼─────────────────┤",
  ]);
  assert.equal(lines[8], "│ dense_1 (Dense)                      │ (None, 512)                 │         262,656 │");
  assert.deepEqual(lines.slice(-4), [
    "└──────────────────────────────────────┴─────────────────────────────┴─────────────────┘",
    " Total params: 669,706 (2.55 MB)",
    " Trainable params: 669,706 (2.55 MB)",
    " Non-trainable params: 0 (0.00 B)",
  ]);
});

test("summary counts BatchNormalization's moving statistics as non-trainable and wraps long names", () => {
  clearSession();
  const m = new Sequential([layers.Dense(512, { inputShape: [784] }), layers.BatchNormalization()], { name: "bn" });
  const lines = summaryOf(m);
  assert.ok(lines.includes("│ batch_normalization                  │ (None, 512)                 │           2,048 │"));
  assert.ok(lines.includes("│ (BatchNormalization)                 │                             │                 │"));
  assert.ok(lines.includes(" Non-trainable params: 1,024 (4.00 KB)"));
  assert.ok(lines.includes(" Trainable params: 402,944 (1.54 MB)"));
});

test("a model without an input shape builds on first fit; summary shows it unbuilt before", async () => {
  const m = new Sequential([layers.Dense(2, { activation: "softmax" })]);
  assert.ok(summaryOf(m).some((l) => l.includes("│ ?") && l.includes("0 (unbuilt)")));
  m.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
  const { x, y } = tinyData(6);
  await m.fit(x, y.slice([0, 0], [6, 2]), { verbose: 0 });
  assert.deepEqual(m.batchInputShape(), [null, 4]);
});

test("fit returns History with Keras keys in order and epoch means weighted by batch size", async () => {
  const m = tinyModel();
  m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: "categorical_crossentropy", metrics: ["accuracy"] });
  const { x, y } = tinyData(10);
  const h = await m.fit(x, y, { batchSize: 4, epochs: 2, verbose: 0, shuffle: false });
  assert.deepEqual(Object.keys(h.history), ["loss", "accuracy"]);
  assert.deepEqual(h.epoch, [0, 1]);
  const [loss, acc] = (await m.evaluate(x, y, { verbose: 0 })) as number[];
  // learning rate 0: weights fixed, so the batch-size-weighted epoch mean equals the full-data value
  assert.ok(Math.abs(h.history.loss[0] - loss) < 1e-6);
  assert.ok(Math.abs(h.history.accuracy[1] - acc) < 1e-6);
  assert.equal(typeof h.history.loss[0], "number");
});

test("validationSplit holds out the LAST fraction (before shuffling) and reports val_ keys", async () => {
  const m = tinyModel();
  m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: "categorical_crossentropy", metrics: ["acc"] });
  const { x, y } = tinyData(10);
  const h = await m.fit(x, y, { epochs: 1, validationSplit: 0.2, verbose: 0 });
  assert.deepEqual(Object.keys(h.history), ["loss", "acc", "val_loss", "val_acc"]);
  const tail = await m.evaluate(x.slice(8, 2), y.slice(8, 2), { verbose: 0 });
  assert.ok(Math.abs(h.history.val_loss[0] - (tail as number[])[0]) < 1e-6);
  const h2 = await m.fit(x, y, { epochs: 1, validationData: [x.slice(0, 3), y.slice(0, 3)], verbose: 0 });
  const head = (await m.evaluate(x.slice(0, 3), y.slice(0, 3), { verbose: 0 })) as number[];
  assert.ok(Math.abs(h2.history.val_acc[0] - head[1]) < 1e-6);
});

test("training reduces the loss; evaluate returns a number without metrics; predict gives probabilities", async () => {
  const m = tinyModel();
  m.compile("adam", "categorical_crossentropy");
  const { x, y } = tinyData(30);
  const h = await m.fit(x, y, { epochs: 15, batchSize: 8, verbose: 0 });
  assert.ok(h.history.loss[14] < h.history.loss[0]);
  const loss = await m.evaluate(x, y, { verbose: 0 });
  assert.equal(typeof loss, "number");
  const p = await m.predict(x);
  assert.deepEqual(p.shape, [30, 3]);
  for (const s of tf.sum(p, 1).dataSync() as Float32Array) assert.ok(Math.abs(s - 1) < 1e-5);
  p.dispose();
});

test("sparse_categorical_crossentropy with (N, 1) labels and metric 'acc' (lesson 004)", async () => {
  const m = tinyModel();
  m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["acc"] });
  const { x, labels } = tinyData(12);
  const h = await m.fit(x, labels.reshape([12, 1]), { epochs: 1, verbose: 0 });
  assert.deepEqual(Object.keys(h.history), ["loss", "acc"]);
  assert.ok(h.history.acc[0] >= 0 && h.history.acc[0] <= 1);
});

test("fit, evaluate and predict leak no tensors", async () => {
  const m = tinyModel({ kernelRegularizer: "l2", activityRegularizer: "l1" });
  m.add(layers.Dropout(0.5));
  m.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  const { x, y } = tinyData(12);
  await m.fit(x, y, { epochs: 1, verbose: 0 }); // creates the optimizer's slots once
  const before = tf.memory().numTensors;
  await m.fit(x, y, { epochs: 2, batchSize: 5, validationSplit: 0.25, verbose: 0 });
  assert.equal(tf.memory().numTensors, before);
  await m.evaluate(x, y, { verbose: 0 });
  assert.equal(tf.memory().numTensors, before);
  const p = await m.predict(x, { batchSize: 5 });
  assert.equal(tf.memory().numTensors, before + 1);
  p.dispose();
  await m.fit([[1, 2, 3, 4]], [[0, 1, 0]], { verbose: 0 }); // nested arrays are converted and freed
  assert.equal(tf.memory().numTensors, before);
});

test("stopTraining set by a callback ends fit after that epoch", async () => {
  class StopAtSecond extends Callback {
    override onEpochEnd(epoch: number) {
      if (epoch === 1) this.model!.stopTraining = true;
    }
  }
  const m = tinyModel();
  m.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
  const { x, y } = tinyData(8);
  const h = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [new StopAtSecond()] });
  assert.deepEqual(h.epoch, [0, 1]);
});

test("learningRate reads and writes the compiled optimizer's rate; getWeights returns copies", async () => {
  const m = tinyModel();
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: "mse" });
  assert.equal(m.learningRate, 0.1);
  m.learningRate = 0.05;
  assert.equal((m.optimizer as unknown as { learningRate: number }).learningRate, 0.05);
  const w = m.getWeights();
  assert.equal(w.length, 4);
  const { x, y } = tinyData(6);
  await m.fit(x, y, { verbose: 0 });
  const after = m.getWeights();
  assert.notDeepEqual(w[0].arraySync(), after[0].arraySync()); // the copy did not follow training
  m.setWeights(w);
  assert.deepEqual(m.getWeights()[0].arraySync(), w[0].arraySync());
  assert.throws(() => m.setWeights(w.slice(1)), /has 4 weights but 3 were given/);
});

test("getLayer finds a layer by name or index, with Keras' messages when there is none", async () => {
  const m = new Sequential([layers.Dense(3, { inputShape: [2], name: "hidden" }), layers.Dense(1, { name: "out" })]);
  assert.equal(m.getLayer("out"), m.layers[1]);
  assert.equal(m.getLayer(0).name, "hidden");
  assert.throws(() => m.getLayer("outt"), /'outt'.*did you mean 'out'/i);
  assert.throws(() => m.getLayer(2), /Was asked to retrieve layer at index 2 but model only has 2 layers\./);
  // A list of two tensors is not one array; a list of one is unwrapped as Keras does
  const x = tf.zeros([4, 2]);
  await assert.rejects(m.predict([x, x] as never), /x is a list of 2 tensors, but this model takes one array there/);
  const y = (await m.predict([x] as never)) as tf.Tensor;
  assert.deepEqual(y.shape, [4, 1]);
  assert.throws(() => m([x, x] as never), /Layer "[^"]+" expects 1 input\(s\), but it received 2 input tensors\./);
  tf.dispose([x, y]);
  m.dispose();
});
