/**
 * `createEngineFit`, the hook for fit's hot loop: weights and optimizer state move between the model,
 * the optimizer and the graph, so mixing compiled and eager steps gives the eager result.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { cpus } from "node:os";
import { tf } from "../../src/tf";
import { Adam, SGD } from "../../src/optimizers/index";
import { createEngineFit, type EngineLogs } from "../../src/engine/fit-engine";
import { readModelWeights } from "../../src/engine/describe";
import { defaultThreads, loadEngineAddon, SMALL_STEP_MACS, type ThreadSettings } from "../../src/engine/native";
import { mulberry32 } from "../../src/random";

const skip = loadEngineAddon() === undefined ? "engine addon not built (node scripts/setup/engine-native.mjs)" : false;

function makeModel(seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: s });
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 12, activation: "relu", inputShape: [10], kernelInitializer: init(seed) }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 4, activation: "softmax", kernelInitializer: init(seed + 1) }),
    ],
  });
}

function batches(steps: number, batch: number): [tf.Tensor, tf.Tensor][] {
  const r = mulberry32(7);
  return Array.from({ length: steps }, () => {
    const x = tf.tensor(
      Float32Array.from({ length: batch * 10 }, () => r() * 2 - 1),
      [batch, 10],
    );
    const y = tf.oneHot(
      tf.tensor1d(
        Int32Array.from({ length: batch }, () => Math.floor(r() * 4)),
        "int32",
      ),
      4,
    );
    return [x, y];
  });
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let m = 0;
  a.forEach((w, i) => w.forEach((v, j) => (m = Math.max(m, Math.abs(v - b[i][j]) / (1 + Math.abs(b[i][j]))))));
  return m;
}

async function engineSteps(
  model: tf.LayersModel,
  opt: tf.Optimizer,
  data: [tf.Tensor, tf.Tensor][],
  options: { threads?: ThreadSettings } = {},
): Promise<void> {
  const e = createEngineFit(model, opt, "categorical_crossentropy", ["accuracy"], options);
  assert.ok(!("reason" in e), "reason" in e ? e.reason : "");
  const x = tf.concat(data.map((d) => d[0]));
  const y = tf.concat(data.map((d) => d[1]));
  await e.begin(x, y);
  e.beginEpoch();
  const b = data[0][0].shape[0];
  data.forEach((_, i) => e.trainBatch(undefined, i * b, b));
  const logs = e.logs();
  assert.ok(Number.isFinite(logs.loss) && logs.accuracy !== undefined);
  await e.end();
  tf.dispose([x, y]);
}

for (const [name, makeOpt] of [
  ["Adam", () => new Adam({ learningRate: 0.01 })],
  ["SGD momentum", () => new SGD({ learningRate: 0.1, momentum: 0.9 })],
] as const) {
  test(`engine fit (${name}): compiled then eager steps = eager steps; state goes both ways`, { skip }, async () => {
    const data = batches(6, 8);
    const reference = makeModel(1);
    const refOpt = makeOpt();
    reference.compile({ optimizer: refOpt, loss: "categoricalCrossentropy" });
    for (const [x, y] of data) await reference.trainOnBatch(x, y);

    // 3 compiled steps, then 3 eager ones on the same optimizer
    const a = makeModel(1);
    const optA = makeOpt();
    a.compile({ optimizer: optA, loss: "categoricalCrossentropy" });
    await engineSteps(a, optA, data.slice(0, 3));
    assert.equal(optA.iterations, 3);
    for (const [x, y] of data.slice(3)) await a.trainOnBatch(x, y);
    assert.ok(maxDiff(readModelWeights(a), readModelWeights(reference)) < 1e-5, "compiled → eager");

    // 3 eager steps, then 3 compiled ones
    const b = makeModel(1);
    const optB = makeOpt();
    b.compile({ optimizer: optB, loss: "categoricalCrossentropy" });
    for (const [x, y] of data.slice(0, 3)) await b.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    await engineSteps(b, optB, data.slice(3));
    assert.ok(tf.memory().numTensors <= before, "no tensors leak from the compiled fit");
    assert.ok(maxDiff(readModelWeights(b), readModelWeights(reference)) < 1e-5, "eager → compiled");
    assert.equal(optB.iterations, 6);
    tf.dispose(data.flat());
  });
}

test(
  "engine fit: a fit on other threads (new batch size) takes over the weights and optimizer state",
  { skip },
  async () => {
    const data = batches(6, 8);
    const reference = makeModel(5);
    const refOpt = new Adam({ learningRate: 0.01 });
    reference.compile({ optimizer: refOpt, loss: "categoricalCrossentropy" });
    await engineSteps(reference, refOpt, data, { threads: { intraOp: 1, interOp: 1 } });

    const model = makeModel(5);
    const opt = new Adam({ learningRate: 0.01 });
    model.compile({ optimizer: opt, loss: "categoricalCrossentropy" });
    await engineSteps(model, opt, data.slice(0, 3), { threads: { intraOp: 1, interOp: 1 } });
    await engineSteps(model, opt, data.slice(3), { threads: { intraOp: 2, interOp: 1 } }); // a new session
    assert.equal(opt.iterations, 6);
    assert.ok(maxDiff(readModelWeights(model), readModelWeights(reference)) < 1e-5, "same weights as one session");
    tf.dispose(data.flat());
  },
);

test("engine fit: validation data is copied out of TensorFlow once per fit, not once per epoch", { skip }, async () => {
  const [[x, y], [xv, yv], [xw, yw]] = batches(3, 16);
  const model = makeModel(3);
  const opt = new Adam({ learningRate: 0.01 });
  model.compile({ optimizer: opt, loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const copies = new Map<tf.Tensor, number>();
  for (const t of [xv, yv, xw]) {
    const read = t.dataSync.bind(t);
    t.dataSync = (() => {
      copies.set(t, (copies.get(t) ?? 0) + 1);
      return read();
    }) as typeof t.dataSync;
  }
  const e = createEngineFit(model, opt, "categorical_crossentropy", ["accuracy"]);
  if ("reason" in e) assert.fail(e.reason);
  await e.begin(x, y);
  const expected = model.evaluate(xv, yv) as tf.Scalar[];
  const [loss, accuracy] = expected.map((t) => t.dataSync()[0]);
  for (let epoch = 0; epoch < 3; epoch++) {
    const logs: EngineLogs = e.evaluate(xv, yv);
    assert.ok(Math.abs(logs.loss - loss) < 1e-5, `epoch ${epoch}: val loss ${logs.loss} vs evaluate ${loss}`);
    assert.equal(logs.accuracy, accuracy);
  }
  assert.equal(copies.get(xv), 1, "one copy for the three validations");
  assert.equal(copies.get(yv), 1);
  // Other tensors are other data: copied, and the result is theirs.
  const other = model.evaluate(xw, yw) as tf.Scalar[];
  assert.ok(Math.abs(e.evaluate(xw, yw).loss - other[0].dataSync()[0]) < 1e-5);
  assert.equal(copies.get(xw), 1);
  await e.end();
  tf.dispose([x, y, xv, yv, xw, yw, ...expected, ...other]);
});

test("engine threads: one thread below SMALL_STEP_MACS, every core (intra and inter) above; TF_NUM_* win", () => {
  const saved = [process.env.TF_NUM_INTRAOP_THREADS, process.env.TF_NUM_INTEROP_THREADS];
  delete process.env.TF_NUM_INTRAOP_THREADS;
  delete process.env.TF_NUM_INTEROP_THREADS;
  try {
    const cores = cpus().length;
    assert.deepEqual(defaultThreads(SMALL_STEP_MACS / 2), { intraOp: 1, interOp: 1 });
    assert.deepEqual(defaultThreads(SMALL_STEP_MACS * 2), { intraOp: cores, interOp: cores });
    assert.deepEqual(defaultThreads(), { intraOp: cores, interOp: cores });
    process.env.TF_NUM_INTRAOP_THREADS = "3";
    process.env.TF_NUM_INTEROP_THREADS = "2";
    assert.deepEqual(defaultThreads(SMALL_STEP_MACS / 2), { intraOp: 3, interOp: 2 });
  } finally {
    for (const [k, v] of [
      ["TF_NUM_INTRAOP_THREADS", saved[0]],
      ["TF_NUM_INTEROP_THREADS", saved[1]],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test("engine fit: unsupported setups give a reason", { skip }, () => {
  const model = makeModel(3);
  const r = createEngineFit(model, new Adam(), "categorical_crossentropy", ["mae"]);
  assert.ok("reason" in r && /mae/.test(r.reason));
  const r2 = createEngineFit(model, tf.train.adagrad(0.1), "categorical_crossentropy", []);
  assert.ok("reason" in r2);
});
