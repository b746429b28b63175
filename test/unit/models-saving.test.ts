import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential, loadModel } from "../../src/models/index";
import { l2 } from "../../src/regularizers/index";
import { callbacks } from "../../src/index";
import { loadTfjs } from "../../src/saving/index";
import { tinyData, tinyModel } from "./models-helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-save-"));

function model(): Sequential {
  return new Sequential([
    layers.Dense(5, { activation: "relu", inputShape: [4], kernelRegularizer: l2(0.01) }),
    layers.BatchNormalization(),
    layers.Dropout(0.3),
    layers.Dense(3, { activation: "softmax" }),
  ]);
}

async function trained(): Promise<Sequential> {
  const m = model();
  m.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
  const { x, y } = tinyData(12);
  await m.fit(x, y, { epochs: 2, verbose: 0 });
  tf.dispose([x, y]);
  return m;
}

async function samePredictions(a: Sequential, b: Sequential, x: tf.Tensor): Promise<void> {
  const [pa, pb] = [await a.predict(x), await b.predict(x)];
  assert.deepEqual(pb.arraySync(), pa.arraySync());
  tf.dispose([pa, pb]);
}

for (const ext of [".keras", ".h5", ".hdf5"]) {
  test(`save → loadModel round-trips a ${ext} file: architecture, weights, compile config`, async () => {
    const m = await trained();
    const { x, y } = tinyData(12);
    const file = path.join(tmp, `model${ext}`, `mnist-25-0.2610${ext}`);
    await m.save(file);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), [path.basename(file)]); // no temp file left
    const head = fs.readFileSync(file).subarray(0, 4);
    assert.equal(head.toString("latin1"), ext === ".keras" ? "PK\x03\x04" : "\x89HDF");
    const loaded = await loadModel(file);
    assert.equal(loaded.name, m.name);
    assert.deepEqual(
      loaded.layers.map((l) => [l.name, l.getClassName()]),
      m.layers.map((l) => [l.name, l.getClassName()]),
    );
    await samePredictions(m, loaded, x);
    const [e1, e2] = [await m.evaluate(x, y, { verbose: 0 }), await loaded.evaluate(x, y, { verbose: 0 })];
    assert.deepEqual(e2, e1); // same loss, metrics, and the L2 regularizer restored
    assert.equal(loaded.optimizer?.getClassName(), "Adam");
    if (ext === ".keras") {
      // The optimizer's state comes back too (Adam's moments, in the same order, and the step count).
      assert.equal(loaded.optimizer?.iterations, m.optimizer?.iterations);
      const [sa, sb] = [await m.optimizer!.getWeights(), await loaded.optimizer!.getWeights()];
      assert.equal(sb.length, sa.length);
      assert.equal(sa.length, 1 + 2 * 6); // iter + (m, v) for 6 trainable weights
      sa.forEach((w, i) => assert.deepEqual(sb[i].tensor.arraySync(), w.tensor.arraySync()));
      tf.dispose([sa[0].tensor, sb[0].tensor]);
    }
    m.dispose();
    loaded.dispose();
    tf.dispose([x, y]);
  });
}

test("a ModelCheckpoint .keras written during fit holds that epoch's optimizer state", async () => {
  const m = tinyModel(); // trained by the compiled engine, which keeps the optimizer's state in its graph
  m.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  const { x, y } = tinyData(12);
  const dir = path.join(tmp, "ckpt");
  const ck = new callbacks.ModelCheckpoint({ filepath: path.join(dir, "m-{epoch}.keras") });
  await m.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, callbacks: [ck] });
  for (const epoch of [1, 2, 3]) {
    const loaded = await loadModel(path.join(dir, `m-${epoch}.keras`));
    assert.equal(loaded.optimizer?.iterations, epoch * 3); // 3 steps per epoch
    loaded.dispose();
  }
  m.dispose();
  tf.dispose([x, y]);
});

