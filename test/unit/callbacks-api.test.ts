/** Callbacks' API beyond the Keras golden scenarios: options, auto mode, file paths, hooks, memory, fit. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as callbacks from "../../src/callbacks/index";
import { pyFormat } from "../../src/callbacks/format";

class FakeModel implements callbacks.CallbackModel {
  stopTraining = false;
  learningRate = 0.01;
  weights: tf.Tensor[] = [tf.zeros([3])];
  saved: [string, string][] = [];
  getWeights() {
    return this.weights.map((w) => w.clone());
  }
  setWeights(ws: tf.Tensor[]) {
    tf.dispose(this.weights);
    this.weights = ws.map((w) => w.clone());
  }
  async save(p: string) {
    this.saved.push(["save", p]);
  }
  async saveWeights(p: string) {
    this.saved.push(["saveWeights", p]);
  }
}

test("auto mode goes by the metric's name; an unknown name is Keras' error", () => {
  const dir = (monitor: string) => new callbacks.EarlyStopping({ monitor }).monitorOp;
  assert.equal(dir("val_loss"), "min");
  assert.equal(dir("loss"), "min");
  assert.equal(dir("val_mae"), "min");
  assert.equal(dir("val_mean_squared_error"), "min");
  assert.equal(dir("val_accuracy"), "max");
  assert.equal(dir("acc"), "max");
  assert.equal(dir("val_categorical_accuracy"), "max");
  assert.equal(dir("val_auc"), "max");
  assert.throws(
    () => new callbacks.ModelCheckpoint({ filepath: "m.h5", monitor: "val_foo" }),
    /^Error: ModelCheckpoint callback received monitor=val_foo, but Keras isn't able to automatically determine/,
  );
  assert.equal(new callbacks.ReduceLROnPlateau({ monitor: "val_foo", mode: "max" }).monitorOp, "max");
});

test("an unknown mode warns and falls back to auto, as Keras does", (t) => {
  const warn = t.mock.method(console, "warn", () => {});
  const es = new callbacks.EarlyStopping({ mode: "maximum" as "max" });
  assert.equal(es.mode, "auto");
  assert.equal(warn.mock.calls[0].arguments[0], "EarlyStopping mode 'maximum' is unknown, fallback to auto mode.");
});

test("options: Keras' snake_case works, unknown ones name the closest", () => {
  const es = new callbacks.EarlyStopping({ restore_best_weights: true, min_delta: -0.5, patience: 3 } as object);
  assert.equal(es.restoreBestWeights, true);
  assert.equal(es.patience, 3);
  assert.throws(
    () => new callbacks.EarlyStopping({ patiense: 3 } as object),
    /^Error: EarlyStopping has no option 'patiense' \(closest: 'patience'\)\. Valid EarlyStopping options: monitor, minDelta, patience/,
  );
  const ck = new callbacks.ModelCheckpoint({
    filepath: "a.h5",
    save_best_only: true,
  } as unknown as callbacks.ModelCheckpointArgs);
  assert.equal(ck.saveBestOnly, true);
  assert.throws(
    () => new callbacks.ReduceLROnPlateau({ factor: 1 }),
    /ReduceLROnPlateau does not support a factor >= 1\.0\. Received factor=1\.0/,
  );
});

test("ModelCheckpoint fills the lesson's file template, makes the folder, and saves weights only when asked", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ckpt-"));
  try {
    const model = new FakeModel();
    const ck = new callbacks.ModelCheckpoint({
      filepath: join(dir, "model", "mnist-{epoch:02d}-{val_loss:.4f}.weights.h5"),
      saveWeightsOnly: true,
    });
    ck.setModel(model);
    await ck.onEpochEnd(2, { loss: 0.3, val_loss: 0.314768 });
    assert.deepEqual(model.saved, [["saveWeights", join(dir, "model", "mnist-03-0.3148.weights.h5")]]);
    assert.throws(
      () => ck.getFilePath(0, undefined, { loss: 0.5 }),
      /Failed to format this callback filepath: ".*mnist-\{epoch:02d\}-\{val_loss:\.4f\}\.weights\.h5"\. Reason: 'val_loss' \(available: loss, epoch\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("ModelCheckpoint saveFreq counts batches across epochs and names the batch", async () => {
  const model = new FakeModel();
  const ck = new callbacks.ModelCheckpoint({ filepath: "w-{epoch}-{batch}.h5", saveFreq: 3 });
  ck.setModel(model);
  for (let epoch = 0; epoch < 2; epoch++) {
    ck.onEpochBegin(epoch);
    for (let b = 0; b < 4; b++) await ck.onTrainBatchEnd(b, { loss: 1 });
    await ck.onEpochEnd(epoch, { loss: 1 });
  }
  assert.deepEqual(
    model.saved.map(([, p]) => p),
    ["w-1-3.h5", "w-2-2.h5"],
  );
  assert.throws(() => new callbacks.ModelCheckpoint({ filepath: "x", saveFreq: 0 }), /Unrecognized save_freq: 0/);
});

test("ModelCheckpoint follows Keras 3's extension rules, with Keras' messages", () => {
  assert.throws(
    () => new callbacks.ModelCheckpoint({ filepath: "model/mnist-{epoch:02d}.hdf5" }),
    /^Error: The filepath provided must end in `\.keras` \(Keras model format\)\. Received: filepath=model\/mnist-\{epoch:02d\}\.hdf5$/,
  );
  assert.throws(
    () => new callbacks.ModelCheckpoint({ filepath: "w.h5", saveWeightsOnly: true }),
    /^Error: When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `\.weights\.h5` \(Keras weights format\)\. Received: filepath=w\.h5$/,
  );
  for (const filepath of ["a.keras", "legacy.h5"])
    assert.equal(new callbacks.ModelCheckpoint({ filepath }).filepath, filepath);
  assert.equal(
    new callbacks.ModelCheckpoint({ filepath: "w.weights.h5", saveWeightsOnly: true }).saveWeightsOnly,
    true,
  );
});

test("EarlyStopping with restoreBestWeights keeps no tensors after training", () => {
  const model = new FakeModel();
  const es = new callbacks.EarlyStopping({ monitor: "loss", patience: 1, restoreBestWeights: true });
  es.setModel(model);
  const before = tf.memory().numTensors;
  es.onTrainBegin();
  [0.5, 0.4, 0.6, 0.7].forEach((loss, epoch) => {
    const w = tf.fill([3], epoch);
    model.setWeights([w]);
    w.dispose();
    if (!model.stopTraining) es.onEpochEnd(epoch, { loss });
  });
  es.onTrainEnd();
  assert.equal(es.stoppedEpoch, 2);
  assert.deepEqual(Array.from(model.weights[0].dataSync()), [1, 1, 1]);
  assert.equal(tf.memory().numTensors, before, "snapshots are freed");
  tf.dispose(model.weights);
});

test("TerminateOnNaN can throw instead (Keras 3's raise_error)", () => {
  const cb = new callbacks.TerminateOnNaN({ raiseError: true });
  cb.setModel(new FakeModel());
  assert.throws(
    () => cb.onTrainBatchEnd(4, { loss: NaN }),
    /NaN or Inf loss encountered at batch 4\. Loss value: nan\. Terminating training immediately\./,
  );
});

test("LambdaCallback calls the given functions, Keras' names included", async () => {
  const calls: string[] = [];
  const cb = new callbacks.LambdaCallback({
    onEpochEnd: (epoch, logs) => void calls.push(`end ${epoch} ${logs?.loss}`),
    on_train_begin: () => void calls.push("begin"),
    onBatchEnd: async (batch) => void calls.push(`batch ${batch}`),
  } as callbacks.LambdaCallbackArgs);
  const list = new callbacks.CallbackList([cb, new callbacks.History()]);
  await list.onTrainBegin();
  await list.onTrainBatchEnd(0);
  await list.onEpochEnd(0, { loss: 0.5 });
  await list.onTrainEnd();
  assert.deepEqual(calls, ["begin", "batch 0", "end 0 0.5"]);
  assert.throws(
    () => new callbacks.LambdaCallback({ onEpochEnd: 3 } as unknown as callbacks.LambdaCallbackArgs),
    /'onEpochEnd' must be a function/,
  );
});

test("pyFormat: Python's errors for missing names and bad codes", () => {
  assert.throws(() => pyFormat("{val_loss:.4f}", {}), /'val_loss'/);
  assert.throws(() => pyFormat("{loss:d}", { loss: 0.5 }), /Unknown format code 'd' for object of type 'float'/);
  assert.equal(pyFormat("{x:.2f}|{y:.0f}|{z:.1f}", { x: 0.125, y: 0.5, z: 0.25 }), "0.12|0|0.2");
  assert.equal(pyFormat("{n:5}|{s:>4}", { n: 0.5, s: "ab" }), "  0.5|  ab");
});

test("History shows a one-line summary as a cell's last value and in console.log", async () => {
  const { History } = await import("../../src/callbacks/history.js");
  const { inspect } = await import("node:util");
  const h = new History();
  h.onTrainBegin();
  h.onEpochEnd(0, { loss: 0.5, accuracy: 0.8 });
  h.onEpochEnd(1, { loss: 0.25, accuracy: 0.9 });
  assert.equal(h.toString(), "History(2 epochs: loss 0.2500, accuracy 0.9000)");
  assert.equal(inspect(h), "History(2 epochs: loss 0.2500, accuracy 0.9000)");
  const bundle = (h as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for("Jupyter.display")]();
  assert.deepEqual(bundle, { "text/plain": "History(2 epochs: loss 0.2500, accuracy 0.9000)" });
});
