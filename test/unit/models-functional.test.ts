/**
 * The functional API's behaviour beyond the goldens: callable layers, Keras' messages for bad graphs and
 * merges, Keras 3's get_config shape, plotModel's SVG, save/load, and no leaked tensors.
 */
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { inspect } from "node:util";
import { join } from "node:path";
import { test } from "node:test";
import { Input, Model, Sequential, layers, tf, utils } from "../../src/index";
import { loadModel } from "../../src/models/index";

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "functional.json"), "utf8")) as {
  residual_config: {
    input_layers: unknown;
    output_layers: unknown;
    layers: {
      class_name: string;
      name: string;
      inbound_nodes: unknown;
      build_config?: unknown;
      config: Record<string, unknown>;
    }[];
  };
};

function residual(): Model {
  const x = Input({ shape: [4], name: "x" });
  const h = layers.Dense(5, { activation: "relu", name: "d1" })(x);
  const h2 = layers.Dense(5, { activation: "tanh", name: "d2" })(h);
  const s = layers.Add({ name: "add" })([h, h2]);
  return new Model({ inputs: x, outputs: layers.Dense(3, { name: "out" })(s), name: "residual" });
}

test("a layer is callable and still a tfjs Layer; .apply works; Sequential takes callable layers and Input", () => {
  const dense = layers.Dense(3, { name: "callable_dense" });
  assert.equal(typeof dense, "function");
  assert.ok(dense instanceof tf.layers.Layer);
  assert.equal(dense.name, "callable_dense");
  const x = Input({ shape: [4] });
  assert.deepEqual(dense(x).shape, [null, 3]);
  assert.deepEqual(layers.Dense(2).apply(x) instanceof tf.SymbolicTensor, true);
  const positional = new Model(x, layers.Dense(2, { name: "pos_out" })(x), { name: "positional" });
  assert.equal(positional.name, "positional");
  assert.deepEqual(
    positional.layers.map((l) => l.name),
    [x.sourceLayer.name, "pos_out"],
  );
  positional.dispose();
  const seq = new Sequential([Input({ shape: [4] }), layers.Dense(2)]);
  assert.deepEqual(seq.batchInputShape(), [null, 4]);
  // a cell's printed value: Keras' reprs, not the proxies' function targets
  assert.equal(inspect(dense), "<Dense name=callable_dense, built=True>");
  assert.equal(inspect(seq), `<Sequential name=${seq.name}, built=True>`);
  assert.match(inspect(x), /^<KerasTensor shape=\(None, 4\), dtype=float32, sparse=False, ragged=False, name=.+>$/);
  seq.dispose();
});

test("Keras' messages: non-tensor calls, merges of mismatched shapes, disconnected outputs, duplicate names", () => {
  const a = Input({ shape: [4], name: "ea" });
  const b = Input({ shape: [3], name: "eb" });
  assert.throws(() => layers.Dense(3)(5 as never), /was called on the number 5; it expects a tensor/);
  assert.throws(
    () => layers.Add()([a, b]),
    /^Error: Inputs have incompatible shapes\. Received shapes \(4,\) and \(3,\)$/,
  );
  assert.throws(
    () => layers.Concatenate()([Input({ shape: [2, 3] }), Input({ shape: [4, 5] })]),
    /A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis\. Received: input_shape=\[\(None, 2, 3\), \(None, 4, 5\)\]/,
  );
  assert.throws(() => layers.Add()(a as never), /A merge layer should be called on a list of inputs/);
  assert.throws(() => layers.Subtract()([a, a, a]), /A `Subtract` layer should be called on exactly 2 inputs/);
  assert.throws(
    () => new Model({ inputs: a, outputs: layers.Dense(1)(b) }),
    /not connected to the model's inputs.*'eb'/,
  );
  assert.throws(() => new Model({ inputs: a, outputs: 3 as never }), /All `outputs` values must be KerasTensors/);
  const h = layers.Dense(2, { name: "dup" })(a);
  assert.throws(
    () => new Model({ inputs: a, outputs: layers.Dense(2, { name: "dup" })(h) }),
    /The name "dup" is used 2 times in the model\. All operation names should be unique\./,
  );
  assert.throws(
    () => Input({ shape: [4], dtyp: "int32" } as never),
    /Unknown Input option 'dtyp'\. Did you mean 'dtype'\?/,
  );
});

