import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Callback } from "../../src/callbacks/callback";
import { interruptToken, TrainingInterrupted } from "../../src/callbacks/interrupt";
import { Sequential } from "../../src/models/index";
import { SGD } from "../../src/optimizers/index";
import { l2, l1 } from "../../src/regularizers/index";
import { setRandomSeed, clearRandomSeed } from "../../src/random";
import { tinyData } from "./models-helpers";

test("kernel and activity regularizer penalties are added to the training loss", async () => {
  const { x, y } = tinyData(8);
  const build = (reg: boolean) =>
    new Sequential([
      layers.Dense(5, {
        activation: "relu",
        inputShape: [4],
        kernelRegularizer: reg ? l2(0.5) : undefined,
        activityRegularizer: reg ? l1(0.1) : undefined,
      }),
      layers.Dense(3, { activation: "softmax" }),
    ]);
  const plain = build(false);
  const reg = build(true);
  reg.setWeights(plain.getWeights());
  for (const m of [plain, reg])
    m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: "categorical_crossentropy" });
  const h0 = await plain.fit(x, y, { batchSize: 8, verbose: 0 });
  const h1 = await reg.fit(x, y, { batchSize: 8, verbose: 0 });
  const kernel = reg.getWeights()[0];
  const hidden = tf.relu(tf.add(tf.matMul(x, kernel), reg.getWeights()[1]));
  const expected = 0.5 * tf.sum(tf.square(kernel)).dataSync()[0] + 0.1 * tf.sum(tf.abs(hidden)).dataSync()[0];
  assert.ok(
    Math.abs(h1.history.loss[0] - h0.history.loss[0] - expected) < 1e-4,
    `${h1.history.loss[0] - h0.history.loss[0]} vs ${expected}`,
  );
  // and they change the gradients: training moves the weights differently
  for (const m of [plain, reg]) m.learningRate = 0.5;
  await plain.fit(x, y, { verbose: 0, shuffle: false });
  await reg.fit(x, y, { verbose: 0, shuffle: false });
  assert.notDeepEqual(plain.getWeights()[0].arraySync(), reg.getWeights()[0].arraySync());
});

test("after setRandomSeed, the same code gives identical weights and history (dropout included)", async () => {
  const run = async () => {
    setRandomSeed(1);
    const m = new Sequential([
      layers.Dense(6, { activation: "relu", inputShape: [4] }),
      layers.Dropout(0.5),
      layers.Dense(3, { activation: "softmax" }),
    ]);
    m.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
    const { x, y } = tinyData(20);
    const h = await m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0 });
    return { w: m.getWeights().map((t) => Array.from(t.dataSync())), h: h.history };
  };
  const a = await run();
  const b = await run();
  clearRandomSeed();
  assert.deepEqual(a.w, b.w);
  assert.deepEqual(a.h, b.h);
});

test("an interrupt ends fit cleanly, then throws KeyboardInterrupt: weights kept, finished epochs in model.history", async () => {
  const token = interruptToken();
  class RequestInterrupt extends Callback {
    override onTrainBatchEnd(batch: number) {
      assert.equal(token.active, 1);
      if (this.params && batch === 1 && seen++ >= 2) token.requested = true;
    }
  }
  let seen = 0;
  const m = new Sequential([layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
  m.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
  const { x, y } = tinyData(12);
  await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // builds the weights
  const before = tf.memory().numTensors;
  await assert.rejects(
    m.fit(x, y, { epochs: 5, batchSize: 4, verbose: 0, callbacks: [new RequestInterrupt()] }),
    (error: Error) =>
      error instanceof TrainingInterrupted &&
      error.name === "KeyboardInterrupt" &&
      error.message === "training interrupted at epoch 3, batch 2",
  );
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  const h = m.history!;
  assert.deepEqual(h.epoch, [0, 1]);
  assert.equal(h.history.loss.length, 2);
  assert.equal(token.requested, false);
  assert.equal(token.active, 0);
  assert.equal(m.getWeights().length, 2);
});

test("verbose 1 prints a progress line per epoch with Keras' metric names", async () => {
  const m = new Sequential([layers.Dense(3, { activation: "softmax", inputShape: [4] })]);
  m.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  const { x, y } = tinyData(8);
  const out: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  try {
    await m.fit(x, y, { epochs: 2, batchSize: 4 });
  } finally {
    process.stdout.write = original;
  }
  const text = out.join("");
  assert.match(text, /Epoch 1\/2/);
  assert.match(text, /Epoch 2\/2/);
  assert.match(text, /loss: \d\.\d{4}/);
  assert.match(text, /accuracy: \d\.\d{4}/);
});
