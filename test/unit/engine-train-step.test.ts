/**
 * The compiled training step against the eager reference: tfjs-layers' `trainOnBatch` with this
 * library's Keras-exact optimizers gives the same weights (within 1e-5) after a few steps, for each
 * model family the lessons use; evaluate/predict match `model.evaluate`/`predict`; nothing leaks.
 * Dropout draws its own masks, so it is checked by its statistics instead.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tf } from "../../src/tf";
import { Adam, SGD } from "../../src/optimizers/index";
import { createTrainStep } from "../../src/engine/train-step";
import { describeLoss, describeModel, describeOptimizer, readModelWeights } from "../../src/engine/describe";
import { loadEngineAddon } from "../../src/engine/native";
import { mulberry32 } from "../../src/random";

const skip = loadEngineAddon() === undefined ? "engine addon not built (node scripts/setup/engine-native.mjs)" : false;

function data(n: number, shape: number[], classes: number, sparse: boolean, seed = 1) {
  const r = mulberry32(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  const x = Float32Array.from({ length: n * size }, () => r() * 2 - 1);
  const ids = Int32Array.from({ length: n }, () => Math.floor(r() * classes));
  const y = sparse
    ? ids
    : Float32Array.from({ length: n * classes }, (_, k) => (ids[Math.floor(k / classes)] === k % classes ? 1 : 0));
  return { x, y, ids };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return m;
}

interface Case {
  name: string;
  layers: () => tf.layers.Layer[];
  inputShape: number[];
  optimizer: () => tf.Optimizer;
  loss: string;
  batch: number;
  /** Max relative weight difference allowed (default 1e-5). */
  tolerance?: number;
}

const cases: Case[] = [
  {
    name: "MLP, SGD (lesson 000 without dropout)",
    inputShape: [20],
    layers: () => [
      tf.layers.dense({ units: 16, activation: "relu", inputShape: [20] }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 5, activation: "softmax" }),
    ],
    optimizer: () => new SGD(),
    loss: "categorical_crossentropy",
    batch: 16,
  },
  {
    name: "MLP with Activation layers, Adam, batch 8 (lesson 002)",
    inputShape: [20],
    layers: () => [
      tf.layers.dense({ units: 12, inputShape: [20] }),
      tf.layers.activation({ activation: "relu" }),
      tf.layers.dense({ units: 6 }),
      tf.layers.activation({ activation: "relu" }),
      tf.layers.dense({ units: 4 }),
      tf.layers.activation({ activation: "softmax" }),
    ],
    optimizer: () => new Adam(),
    loss: "categorical_crossentropy",
    batch: 8,
  },
  {
    name: "MLP + BN after ReLU, Adam, batch 8 (lesson 002 BN)",
    inputShape: [20],
    layers: () => [
      // No bias: for a unit active on the whole batch, BN cancels any shift, so the bias' true gradient is 0
      // and Adam turns the rounding noise of eager vs compiled into ±lr steps (seen once in ~20 runs: 5.8e-5).
      tf.layers.dense({ units: 12, inputShape: [20], useBias: false }),
      tf.layers.activation({ activation: "relu" }),
      tf.layers.batchNormalization(),
      tf.layers.dense({ units: 4, activation: "softmax" }),
    ],
    optimizer: () => new Adam({ learningRate: 0.01 }),
    loss: "categorical_crossentropy",
    batch: 8,
  },
  {
    name: "MLP, SGD Nesterov momentum, tanh/sigmoid",
    inputShape: [10],
    layers: () => [
      tf.layers.dense({ units: 8, activation: "tanh", inputShape: [10] }),
      tf.layers.dense({ units: 8, activation: "sigmoid" }),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
    optimizer: () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }),
    loss: "categorical_crossentropy",
    batch: 10,
  },
  {
    name: "MLP, Adam AMSGrad",
    inputShape: [10],
    layers: () => [
      tf.layers.dense({ units: 8, activation: "elu", inputShape: [10] }),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
    optimizer: () => new Adam({ learningRate: 0.01, amsgrad: true }),
    loss: "categorical_crossentropy",
    batch: 10,
  },
  {
    name: "CNN: conv, maxpool, conv + BN, flatten, dense; sparse labels (lesson 004)",
    inputShape: [8, 8, 3],
    layers: () => [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: "same", activation: "relu", inputShape: [8, 8, 3] }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "same" }),
      // no bias before BN: its true gradient is 0, and Adam would amplify rounding noise into ±lr steps
      tf.layers.conv2d({ filters: 6, kernelSize: 3, padding: "valid", activation: "relu", useBias: false }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, activation: "softmax" }),
    ],
    optimizer: () => new Adam({ learningRate: 0.01 }),
    loss: "sparse_categorical_crossentropy",
    batch: 6,
    // oneDNN's threaded convolution gradients differ from tfjs' in the last bits, and Adam normalises a
    // near-zero gradient to a full ±lr step: about one run in eight reached 1.2–1.8e-5 here. A wrong
    // formula moves weights by ~lr (1e-2).
    tolerance: 1e-4,
  },
];