test("saveWeights/loadWeights (.weights.h5) restore weights into an identical model and reject others", async () => {
  const m = model();
  const file = path.join(tmp, "w.weights.h5");
  await m.saveWeights(file);
  const other = model();
  await other.loadWeights(file);
  assert.deepEqual(
    other.getWeights().map((t) => t.arraySync()),
    m.getWeights().map((t) => t.arraySync()),
  );
  const wrong = new Sequential([layers.Dense(2, { inputShape: [4] })]);
  await assert.rejects(
    wrong.loadWeights(file),
    /does not fit this model: weight 0 of layer '.*' has shape \[4,2\] but the file's is \[4,5\]/,
  );
  await assert.rejects(
    m.saveWeights(path.join(tmp, "w.h5")),
    /^Error: The filename must end in `\.weights\.h5`\. Received: filepath=/,
  );
});

test("Keras' extension rules and messages for save and loadModel", async () => {
  const m = model();
  await assert.rejects(
    m.save(path.join(tmp, "keep.json")),
    /^Error: Invalid filepath extension for saving\. Please add either a `\.keras` extension for the native Keras format \(recommended\) or a `\.h5` extension\./,
  );
  const file = path.join(tmp, "keep.keras");
  await m.save(file);
  await assert.rejects(m.save(file, { overwrite: false }), /already exists; pass \{ overwrite: true \}/);
  await assert.rejects(loadModel(path.join(tmp, "missing.keras")), /File not found: filepath=.*missing\.keras/);
  fs.writeFileSync(path.join(tmp, "notes.txt"), "hello");
  await assert.rejects(loadModel(path.join(tmp, "notes.txt")), /File format not supported: filepath=.*notes\.txt/);
  await m.saveWeights(path.join(tmp, "only.weights.h5"));
  fs.copyFileSync(path.join(tmp, "only.weights.h5"), path.join(tmp, "only.h5"));
  await assert.rejects(
    loadModel(path.join(tmp, "only.h5")),
    /holds no model_config: it is a weights file; use model\.loadWeights/,
  );
});

test("a layer without a Keras mapping saves as a registered tslab_keras object and loads back exactly", async () => {
  const m = new Sequential([layers.Dense(2, { inputShape: [3] }), tf.layers.leakyReLU({ name: "leaky", alpha: 0.2 })]);
  const file = path.join(tmp, "unmapped.keras");
  await m.save(file);
  const loaded = await loadModel(file);
  assert.deepEqual(
    loaded.layers.map((l) => l.getClassName()),
    ["Dense", "LeakyReLU"],
  );
  const x = tf.tensor2d([[1, -2, 3]]);
  const [a, b] = [await m.predict(x), await loaded.predict(x)];
  assert.deepEqual(Array.from(b.dataSync()), Array.from(a.dataSync()));
  tf.dispose([x, a, b]);
  m.dispose();
  loaded.dispose();
});

test("export({ format: 'tfjs' }) writes model.json + weights that tf.loadLayersModel reads back", async () => {
  const m = await trained();
  const dir = path.join(tmp, "web", "model");
  await m.export(dir, { format: "tfjs" });
  assert.deepEqual(fs.readdirSync(dir).sort(), ["model.json", "weights.bin"]);
  const back = await loadTfjs(dir);
  const { x } = tinyData(6);
  const [a, b] = [await m.predict(x), back.predict(x) as tf.Tensor];
  assert.ok((tf.max(tf.abs(tf.sub(a, b))).arraySync() as number) < 1e-6);
  await m.export(dir, { format: "tfjs" }); // replaces the folder, leaves no sibling
  assert.deepEqual(fs.readdirSync(path.dirname(dir)), ["model"]);
  await assert.rejects(m.export(dir, { format: "onnx" as "tfjs" }), /Unrecognized format=onnx/);
  tf.dispose([a, b, x]);
  back.dispose();
});
