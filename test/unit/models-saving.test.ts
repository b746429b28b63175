import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential, loadModel } from "../../src/models/index";
import { l2 } from "../../src/regularizers/index";
import { tinyData } from "./models-helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-save-"));

function model(): Sequential {
  return new Sequential([
    layers.Dense(5, { activation: "relu", inputShape: [4], kernelRegularizer: l2(0.01) }),
    layers.BatchNormalization(),
    layers.Dropout(0.3),
    layers.Dense(3, { activation: "softmax" }),
  ]);
}

test("save → loadModel round-trips architecture, weights and compile config (lesson 003's .hdf5 path)", async () => {
  const m = model();
  m.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  const { x, y } = tinyData(12);
  await m.fit(x, y, { epochs: 2, verbose: 0 });
  const file = path.join(tmp, "model", "mnist-25-0.2610.hdf5");
  await m.save(file);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["mnist-25-0.2610.hdf5"]); // no temp file left
  const loaded = await loadModel(file);
  assert.equal(loaded.name, m.name);
  assert.deepEqual(
    loaded.layers.map((l) => l.name),
    m.layers.map((l) => l.name),
  );
  const [a, b] = [await m.predict(x), await loaded.predict(x)];
  assert.deepEqual(a.arraySync(), b.arraySync());
  const [e1, e2] = [await m.evaluate(x, y, { verbose: 0 }), await loaded.evaluate(x, y, { verbose: 0 })];
  assert.deepEqual(e1, e2); // compiled with the same loss and metrics, regularizer restored
  assert.equal(loaded.optimizer?.getClassName(), "Adam");
  await loaded.fit(x, y, { verbose: 0 }); // and trainable
  tf.dispose([a, b]);
});

test("saveWeights/loadWeights restore weights into an identical model and reject others", async () => {
  const m = model();
  const file = path.join(tmp, "w.weights.json");
  await m.saveWeights(file);
  const other = model();
  await other.loadWeights(file);
  assert.deepEqual(
    other.getWeights().map((t) => t.arraySync()),
    m.getWeights().map((t) => t.arraySync()),
  );
  const wrong = new Sequential([layers.Dense(2, { inputShape: [4] })]);
  await assert.rejects(wrong.loadWeights(file), /does not fit this model/);
});

test("save refuses to overwrite when asked, and loaders reject foreign files", async () => {
  const m = model();
  const file = path.join(tmp, "keep.json");
  await m.save(file);
  await assert.rejects(m.save(file, { overwrite: false }), /already exists/);
  const junk = path.join(tmp, "junk.hdf5");
  fs.writeFileSync(junk, "\x89HDF\r\n");
  await assert.rejects(loadModel(junk), /not a tslab-keras save file/);
  await assert.rejects(loadModel(path.join(tmp, "missing.json")), /No such file/);
  await assert.rejects(loadModel(path.join(tmp, "w.weights.json")), /not a tslab-keras model/);
});
