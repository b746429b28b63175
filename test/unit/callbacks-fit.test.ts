/** The callbacks inside a real Sequential.fit: stop, restore, learning rate and History. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Sequential, callbacks, layers, optimizers, tf } from "../../src/index";

function data() {
  return { x: tf.tensor2d([[0], [1], [2], [3]]), y: tf.tensor2d([[1], [3], [5], [7]]) };
}

test("EarlyStopping stops fit and restores the best weights; ReduceLROnPlateau lowers the rate in History", async (t) => {
  const printed: string[] = [];
  t.mock.method(console, "log", (m: string) => printed.push(m));
  const model = new Sequential([layers.Input([1]), layers.Dense(1, { kernelInitializer: "zeros" })]);
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.01 }), loss: "mse" });
  const { x, y } = data();
  // min_delta so large that nothing counts as an improvement: stop after patience + 1 epochs.
  const es = new callbacks.EarlyStopping({
    monitor: "loss",
    minDelta: 100,
    patience: 2,
    verbose: 1,
    restoreBestWeights: true,
  });
  const lr = new callbacks.ReduceLROnPlateau({ monitor: "loss", minDelta: 100, patience: 1, factor: 0.5, verbose: 1 });
  const weightsAfterEpoch: number[] = [];
  const watch = new callbacks.LambdaCallback({
    onEpochEnd: () => {
      const [k] = model.getWeights();
      weightsAfterEpoch.push(k.dataSync()[0]);
      tf.dispose(model.getWeights());
      k.dispose();
    },
  });
  const history = await model.fit(x, y, {
    epochs: 10,
    batchSize: 4,
    verbose: 0,
    shuffle: false,
    callbacks: [es, lr, watch],
  });
  assert.equal(history.epoch.length, 3, "stopped after 3 epochs");
  assert.deepEqual(
    history.history.learning_rate.map((v) => Math.fround(v)),
    [0.01, 0.01, 0.005].map(Math.fround),
  );
  assert.ok(Math.abs(model.learningRate - 0.0025) < 1e-9);
  assert.ok(printed.includes("Epoch 3: early stopping"));
  assert.ok(printed.includes("Restoring model weights from the end of the best epoch: 1."));
  assert.ok(printed.includes("\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.004999999888241291."));
  const [k] = model.getWeights();
  assert.ok(Math.abs(k.dataSync()[0] - weightsAfterEpoch[0]) < 1e-7, "weights of epoch 1 restored");
  tf.dispose([x, y, k]);
  model.dispose();
});