for (const c of cases) {
  test(`engine: ${c.name} — same weights as the eager step`, { skip }, async () => {
    const model = tf.sequential({ layers: c.layers() });
    const optimizer = c.optimizer();
    const sparse = c.loss.startsWith("sparse");
    model.compile({ optimizer, loss: sparse ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy" });
    const spec = describeModel(model);
    const os = describeOptimizer(optimizer);
    const ls = describeLoss(c.loss);
    assert.ok(
      typeof spec !== "string" && typeof os !== "string" && ls !== undefined,
      `${String(spec)} ${String(os)} ${String(ls)}`,
    );
    const classes = (model.outputs[0].shape[1] as number) ?? 0;
    const step = createTrainStep(spec, os, ls, { threads: { intraOp: 1, interOp: 1 } });
    assert.ok(step);
    step.setWeights(readModelWeights(model));
    const steps = 3;
    const n = c.batch * steps;
    const { x, y, ids } = data(n, c.inputShape, classes, sparse);
    const before = tf.memory().numTensors;
    step.trainEpoch(x, y, n, c.batch);
    const metrics = step.readMetrics();
    assert.equal(tf.memory().numTensors, before, "the compiled step creates no tfjs tensors");
    let lossSum = 0;
    for (let s = 0; s < steps; s++) {
      const xb = tf.tensor(x.subarray(s * c.batch * (x.length / n), (s + 1) * c.batch * (x.length / n)), [
        c.batch,
        ...c.inputShape,
      ]);
      const yb = sparse
        ? tf.tensor(Float32Array.from(ids.subarray(s * c.batch, (s + 1) * c.batch)), [c.batch, 1])
        : tf.oneHot(tf.tensor1d(ids.subarray(s * c.batch, (s + 1) * c.batch), "int32"), classes);
      lossSum += Number(await model.trainOnBatch(xb, yb));
      tf.dispose([xb, yb]);
    }
    const want = readModelWeights(model);
    const got = step.getWeights();
    got.forEach((g, i) =>
      assert.ok(
        maxRelDiff(g, want[i]) < (c.tolerance ?? 1e-5),
        `weight ${i}: max relative difference ${maxRelDiff(g, want[i])}`,
      ),
    );
    assert.ok(
      Math.abs(metrics.loss - lossSum / steps) < 1e-4,
      `epoch loss ${metrics.loss} vs eager ${lossSum / steps}`,
    );
    assert.equal(step.iterations, steps);

    // inference: evaluate and predict match the eager model (BN uses its moving statistics)
    const xt = tf.tensor(x, [n, ...c.inputShape]);
    const probs = model.predict(xt) as tf.Tensor;
    const p = probs.dataSync() as Float32Array;
    assert.ok(maxRelDiff(step.predict(x, n), p) < 1e-5, "predict");
    let eagerLoss = 0;
    for (let i = 0; i < n; i++) eagerLoss -= Math.log(p[i * classes + ids[i]]);
    assert.ok(Math.abs(step.evaluate(x, y, n).loss - eagerLoss / n) < 1e-4, "evaluate loss");
    tf.dispose([xt, probs]);
    model.dispose();
    optimizer.dispose();
  });
}

for (const fusedDropout of [true, false]) {
  const path = fusedDropout ? "fused op" : "TensorFlow's RandomUniform";
  test(
    `engine: dropout (${path}) keeps 1 - rate of the units, scaled by 1 / (1 - rate), only in training`,
    { skip },
    () => {
      // A model that ends in Dropout → Dense(identity-like): compare losses with and without training.
      const model = tf.sequential({
        layers: [
          tf.layers.dropout({ rate: 0.75, inputShape: [4000] }),
          tf.layers.dense({ units: 2, activation: "softmax", useBias: false }),
        ],
      });
      const spec = describeModel(model);
      assert.ok(typeof spec !== "string");
      const step = createTrainStep(
        spec,
        { kind: "sgd", learningRate: 0, momentum: 0, nesterov: false, decay: 0 },
        "categorical_crossentropy",
        { fusedDropout },
      );
      assert.ok(step);
      // kernel: column 0 sums the inputs, column 1 is zero → logit0 = sum(dropout(x)) / 4000
      const kernel = new Float32Array(8000);
      for (let i = 0; i < 4000; i++) kernel[i * 2] = 1 / 4000;
      step.setWeights([kernel]);
      const x = new Float32Array(4000).fill(1);
      const y = Float32Array.of(0, 1);
      // inference: logits [1, 0] exactly
      const inf = step.predict(x, 1);
      assert.ok(Math.abs(inf[0] - 1 / (1 + Math.exp(-1))) < 1e-5);
      // training: the per-step loss is -log softmax(logits)[1] = log(1 + e^{l0}) with l0 = kept/1000 ≈ 1
      let sum = 0;
      for (let s = 0; s < 20; s++) {
        step.resetMetrics();
        step.trainBatch(x, y, 1);
        const l0 = Math.log(Math.exp(step.readMetrics().loss) - 1);
        assert.ok(
          Math.abs(l0 * 1000 - Math.round(l0 * 1000)) < 0.05,
          `l0·1000 = ${l0 * 1000} should be a whole number of kept units`,
        );
        sum += l0;
      }
      assert.ok(Math.abs(sum / 20 - 1) < 0.05, `mean scaled keep fraction ${sum / 20} ≈ 1`);
    },
  );
}

test("engine: unsupported models, optimizers and losses are reported, not compiled", () => {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 3, inputShape: [4], kernelRegularizer: tf.regularizers.l2() }),
      tf.layers.dense({ units: 2, activation: "softmax" }),
    ],
  });
  assert.equal(typeof describeModel(model), "string");
  assert.equal(typeof describeOptimizer(tf.train.rmsprop(0.1)), "string");
  assert.equal(describeLoss("meanSquaredError"), undefined);
  model.dispose();
});