test("merge layers compute what Keras computes", async () => {
  const a = Input({ shape: [2] });
  const b = Input({ shape: [2] });
  const outs = [
    layers.Add()([a, b]),
    layers.Subtract()([a, b]),
    layers.Multiply()([a, b]),
    layers.Average()([a, b]),
    layers.Maximum()([a, b]),
    layers.Minimum()([a, b]),
    layers.Concatenate({ axis: -1 })([a, b]),
    layers.Dot({ axes: 1 })([a, b]),
  ];
  const m = new Model({ inputs: [a, b], outputs: outs });
  const xa = tf.tensor2d([[1, 2]]);
  const xb = tf.tensor2d([[3, -1]]);
  const got = (await m.predict([xa, xb])) as tf.Tensor[];
  assert.deepEqual(
    got.map((t) => Array.from(t.dataSync())),
    [[4, 1], [-2, 3], [3, -2], [2, 0.5], [3, 2], [1, -1], [1, 2, 3, -1], [1]],
  );
  tf.dispose([...got, xa, xb]);
  m.dispose();
});

test("getConfig has Keras 3's functional shape (inbound_nodes, build_config, input/output layers)", () => {
  const m = residual();
  const c = m.getConfig() as typeof fixture.residual_config;
  const k = fixture.residual_config;
  assert.deepEqual(c.input_layers, k.input_layers);
  assert.deepEqual(c.output_layers, k.output_layers);
  assert.deepEqual(
    c.layers.map((l) => [l.class_name, l.name, l.inbound_nodes, l.build_config]),
    k.layers.map((l) => [l.class_name, l.name, l.inbound_nodes, l.build_config]),
  );
  const dense = c.layers.find((l) => l.name === "d1")!.config;
  assert.equal(dense.units, 5);
  assert.equal(dense.activation, "relu");
  assert.equal(dense.use_bias, true);
  assert.deepEqual(c.layers[0].config.batch_shape, [null, 4]);
  m.dispose();
});

