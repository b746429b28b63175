/**
 * The Keras mappings of the layers beyond the core ones, without Python: the weights sit where Keras 3
 * keeps them (an RNN's cell, a Bidirectional's forward_layer/backward_layer, TimeDistributed's layer, a
 * nested Sequential's layers, Normalization's int64 count), legacy .h5 round trips, and a file option
 * tslab-keras cannot honour is an error naming the layer and the option (one per family).
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { Model, Sequential, loadModel } from "../../src/models/index";
import { getDataset, openH5 } from "../../src/saving/h5";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-klayers-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

type Entry = { class_name: string; config: Record<string, unknown>; inbound_nodes?: unknown[] };
type Config = { class_name: string; config: { layers: Entry[] } };

/** `model` saved as .keras, its config.json edited by `edit`, written back as `name`. */
async function edited(model: Sequential | Model, name: string, edit: (c: Config) => void): Promise<string> {
  const file = path.join(tmp, name);
  await model.save(file);
  const entries = unzipSync(fs.readFileSync(file));
  const config = JSON.parse(strFromU8(entries["config.json"])) as Config;
  edit(config);
  entries["config.json"] = strToU8(JSON.stringify(config));
  fs.writeFileSync(file, zipSync(entries, { level: 0 }));
  return file;
}

const layerOf = (c: Config, cls: string) => c.config.layers.find((l) => l.class_name === cls)!;

function text(): Sequential {
  const norm = layers.Normalization();
  norm.adapt(
    tf.tensor2d([
      [1, 2],
      [2, 3],
      [4, 5],
    ]),
  );
  return new Sequential([
    layers.Input([5]),
    layers.Embedding(9, 4, { maskZero: true }),
    layers.Bidirectional(layers.LSTM(3, { returnSequences: true })),
    layers.TimeDistributed(layers.Dense(2)),
    layers.GRU(2),
    norm,
  ]);
}

test("weights sit where Keras 3 keeps them: cells, wrappers' sub-layers, nested models, int64 count", async () => {
  const m = text();
  m.compile({ optimizer: "sgd", loss: "mse" });
  const file = path.join(tmp, "layout.keras");
  await m.save(file);
  // Keras checks `isinstance(momentum, float)`: the optimizer's numbers are written as Python floats
  assert.match(strFromU8(unzipSync(fs.readFileSync(file))["config.json"]), /"momentum":0\.0,/);
  const h5file = path.join(tmp, "layout.weights.h5");
  fs.writeFileSync(h5file, unzipSync(fs.readFileSync(file))["model.weights.h5"]);
  const f = await openH5(h5file);
  try {
    const shape = (p: string) => getDataset(f, p)?.shape?.join(",");
    assert.equal(shape("layers/embedding/vars/0"), "9,4");
    assert.equal(shape("layers/bidirectional/forward_layer/cell/vars/0"), "4,12");
    assert.equal(shape("layers/bidirectional/backward_layer/cell/vars/1"), "3,12");
    assert.equal(shape("layers/bidirectional/forward_layer/cell/vars/2"), "12");
    assert.equal(shape("layers/time_distributed/layer/vars/0"), "6,2");
    assert.equal(shape("layers/gru/cell/vars/2"), "2,6", "GRU's reset_after bias: [2, 3·units]");
    assert.equal(getDataset(f, "layers/normalization/vars/2")?.dtype, "<q", "Normalization's count is int64");
    assert.equal(Number(getDataset(f, "layers/normalization/vars/2")?.value), 3);
  } finally {
    f.close();
  }
  // a Sequential block in a functional model: its layers under layers/sequential/layers/
  const block = new Sequential([layers.Dense(4), layers.Dense(2)]);
  const nx = layers.Input({ shape: [3] });
  const nested = new Model(nx, layers.Dense(1)(block(nx)));
  const nestedFile = path.join(tmp, "nested.weights.h5");
  await nested.saveWeights(nestedFile);
  const g = await openH5(nestedFile);
  try {
    assert.equal(getDataset(g, "layers/sequential/layers/dense/vars/0")?.shape?.join(","), "3,4");
    assert.equal(getDataset(g, "layers/sequential/layers/dense_1/vars/0")?.shape?.join(","), "4,2");
    assert.equal(getDataset(g, "layers/dense/vars/0")?.shape?.join(","), "2,1");
  } finally {
    g.close();
  }
  nested.dispose();
  // and the legacy .h5 keeps the two LSTM cells apart
  const x = tf.tensor2d([[3, 1, 2, 0, 0]]);
  const h5 = path.join(tmp, "text.h5");
  await m.save(h5);
  const back = await loadModel(h5);
  const [a, b] = [await m.predict(x), await back.predict(x)];
  assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] < 1e-6);
  tf.dispose([a, b, x]);
  back.dispose();
  m.dispose();
});