test("engine: a shuffled epoch (rows gathered natively) equals the epoch on pre-shuffled data", { skip }, () => {
  const spec = {
    inputShape: [6],
    layers: [{ kind: "dense" as const, units: 3, activation: "softmax" as const, useBias: true }],
  };
  const opt = {
    kind: "adam" as const,
    learningRate: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-7,
    amsgrad: false,
    decay: 0,
  };
  for (const loss of ["categorical_crossentropy", "sparse_categorical_crossentropy"] as const) {
    const sparse = loss.startsWith("sparse");
    const { x, y } = data(20, [6], 3, sparse, 5);
    const order = Int32Array.from([7, 3, 19, 0, 12, 5, 1, 18, 2, 9, 4, 16, 6, 11, 8, 17, 10, 15, 13, 14]);
    const w = [Float32Array.from({ length: 18 }, (_, i) => Math.sin(i)), new Float32Array(3)];
    const a = createTrainStep(spec, opt, loss)!;
    const b = createTrainStep(spec, opt, loss)!;
    a.setWeights(w);
    b.setWeights(w);
    const width = sparse ? 1 : 3;
    const xs = new Float32Array(x.length);
    const ys = sparse ? new Int32Array(y.length) : new Float32Array(y.length);
    order.forEach((r, i) => {
      xs.set(x.subarray(r * 6, r * 6 + 6), i * 6);
      ys.set(y.subarray(r * width, r * width + width), i * width);
    });
    const ma = a.trainEpoch(x, y, 20, 8, order);
    const mb = b.trainEpoch(xs, ys, 20, 8);
    assert.ok(Math.abs(ma.loss - mb.loss) < 1e-7 && ma.samples === 20);
    a.getWeights().forEach((v, i) => assert.ok(maxRelDiff(v, b.getWeights()[i]) < 1e-7));
    assert.throws(() => a.trainRows(x, y, 16, 8, order), /out of range/);
  }
});