test("plotModel draws a node per layer and an edge per connection, with shapes", () => {
  const m = residual();
  const plot = utils.plotModel(m, { showShapes: true, showLayerNames: true });
  const svg = plot.svg;
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal((svg.match(/<g class="node"/g) ?? []).length, 5);
  const edges = [...svg.matchAll(/class="edge" data-from="([^"]+)" data-to="([^"]+)"/g)].map((e) => `${e[1]}->${e[2]}`);
  assert.deepEqual(edges.sort(), ["add->out", "d1->add", "d1->d2", "d2->add", "x->d1"]);
  assert.ok(svg.includes(">add (Add)<"));
  assert.ok(
    svg.includes(">Input shape: [(None, 5), (None, 5)]<") || svg.includes(">Input shape: (None, 5), (None, 5)<"),
  );
  assert.ok(svg.includes(">Output shape: (None, 3)<"));
  const bundle = plot[Symbol.for("Jupyter.display") as keyof typeof plot] as unknown as () => Record<string, string>;
  const b = bundle.call(plot);
  assert.equal(b["image/svg+xml"], svg);
  assert.match(b["text/plain"], /5 layers, 5 connections/);
  // Keras' defaults: class names only, no shapes
  const plain = utils.plotModel(m).svg;
  assert.ok(plain.includes(">Dense<") && !plain.includes("Output shape"));
  // top-down: every edge goes downwards
  for (const e of svg.matchAll(/y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"/g)) assert.ok(Number(e[2]) > Number(e[1]));
  assert.throws(() => utils.plotModel(m, { showShape: true } as never), /Did you mean 'showShapes'\?/);
  // left to right: every edge goes rightwards
  const lr = utils.plotModel(m, { rankdir: "LR" }).svg;
  for (const e of lr.matchAll(/x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"/g)) assert.ok(Number(e[2]) > Number(e[1]));
  // a Sequential model is drawn as its chain
  const seq = new Sequential([Input({ shape: [4] }), layers.Dense(3, { name: "s1" }), layers.Dense(2, { name: "s2" })]);
  const chain = utils.plotModel(seq, { showLayerNames: true }).svg;
  assert.deepEqual(
    [...chain.matchAll(/data-from="([^"]+)" data-to="([^"]+)"/g)].map((e) => `${e[1]}->${e[2]}`),
    ["s1->s2"],
  );
  seq.dispose();
  m.dispose();
});

test("a two-output model trains with per-output history keys, evaluate order, no leaks; saves and loads as Keras' Functional", async () => {
  const dir = mkdtempSync(join(tmpdir(), "functional-"));
  try {
    const a = Input({ shape: [3], name: "sa" });
    const b = Input({ shape: [2], name: "sb" });
    const h = layers.Dense(4, { activation: "relu", name: "sh" })(layers.Concatenate()([a, b]));
    const m = new Model({
      inputs: { sa: a, sb: b },
      outputs: {
        reg: layers.Dense(1, { name: "reg" })(h),
        cls: layers.Dense(2, { activation: "softmax", name: "cls" })(h),
      },
    });
    m.compile({
      optimizer: "adam",
      loss: { reg: "mse", cls: "sparse_categorical_crossentropy" },
      metrics: { cls: ["accuracy"] },
    });
    const x = { sa: tf.randomNormal([8, 3]), sb: tf.randomNormal([8, 2]) };
    const y = { reg: tf.randomNormal([8, 1]), cls: tf.tensor1d([0, 1, 1, 0, 1, 0, 0, 1]) };
    const history = await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, validationSplit: 0.25 });
    assert.deepEqual(Object.keys(history.history).sort(), [
      "cls_accuracy",
      "cls_loss",
      "loss",
      "reg_loss",
      "val_cls_accuracy",
      "val_cls_loss",
      "val_loss",
      "val_reg_loss",
    ]);
    const before = tf.memory().numTensors; // now with Adam's slots
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, validationSplit: 0.25 });
    assert.equal(tf.memory().numTensors, before, "a second fit leaves no tensors behind");
    const p = (await m.predict(x)) as Record<string, tf.Tensor>;
    assert.deepEqual(Object.keys(p), ["reg", "cls"]);
    // Saved as Keras' "Functional" and loaded back: the same dict outputs, values and compile settings.
    const file = join(dir, "two.keras");
    await m.save(file);
    const back = await loadModel<Model>(file);
    const q = (await back.predict(x)) as Record<string, tf.Tensor>;
    assert.deepEqual(Object.keys(q), ["reg", "cls"]);
    for (const k of ["reg", "cls"]) assert.ok(tf.max(tf.abs(tf.sub(p[k], q[k]))).dataSync()[0] < 1e-6, k);
    assert.deepEqual(back.compileState()?.loss, { reg: "mse", cls: "sparse_categorical_crossentropy" });
    assert.equal(back.optimizer?.iterations, m.optimizer?.iterations);
    tf.dispose(Object.values(q));
    back.dispose();
    const e1 = (await m.evaluate(x, y, { verbose: 0 })) as number[];
    const dict = await m.evaluate(x, y, { verbose: 0, returnDict: true });
    assert.deepEqual(Object.keys(dict), ["loss", "reg_loss", "cls_loss", "cls_accuracy"]);
    assert.deepEqual(e1, Object.values(dict));
    tf.dispose([...Object.values(p), ...Object.values(x), ...Object.values(y)]);
    m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("data errors name the model's inputs", async () => {
  const a = Input({ shape: [3], name: "da" });
  const b = Input({ shape: [2], name: "db" });
  const m = new Model({ inputs: [a, b], outputs: layers.Dense(1)(layers.Concatenate()([a, b])) });
  const xa = tf.zeros([4, 3]);
  await assert.rejects(
    m.predict(xa),
    /the model has 2 inputs \('da', 'db'\) but received one array; pass a list of 2 arrays/,
  );
  await assert.rejects(m.predict({ da: xa, dc: xa }), /Unknown input name in x 'dc'/);
  xa.dispose();
  m.dispose();
});

test("a functional chain trains exactly like the same Sequential on the eager path (Dropout masks, L2 penalty)", async () => {
  const saved = process.env.TSLAB_KERAS_ENGINE;
  process.env.TSLAB_KERAS_ENGINE = "eager"; // the compiled engine draws other (equally seeded) masks
  try {
    const build = (functional: boolean) => {
      const d1 = layers.Dense(6, { activation: "relu", kernelInitializer: "ones", kernelRegularizer: "l2" });
      const dr = layers.Dropout(0.5, { seed: 7 });
      const d2 = layers.Dense(2, { kernelInitializer: "ones" });
      if (!functional) return new Sequential([Input({ shape: [3] }), d1, dr, d2]);
      const x = Input({ shape: [3] });
      return new Model({ inputs: x, outputs: d2(dr(d1(x))) });
    };
    const x = tf.tensor2d([
      [0.1, 0.2, 0.3],
      [0.4, -0.5, 0.6],
      [-0.7, 0.8, 0.9],
      [0.2, 0.1, -0.3],
    ]);
    const y = tf.tensor2d([
      [1, 0],
      [0, 1],
      [1, 1],
      [0, 0],
    ]);
    const results: number[][] = [];
    for (const functional of [false, true]) {
      utils.setRandomSeed(3); // the same random step counter (Dropout masks) for both runs
      const m = build(functional) as Sequential; // the same compile/fit for both kinds
      m.compile({ optimizer: "sgd", loss: "mse" });
      const h = await m.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
      const w = m.getWeights();
      results.push([...h.history.loss, ...w.flatMap((t) => Array.from(t.dataSync()))]);
      tf.dispose(w);
      m.dispose();
    }
    assert.deepEqual(results[1], results[0]);
    tf.dispose([x, y]);
  } finally {
    if (saved === undefined) delete process.env.TSLAB_KERAS_ENGINE;
    else process.env.TSLAB_KERAS_ENGINE = saved;
  }
});

test("a model is callable like a layer: a Sequential block inside a functional model trains, saves and loads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nested-"));
  try {
    const block = new Sequential([layers.Dense(4, { activation: "relu" }), layers.Dropout(0.2)], { name: "block" });
    const x = Input({ shape: [3], name: "nx" });
    const m = new Model(x, layers.Dense(1, { name: "nout" })(block(x)), { name: "nested" });
    const lines: string[] = [];
    m.summary({ printFn: (l) => lines.push(l) });
    assert.ok(lines.some((l) => /│ block \(Sequential\) +│ \(None, 4\) +│ +16 │ nx\[0\]\[0\] +│/.test(l)));
    assert.ok(lines.some((l) => /│ nout \(Dense\) .* block\[0\]\[0\] +│/.test(l)));
    assert.equal(m.countParams(), 21);
    m.compile({ optimizer: "sgd", loss: "mse" });
    const xs = tf.randomNormal([8, 3]);
    const ys = tf.randomNormal([8, 1]);
    const h = await m.fit(xs, ys, { epochs: 2, verbose: 0 });
    assert.equal(h.history.loss.length, 2);
    assert.equal(h.params.trainer, "compiled");
    await m.save(join(dir, "nested.keras"));
    const back = await loadModel<Model>(join(dir, "nested.keras"));
    assert.deepEqual(
      back.layers.map((l) => `${l.name}:${l.getClassName()}`),
      ["nx:InputLayer", "block:Sequential", "nout:Dense"],
    );
    const [a, b, c] = [
      (await m.predict(xs)) as tf.Tensor,
      m.apply(xs) as tf.Tensor,
      (await back.predict(xs)) as tf.Tensor,
    ];
    assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] < 1e-6);
    assert.ok(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0] < 1e-6, "the loaded nested model predicts the same");
    c.dispose();
    back.dispose();
    assert.throws(() => m(3 as never), /Model 'nested' was called on number/);
    tf.dispose([a, b, xs, ys]);
    m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a residual functional model trains on the compiled path, equal to the eager path within 1e-4", async () => {
  const run = async (engine: string | undefined) => {
    const saved = process.env.TSLAB_KERAS_ENGINE;
    if (engine === undefined) delete process.env.TSLAB_KERAS_ENGINE;
    else process.env.TSLAB_KERAS_ENGINE = engine;
    try {
      utils.setRandomSeed(11);
      const x = Input({ shape: [4] });
      const h = layers.Dense(4, { activation: "relu", kernelInitializer: "glorot_uniform" })(x);
      const r = layers.Add()([x, h]);
      const m = new Model({ inputs: x, outputs: layers.Dense(3, { activation: "softmax" })(r) });
      m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
      const xs = tf.tidy(() => tf.randomUniform([64, 4], -1, 1, "float32", 5));
      const ys = tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 3));
      const hist = await m.fit(xs, ys, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const w = m.getWeights();
      const out = {
        trainer: hist.params.trainer,
        values: [...hist.history.loss, ...hist.history.accuracy, ...w.flatMap((t) => Array.from(t.dataSync()))],
      };
      tf.dispose([...w, xs, ys]);
      m.dispose();
      return out;
    } finally {
      if (saved === undefined) delete process.env.TSLAB_KERAS_ENGINE;
      else process.env.TSLAB_KERAS_ENGINE = saved;
    }
  };
  const compiled = await run(undefined);
  const eager = await run("eager");
  assert.equal(compiled.trainer, "compiled");
  assert.equal(eager.trainer, "eager");
  assert.equal(compiled.values.length, eager.values.length);
  compiled.values.forEach((v, i) =>
    assert.ok(Math.abs(v - eager.values[i]) < 1e-4, `value ${i}: ${v} vs ${eager.values[i]}`),
  );
});

test("the new layers are callable in a functional graph; compile rejects unknown options with the closest name", async () => {
  const seq = Input({ shape: [5, 3] });
  const h = layers.LSTM(4)(layers.Conv1D(2, 2, { padding: "same" })(seq));
  const m = new Model({ inputs: seq, outputs: layers.Dense(1)(h) });
  assert.deepEqual(m.batchOutputShape(), [null, 1]);
  assert.throws(
    () => m.compile({ optimizer: "sgd", loss: "mse", lossWeight: [1] } as never),
    /compile: unknown option 'lossWeight' — did you mean 'lossWeights'\?/,
  );
  m.compile({ optimizer: "sgd", loss: "mse", weightedMetrics: ["mae"] });
  const x = tf.ones([4, 5, 3]);
  const y = tf.zeros([4, 1]);
  const sw = tf.tensor1d([1, 0, 0, 0]);
  const logs = await m.evaluate(x, y, { verbose: 0, returnDict: true, sampleWeight: sw });
  assert.deepEqual(Object.keys(logs), ["loss", "mae"]);
  tf.dispose([x, y, sw]);
  m.dispose();
});