test("a file option tslab-keras cannot honour names the layer and the option, per layer family", async () => {
  const m = text();
  const cnn = new Sequential([
    layers.Input([8, 8, 2]),
    layers.Rescaling(1 / 255),
    layers.Conv2DTranspose(2, 3),
    layers.AveragePooling2D(2),
    layers.UpSampling2D(2),
    layers.SpatialDropout2D(0.1),
    layers.LayerNormalization(),
  ]);
  const cases: [Sequential, string, (c: Config) => void, RegExp][] = [
    [
      m,
      "LSTM",
      (c) => ((layerOf(c, "Bidirectional").config.layer as Entry).config.stateful = true),
      /^Error: Layer 'forward_lstm(_\d+)?' \(LSTM\): option 'stateful' = true is not supported by tslab-keras \(supported: false\)$/,
    ],
    [
      m,
      "GRU",
      (c) => (layerOf(c, "GRU").config.recurrent_constraint = { class_name: "NonNeg", config: {} }),
      /Layer 'gru(_\d+)?' \(GRU\): option 'recurrent_constraint' = .*NonNeg.* is not supported by tslab-keras \(supported: null\)/,
    ],
    [
      m,
      "Bidirectional",
      (c) => (layerOf(c, "Bidirectional").config.layer = layerOf(c, "TimeDistributed").config.layer),
      /^Error: Layer 'bidirectional(_\d+)?' \(Bidirectional\): option 'layer' is a Dense; Bidirectional wraps SimpleRNN, LSTM or GRU in tslab-keras$/,
    ],
    [
      m,
      "Embedding",
      (c) => (layerOf(c, "Embedding").config.embeddings_constraint = { class_name: "UnitNorm", config: {} }),
      /Layer 'embedding(_\d+)?' \(Embedding\): option 'embeddings_constraint' = .* is not supported/,
    ],
    [
      cnn,
      "Conv2DTranspose",
      (c) => (layerOf(c, "Conv2DTranspose").config.output_padding = [1, 1]),
      /Layer 'conv2d_transpose(_\d+)?' \(Conv2DTranspose\): option 'output_padding' = \[1,1\] is not supported by tslab-keras \(supported: null\)/,
    ],
    [
      cnn,
      "AveragePooling2D",
      (c) => (layerOf(c, "AveragePooling2D").config.data_format = "channels_first"),
      /Layer 'average_pooling2d(_\d+)?' \(AveragePooling2D\): option 'data_format' = "channels_first" is not supported by tslab-keras \(supported: "channels_last"\)/,
    ],
    [
      cnn,
      "UpSampling2D",
      (c) => (layerOf(c, "UpSampling2D").config.interpolation = "bilinear"),
      /Layer 'up_sampling2d(_\d+)?' \(UpSampling2D\): option 'interpolation' = "bilinear" is not supported/,
    ],
    [
      cnn,
      "SpatialDropout2D",
      (c) => (layerOf(c, "SpatialDropout2D").config.data_format = "channels_first"),
      /Layer 'spatial_dropout2d(_\d+)?' \(SpatialDropout2D\): option 'data_format' = "channels_first"/,
    ],
    [
      cnn,
      "Rescaling",
      (c) => (layerOf(c, "Rescaling").config.scale = [0.5, 0.5]),
      /Layer 'rescaling(_\d+)?' \(Rescaling\): option 'scale' = \[0\.5,0\.5\]: tslab-keras' Rescaling takes one number/,
    ],
    [
      cnn,
      "LayerNormalization",
      (c) => (layerOf(c, "LayerNormalization").config.rms_scaling = true),
      /Layer 'layer_normalization(_\d+)?' \(LayerNormalization\): option 'rms_scaling' = true is not supported/,
    ],
  ];
  for (const [model, what, edit, message] of cases) {
    await assert.rejects(loadModel(await edited(model, `${what}.keras`, edit)), message, what);
  }
  m.dispose();
  cnn.dispose();
});

test("a functional file: merge options, call arguments and Lambda layers that cannot load say why", async () => {
  const a = layers.Input({ shape: [3], name: "fa" });
  const b = layers.Input({ shape: [3], name: "fb" });
  const m = new Model({
    inputs: [a, b],
    outputs: layers.Concatenate({ name: "cat" })([a, layers.Dense(2, { name: "fd" })(b)]),
  });
  const unknown = await edited(m, "concat.keras", (c) => (layerOf(c, "Concatenate").config.mode = "stack"));
  await assert.rejects(
    loadModel(unknown),
    /^Error: Layer 'cat' \(Concatenate\): option 'mode' is not known to tslab-keras/,
  );
  const kwargs = await edited(m, "kwargs.keras", (c) => {
    // `training` changes nothing (the model's own call decides); a mask that is not an Embedding's cannot be kept
    const mask = { class_name: "__keras_tensor__", config: { shape: [null, 3], keras_history: ["fa", 0, 0] } };
    (layerOf(c, "Dense").inbound_nodes![0] as { kwargs: unknown }).kwargs = { training: false, mask };
  });
  await assert.rejects(
    loadModel(kwargs),
    /kwargs\.keras: layer 'fd' \(Dense\): the call passes `mask=\{.*"fa",0,0.*\}`, which tslab-keras cannot pass/,
  );
  const lambda = await edited(m, "lambda.keras", (c) => (layerOf(c, "Dense").class_name = "Lambda"));
  await assert.rejects(
    loadModel(lambda),
    /Layer 'fd' \(Lambda\) cannot be loaded: a Keras Lambda layer holds Python code/,
  );
  const dangling = await edited(m, "dangling.keras", (c) => {
    c.config.layers = c.config.layers.filter((l) => l.class_name !== "Dense");
  });
  await assert.rejects(
    loadModel(dangling),
    /dangling\.keras: layer 'cat' reads 'fd' \(node 0, tensor 0\), which no layer of the file produces/,
  );
  // a file that fails after some layers were built frees their weights
  const before = tf.memory().numTensors;
  const output = await edited(m, "output.keras", (c) => {
    (c.config as unknown as { output_layers: unknown }).output_layers = ["nope", 0, 0];
  });
  await assert.rejects(
    loadModel(output),
    /output\.keras: output_layers names 'nope' \(node 0, tensor 0\), which the graph does not produce/,
  );
  assert.equal(tf.memory().numTensors, before, "no tensors left behind");
  // the untouched file loads, as a list-input model
  const file = path.join(tmp, "fine.keras");
  await m.save(file);
  const back = await loadModel<Model>(file);
  assert.deepEqual(back.inputNames, ["fa", "fb"]);
  back.dispose();
  assert.equal(tf.memory().numTensors, before, "a loaded and disposed model leaves no tensors");
  m.dispose();
});
