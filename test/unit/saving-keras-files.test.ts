/**
 * Files written by Python Keras 3 (test/fixtures/saving/, made by scripts/golden/saving_golden.py):
 * the library loads each and predicts what Keras predicted. Needs no Python.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Sequential, loadModel } from "../../src/models/index";

const FIX = path.join(__dirname, "..", "fixtures", "saving");
const golden = JSON.parse(fs.readFileSync(path.join(FIX, "saving.json"), "utf8")) as {
  mlp: {
    x: number[][];
    y: number[][];
    predictions: number[][];
    evaluate: number[];
    iterations: number;
    momentum0: number[][];
  };
  cnn: { x: number[][][][]; predictions: number[][] };
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-kfiles-"));

function maxDiff(a: tf.Tensor, b: number[][]): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, tf.tensor(b)))).arraySync() as number);
}

async function predictsLikeKeras(model: Sequential, x: tf.Tensor, expected: number[][]): Promise<number> {
  const p = await model.predict(x);
  const d = maxDiff(p, expected);
  p.dispose();
  assert.ok(d < 1e-5, `max |ours - Keras| = ${d}`);
  return d;
}

test("a Keras 3 .keras MLP (Dense, L2, BatchNormalization, Dropout) loads compiled, with its optimizer state", async () => {
  const before = tf.memory().numTensors;
  const m = await loadModel(path.join(FIX, "keras_mlp.keras"));
  assert.equal(m.name, "mlp");
  assert.deepEqual(
    m.layers.map((l) => l.getClassName()),
    ["Dense", "BatchNormalization", "Dropout", "Dense"],
  );
  const x = tf.tensor(golden.mlp.x);
  const y = tf.tensor(golden.mlp.y);
  await predictsLikeKeras(m, x, golden.mlp.predictions);
  const ev = (await m.evaluate(x, y, { verbose: 0 })) as number[];
  ev.forEach((v, i) =>
    assert.ok(Math.abs(v - golden.mlp.evaluate[i]) < 1e-5, `evaluate[${i}] ${v} vs ${golden.mlp.evaluate[i]}`),
  );
  assert.equal(m.optimizer?.getClassName(), "Adam");
  assert.equal(m.optimizer?.iterations, golden.mlp.iterations);
  const state = await m.optimizer!.getWeights();
  assert.equal(state.length, 1 + 2 * 6);
  const m0 = state[1].tensor; // the first kernel's momentum
  assert.ok(maxDiff(m0, golden.mlp.momentum0) < 1e-7);
  state[0].tensor.dispose();
  tf.dispose([x, y]);
  m.dispose();
  assert.ok(tf.memory().numTensors <= before + 1, "no tensors left behind but the optimizer's constants");
});

test("a Keras 3 legacy .h5 model and a .weights.h5 file load and predict as Keras did", async () => {
  const x = tf.tensor(golden.mlp.x);
  const legacy = await loadModel(path.join(FIX, "keras_mlp.h5"));
  await predictsLikeKeras(legacy, x, golden.mlp.predictions);
  assert.equal(legacy.optimizer?.getClassName(), "Adam");
  const fresh = new Sequential([
    layers.Input([6]),
    layers.Dense(8, { activation: "relu" }),
    layers.BatchNormalization(),
    layers.Dropout(0.3),
    layers.Dense(3, { activation: "softmax" }),
  ]);
  fresh.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
  await fresh.loadWeights(path.join(FIX, "keras_mlp.weights.h5"));
  await predictsLikeKeras(fresh, x, golden.mlp.predictions);
  assert.equal(fresh.optimizer?.iterations, golden.mlp.iterations); // optimizer/vars restored too
  const other = new Sequential();
  other.add(layers.Dense(8, { activation: "relu", inputShape: [6] }));
  other.add(layers.Dense(4));
  await assert.rejects(other.loadWeights(path.join(FIX, "keras_mlp.weights.h5")), /does not fit this model/);
  tf.dispose(x);
});

test("a Keras 2 (tf.keras 2.15 layout) .h5 model loads compiled and predicts as Keras did", async () => {
  const m = await loadModel(path.join(FIX, "keras2_mlp.h5"));
  assert.deepEqual(
    m.layers.map((l) => l.name),
    ["dense", "batch_normalization", "dropout", "dense_1"],
  );
  const x = tf.tensor(golden.mlp.x);
  const y = tf.tensor(golden.mlp.y);
  await predictsLikeKeras(m, x, golden.mlp.predictions);
  assert.equal(m.optimizer?.getClassName(), "Adam");
  const ev = (await m.evaluate(x, y, { verbose: 0 })) as number[];
  assert.equal(ev.length, 2); // loss and the MeanMetricWrapper'd accuracy
  ev.forEach((v, i) =>
    assert.ok(Math.abs(v - golden.mlp.evaluate[i]) < 1e-5, `evaluate[${i}] ${v} vs ${golden.mlp.evaluate[i]}`),
  );
  tf.dispose([x, y]);
});

test("a Keras 3 .keras CNN with lesson 004's layer kinds loads and predicts as Keras did", async () => {
  const m = await loadModel(path.join(FIX, "keras_cnn.keras"));
  assert.deepEqual(
    m.layers.map((l) => l.getClassName()),
    ["Conv2D", "MaxPooling2D", "Dropout", "Conv2D", "MaxPooling2D", "Flatten", "Dense", "Dense"],
  );
  const x = tf.tensor(golden.cnn.x);
  await predictsLikeKeras(m, x, golden.cnn.predictions);
  assert.equal(m.optimizer?.getClassName(), "Adam");
  assert.ok(Math.abs((m.optimizer as unknown as { learningRate: number }).learningRate - 1e-4) < 1e-9);
  tf.dispose(x);
});

/** keras_mlp.keras with its config.json edited by `edit`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free edits of a parsed JSON document
function editedKeras(name: string, edit: (config: any) => void): string {
  const entries = unzipSync(fs.readFileSync(path.join(FIX, "keras_mlp.keras")));
  const config = JSON.parse(strFromU8(entries["config.json"]));
  edit(config);
  entries["config.json"] = strToU8(JSON.stringify(config));
  const file = path.join(tmp, name);
  fs.writeFileSync(file, zipSync(entries, { level: 0 }));
  return file;
}

test("an option or layer the library cannot map is named, with its layer", async () => {
  const constraint = editedKeras("constraint.keras", (c) => {
    c.config.layers[1].config.kernel_constraint = { module: "keras.constraints", class_name: "NonNeg", config: {} };
  });
  await assert.rejects(
    loadModel(constraint),
    /^Error: Layer 'dense' \(Dense\): option 'kernel_constraint' = \{.*NonNeg.*\} is not supported by tslab-keras \(supported: null\)$/,
  );
  const unknown = editedKeras("unknown.keras", (c) => {
    c.config.layers[2].config.frobnicate = 3;
  });
  await assert.rejects(
    loadModel(unknown),
    /^Error: Layer 'batch_normalization' \(BatchNormalization\): option 'frobnicate' is not known to tslab-keras for this layer class$/,
  );
  const cls = editedKeras("class.keras", (c) => {
    c.config.layers[3].class_name = "AlphaDropout";
  });
  await assert.rejects(
    loadModel(cls),
    /^Error: Layer 'dropout' \(AlphaDropout\) cannot be loaded: tslab-keras has no layer class 'AlphaDropout'/,
  );
  const required = editedKeras("required.keras", (c) => {
    c.config.layers[3].class_name = "GaussianNoise"; // a Dropout config has no stddev
  });
  await assert.rejects(
    loadModel(required),
    /^Error: Layer 'dropout' \(GaussianNoise\) cannot be loaded: GaussianNoise: stddev must be a number >= 0, got undefined$/,
  );
  const functional = editedKeras("functional.keras", (c) => {
    c.class_name = "Functional";
  });
  await assert.rejects(loadModel(functional), /functional\.keras: the Functional config has no input_layers$/);
  const other = editedKeras("other.keras", (c) => {
    c.class_name = "MyModel";
  });
  await assert.rejects(
    loadModel(other),
    /cannot load a 'MyModel' model; tslab-keras loads Sequential and Functional models/,
  );
  const opt = editedKeras("opt.keras", (c) => {
    c.compile_config.optimizer.config.use_ema = true;
  });
  await assert.rejects(
    loadModel(opt),
    /optimizer Adam: Adam: option 'use_ema' is not supported by tslab-keras yet \(got true\)/,
  );
});

test("truncated and corrupt files say so", async () => {
  const whole = fs.readFileSync(path.join(FIX, "keras_mlp.keras"));
  const half = path.join(tmp, "half.keras");
  fs.writeFileSync(half, whole.subarray(0, whole.length >> 1));
  await assert.rejects(loadModel(half), /half\.keras is truncated or corrupt: its zip archive cannot be read/);
  const junk = path.join(tmp, "junk.keras");
  fs.writeFileSync(junk, "not a zip at all");
  await assert.rejects(loadModel(junk), /junk\.keras is corrupt: it is not a zip archive/);
  const h5 = fs.readFileSync(path.join(FIX, "keras_mlp.h5"));
  const cut = path.join(tmp, "cut.h5");
  fs.writeFileSync(cut, h5.subarray(0, 3000));
  await assert.rejects(loadModel(cut), /cut\.h5 is corrupt: it is truncated \(3000 of \d+ bytes\)/);
  const fake = path.join(tmp, "fake.h5");
  fs.writeFileSync(fake, "\x89HDX garbage");
  await assert.rejects(loadModel(fake), /fake\.h5 is corrupt: it is not an HDF5 file/);
  const weights = fs.readFileSync(path.join(FIX, "keras_mlp.weights.h5"));
  const cutW = path.join(tmp, "cut.weights.h5");
  fs.writeFileSync(cutW, weights.subarray(0, weights.length - 100));
  const m = new Sequential([layers.Dense(3, { inputShape: [6] })]);
  await assert.rejects(m.loadWeights(cutW), /cut\.weights\.h5 is corrupt: it is truncated/);
  const old = path.join(tmp, "old.keras");
  fs.writeFileSync(old, '{"format":"tslab-keras-model","formatVersion":1}');
  await assert.rejects(loadModel(old), /old\.keras is in tslab-keras' old JSON format, not a Keras file/);
  const oldHdf5 = path.join(tmp, "mnist-03-0.3148.hdf5"); // what lesson 003 used to write
  fs.writeFileSync(oldHdf5, '{"format":"tslab-keras-model","formatVersion":1}');
  await assert.rejects(loadModel(oldHdf5), /mnist-03-0\.3148\.hdf5 is in tslab-keras' old JSON format/);
});
