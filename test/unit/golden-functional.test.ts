/**
 * The functional API against Python Keras 3 (test/fixtures/golden/functional.json, from
 * scripts/golden/functional.py): printed summaries with "Connected to", forward outputs with fixed weights,
 * the weights after one SGD step, and a two-output model's per-output losses, metrics and history keys.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Input, Model, layers, optimizers, tf } from "../../src/index";

type Nested = number | Nested[];
interface Case {
  summary: string[];
  weights: Record<string, Nested[]>;
  x: Nested[];
  y: Nested;
  output?: Nested;
  loss?: number;
  evaluate_before?: Record<string, number>;
  history?: Record<string, number[]>;
  weights_after_step: Record<string, Nested[]>;
}
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "functional.json"), "utf8")) as {
  residual: Case;
  two_inputs: Case;
  two_outputs: Case;
};

function residual(): Model {
  const x = Input({ shape: [4], name: "x" });
  const h = layers.Dense(5, { activation: "relu", name: "d1" })(x);
  const h2 = layers.Dense(5, { activation: "tanh", name: "d2" })(h);
  const s = layers.Add({ name: "add" })([h, h2]);
  return new Model({ inputs: x, outputs: layers.Dense(3, { name: "out" })(s), name: "residual" });
}

function twoInputs(): Model {
  const a = Input({ shape: [3], name: "a" });
  const b = Input({ shape: [2], name: "b" });
  const c = layers.Concatenate({ name: "concat" })([a, b]);
  const h = layers.Dense(4, { activation: "relu", name: "hidden" })(c);
  return new Model({
    inputs: [a, b],
    outputs: layers.Dense(2, { activation: "sigmoid", name: "out" })(h),
    name: "two_inputs",
  });
}

function twoOutputs(): Model {
  const a = Input({ shape: [3], name: "a" });
  const b = Input({ shape: [2], name: "b" });
  const c = layers.Concatenate({ name: "concat" })([a, b]);
  const h = layers.Dense(4, { activation: "relu", name: "hidden" })(c);
  const o1 = layers.Dense(1, { name: "out1" })(h);
  const o2 = layers.Dense(2, { activation: "softmax", name: "out2" })(h);
  return new Model({ inputs: [a, b], outputs: [o1, o2], name: "two_outputs" });
}

function setFixed(model: Model, weights: Record<string, Nested[]>): void {
  for (const [name, ws] of Object.entries(weights)) {
    const values = ws.map((w) => tf.tensor(w as number[]));
    model.getLayer(name).setWeights(values);
    tf.dispose(values);
  }
}

function assertClose(actual: Nested, expected: Nested, tol: number, what: string): void {
  const flat = (v: Nested) => (Array.isArray(v) ? (v as unknown[]).flat(Infinity) : [v]) as number[];
  const [a, e] = [flat(actual), flat(expected)];
  assert.equal(a.length, e.length, `${what}: length`);
  a.forEach((v, i) => assert.ok(Math.abs(v - e[i]) <= tol, `${what}[${i}]: ${v} vs Keras ${e[i]}`));
}

function assertWeights(model: Model, expected: Record<string, Nested[]>): void {
  for (const [name, ws] of Object.entries(expected)) {
    const own = model.getLayer(name).getWeights();
    own.forEach((w, i) => assertClose(w.arraySync() as Nested, ws[i], 1e-5, `${name} weight ${i}`)); // the variables themselves: not disposed
  }
}

const summaryOf = (m: Model) => {
  const lines: string[] = [];
  m.summary({ printFn: (l) => lines.push(l) });
  return lines;
};

for (const [key, build] of [
  ["residual", residual],
  ["two_inputs", twoInputs],
] as const) {
  test(`${key}: summary, forward output and one SGD step match Keras 3`, async () => {
    const d = fixture[key];
    const model = build();
    assert.deepEqual(summaryOf(model), d.summary);
    setFixed(model, d.weights);
    const xs = d.x.map((x) => tf.tensor(x as number[]));
    const x = xs.length === 1 ? xs[0] : xs;
    const y = tf.tensor(d.y as number[]);
    const before = tf.memory().numTensors;
    const out = (await model.predict(x)) as tf.Tensor;
    assertClose(out.arraySync() as Nested, d.output!, 1e-5, "output");
    out.dispose();
    assert.equal(tf.memory().numTensors, before, "predict leaves no tensors behind");
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: "mse" });
    const history = await model.fit(x, y, { batchSize: xs[0].shape[0], epochs: 1, shuffle: false, verbose: 0 });
    assertClose(history.history.loss[0], d.loss!, 1e-5, "loss");
    assertWeights(model, d.weights_after_step);
    assert.ok(
      tf.memory().numTensors <= before + 1,
      `fit leaves at most the optimizer's step counter (${tf.memory().numTensors - before})`,
    );
    tf.dispose([y, ...xs]);
    model.dispose();
  });
}

test("two outputs: per-output losses, lossWeights, per-output metrics and Keras 3's history keys", async () => {
  const d = fixture.two_outputs;
  const model = twoOutputs();
  assert.deepEqual(summaryOf(model), d.summary);
  setFixed(model, d.weights);
  model.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.1 }),
    loss: ["mse", "categorical_crossentropy"],
    lossWeights: [1.0, 0.5],
    metrics: [["mae"], ["accuracy"]],
  });
  const xs = d.x.map((x) => tf.tensor(x as number[]));
  const ys = (d.y as Nested[]).map((y) => tf.tensor(y as number[]));
  const names = ["loss", "out1_loss", "out2_loss", "out1_mae", "out2_accuracy"];
  const values = (await model.evaluate(xs, ys, { batchSize: 6, verbose: 0 })) as number[];
  names.forEach((k, i) => assertClose(values[i], d.evaluate_before![k], 1e-5, `evaluate ${k}`));
  // a dict keyed by input / output name means the same
  const byName = (await model.evaluate(
    { a: xs[0], b: xs[1] },
    { out1: ys[0], out2: ys[1] },
    { verbose: 0 },
  )) as number[];
  assertClose(byName, values, 1e-6, "dict data");
  const history = await model.fit(xs, ys, { batchSize: 6, epochs: 1, shuffle: false, verbose: 0 });
  assert.deepEqual(Object.keys(history.history).sort(), Object.keys(d.history!).sort());
  for (const [k, v] of Object.entries(d.history!)) assertClose(history.history[k], v, 1e-5, `history ${k}`);
  assertWeights(model, d.weights_after_step);
  const preds = (await model.predict(xs)) as tf.Tensor[];
  assert.deepEqual(
    preds.map((p) => p.shape),
    [
      [6, 1],
      [6, 2],
    ],
  );
  tf.dispose([...preds, ...xs, ...ys]);
  model.dispose();
});
