/**
 * fit picks the compiled graph engine when it supports the model and falls back to tfjs ops otherwise;
 * both report the same Keras history and land on the same weights.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential } from "../../src/models/index";
import { SGD } from "../../src/optimizers/index";
import { regularizers } from "../../src/index";
import { tinyData, tinyModel } from "./models-helpers";

async function trainTwoEpochs(engine: "compiled" | "eager", metric = "accuracy") {
  const previous = process.env.TSLAB_KERAS_ENGINE;
  if (engine === "eager") process.env.TSLAB_KERAS_ENGINE = "eager";
  try {
    const { x, y } = tinyData(40);
    const model = tinyModel();
    model.build([null, 4]);
    model.setWeights(model.getWeights().map((w, i) => tf.fill(w.shape, 0.1 * (i + 1) * (i % 2 ? 1 : -1))));
    model.compile({
      optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }),
      loss: "categorical_crossentropy",
      metrics: [metric],
    });
    const history = await model.fit(x, y, {
      epochs: 2,
      batchSize: 8,
      shuffle: false,
      validationSplit: 0.25,
      verbose: 0,
    });
    return { history, weights: model.getWeights().map((w) => Array.from(w.dataSync())) };
  } finally {
    if (previous === undefined) delete process.env.TSLAB_KERAS_ENGINE;
    else process.env.TSLAB_KERAS_ENGINE = previous;
  }
}

test("a supported model trains on the compiled engine, with the same history and weights as tfjs ops", async () => {
  const compiled = await trainTwoEpochs("compiled");
  const eager = await trainTwoEpochs("eager");
  assert.equal(compiled.history.params.trainer, "compiled");
  assert.equal(eager.history.params.trainer, "eager");
  assert.deepEqual(Object.keys(compiled.history.history), Object.keys(eager.history.history));
  for (const key of Object.keys(eager.history.history)) {
    compiled.history.history[key].forEach((v, i) =>
      assert.ok(
        Math.abs(v - eager.history.history[key][i]) < 1e-4,
        `${key}[${i}]: ${v} vs ${eager.history.history[key][i]}`,
      ),
    );
  }
  compiled.weights.forEach((w, i) =>
    w.forEach((v, j) => assert.ok(Math.abs(v - eager.weights[i][j]) < 1e-4, `weight ${i}[${j}]`)),
  );
});

test("the compiled engine reports metrics under the names the user compiled (acc → acc, val_acc)", async () => {
  const { history } = await trainTwoEpochs("compiled", "acc");
  assert.equal(history.params.trainer, "compiled");
  assert.deepEqual(Object.keys(history.history), ["loss", "acc", "val_loss", "val_acc"]);
});

test("a model beyond the hand-tuned engine (a regularizer) trains on the traced compiled path", async () => {
  const { x, y } = tinyData(16);
  const model = tinyModel({ kernelRegularizer: regularizers.l2(0.01) });
  model.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  assert.equal(history.params.trainer, "compiled");
});

test("compiled fit leaks no tensors and keeps dropout/BN models trainable", async () => {
  const { x, y } = tinyData(32);
  const model = new Sequential([
    layers.Dense(8, { activation: "relu", inputShape: [4] }),
    layers.Dropout(0.5),
    layers.BatchNormalization(),
    layers.Dense(3, { activation: "softmax" }),
  ]);
  model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 }); // creates optimizer state once
  const before = tf.memory().numTensors;
  const history = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
  assert.equal(history.params.trainer, "compiled");
  assert.equal(tf.memory().numTensors, before);
  assert.equal(history.history.loss.length, 3);
  assert.ok(history.history.loss.every(Number.isFinite));
});
