/**
 * The layers of issue #13 beyond their goldens: Keras' messages for bad input and unknown options,
 * snake_case options, returnState / mergeMode forms, save → load round trips, Lambda's user-code mark,
 * and tensor hygiene in fit/predict.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Sequential, layers, models, tf } from "../../src/index";

test("an RNN given 2-D input says what Keras says", () => {
  assert.throws(
    () => new Sequential([layers.Input([20]), layers.LSTM(4, { name: "lstm" })]),
    /Input 0 of layer "lstm" is incompatible with the layer: expected ndim=3, found ndim=2\. Full shape received: \(None, 20\)\. A recurrent layer takes \(batch, timesteps, features\): for integer token ids put an Embedding layer first/,
  );
  assert.throws(
    () => new Sequential([layers.Input([8]), layers.GlobalAveragePooling1D({ name: "gap" })]),
    /Input 0 of layer "gap" is incompatible with the layer: expected ndim=3, found ndim=2/,
  );
});

test("unknown options name the closest valid one; snake_case spellings are accepted", () => {
  assert.throws(
    () => layers.LSTM(4, { returnSequence: true } as never),
    /LSTM has no option 'returnSequence' \(did you mean 'returnSequences'\?\)/,
  );
  assert.throws(
    () => layers.Embedding(10, 4, { mask_zeros: true } as never),
    /Embedding has no option 'mask_zeros' \(did you mean 'maskZero'\?\)/,
  );
  assert.throws(
    () => layers.Conv1D(4, 3, { paddin: "same" } as never),
    /Conv1D has no option 'paddin' \(did you mean 'padding'\?\)/,
  );
  const lstm = layers.LSTM(4, { return_sequences: true, recurrent_activation: "hard_sigmoid" } as never);
  assert.equal(lstm.returnSequences, true);
  assert.equal((lstm.getConfig() as { recurrentActivation: string }).recurrentActivation, "hard_sigmoid");
  assert.throws(() => layers.GRU(4, { stateful: true }), /stateful=true is not supported/);
  assert.throws(() => layers.Conv1D(4, 3, { groups: 2 }), /groups=2 is not supported/);
  assert.throws(() => layers.Permute([1, 3]), /must be consecutive and start from 1/);
  assert.throws(
    () => layers.RandomRotation(0.1, { fillMode: "mirror" }),
    /fillMode must be one of 'reflect', 'wrap', 'constant', 'nearest'/,
  );
  assert.throws(() => layers.Normalization({ mean: [1] }), /both `mean` and `variance` must be set/);
});

test("Keras 3 defaults: LSTM sigmoid gates and unit forget bias, GRU reset_after, Embedding uniform", () => {
  const lstm = layers.LSTM(2);
  const c = lstm.getConfig() as Record<string, unknown>;
  assert.equal(c.recurrentActivation, "sigmoid");
  assert.equal(c.activation, "tanh");
  assert.equal(c.unitForgetBias, true);
  new Sequential([layers.Input([3, 4]), lstm]);
  assert.deepEqual(Array.from(lstm.bias!.read().dataSync()), [0, 0, 1, 1, 0, 0, 0, 0]);
  const gru = layers.GRU(2);
  new Sequential([layers.Input([3, 4]), gru]);
  assert.equal(gru.resetAfter, true);
  assert.deepEqual(gru.bias!.shape, [2, 6]);
  assert.equal(gru.countParams(), 3 * (4 * 2 + 2 * 2 + 2 * 2));
});

test("returnState gives [output, h, c]; Bidirectional mergeMode null gives both directions", () => {
  const x = tf.randomNormal([2, 5, 3]);
  const lstm = layers.LSTM(4, { returnState: true });
  const out = lstm.apply(x) as tf.Tensor[];
  assert.equal(out.length, 3);
  assert.deepEqual(
    out.map((t) => t.shape),
    [
      [2, 4],
      [2, 4],
      [2, 4],
    ],
  );
  assert.deepEqual(Array.from(out[0].dataSync()), Array.from(out[1].dataSync()), "output is h");
  const bi = layers.Bidirectional(layers.GRU(3, { returnSequences: true }), { mergeMode: null });
  const both = bi.apply(x) as tf.Tensor[];
  assert.deepEqual(
    both.map((t) => t.shape),
    [
      [2, 5, 3],
      [2, 5, 3],
    ],
  );
  assert.equal(bi.forwardLayer.name.startsWith("forward_"), true);
  assert.equal(bi.backwardLayer.goBackwards, true);
  tf.dispose([x, ...out, ...both]);
});

test("masked steps: an Embedding(maskZero) + LSTM gives the same result with or without trailing padding", async () => {
  const model = new Sequential([layers.Input([6]), layers.Embedding(10, 4, { maskZero: true }), layers.LSTM(3)]);
  const short = new Sequential([layers.Input([3]), layers.Embedding(10, 4, { maskZero: true }), layers.LSTM(3)]);
  short.setWeights(model.getWeights());
  const a = await model.predict(tf.tensor2d([[4, 2, 7, 0, 0, 0]]));
  const b = await short.predict(tf.tensor2d([[4, 2, 7]]));
  const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
  assert.ok(diff < 1e-6, `padding changes the output by ${diff}`);
  tf.dispose([a, b]);
  model.dispose();
  short.dispose();
});

test("save → loadModel round trip keeps every new layer's config and weights", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tslab-layers-"));
  try {
    const norm = layers.Normalization();
    norm.adapt(
      tf.tensor2d([
        [1, 2],
        [3, 6],
        [5, 10],
      ]),
    );
    const text = new Sequential([
      layers.Input([6]),
      layers.Embedding(12, 4, { maskZero: true }),
      layers.Bidirectional(layers.LSTM(3, { returnSequences: true }), { mergeMode: "ave" }),
      layers.TimeDistributed(layers.Dense(2)),
      layers.Conv1D(2, 3, { padding: "causal", dilationRate: 2 }),
      layers.SpatialDropout1D(0.3),
      layers.GRU(2, { resetAfter: false, goBackwards: true }),
      layers.Dense(1),
    ]);
    const image = new Sequential([
      layers.Input([6, 6, 2]),
      layers.Rescaling(0.5, { offset: 1 }),
      layers.RandomFlip("horizontal"),
      layers.RandomRotation(0.1),
      layers.SeparableConv2D(3, 3, { padding: "same" }),
      layers.Conv2DTranspose(2, 2, { strides: 2 }),
      layers.AveragePooling2D(2),
      layers.ZeroPadding2D(1),
      layers.Cropping2D([
        [1, 0],
        [0, 1],
      ]),
      layers.UpSampling2D(2),
      layers.LayerNormalization(),
      layers.GaussianNoise(0.1),
      layers.GlobalMaxPooling2D({ keepdims: true }),
      layers.Flatten(),
      layers.RepeatVector(2),
      layers.Permute([2, 1]),
      layers.GlobalAveragePooling1D(),
      layers.Dense(1),
    ]);
    const tab = new Sequential([layers.Input([2]), norm, layers.Dense(1)]);
    const inputs = [tf.tensor2d([[3, 1, 5, 0, 0, 0]]), tf.randomNormal([1, 6, 6, 2]), tf.tensor2d([[2, 4]])];
    for (const [i, m] of [text, image, tab].entries()) {
      const file = join(dir, `m${i}.keras`);
      await m.save(file);
      const loaded = await models.loadModel(file);
      assert.deepEqual(
        loaded.layers.map((l) => l.getClassName()),
        m.layers.map((l) => l.getClassName()),
      );
      assert.equal(loaded.countParams(), m.countParams());
      const a = await m.predict(inputs[i]);
      const b = await loaded.predict(inputs[i]);
      const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      assert.ok(diff < 1e-6, `model ${i}: loaded model differs by ${diff}`);
      tf.dispose([a, b]);
      loaded.dispose();
      m.dispose();
    }
    tf.dispose(inputs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Lambda runs a JS function, is marked as user code, and says so when loaded without it", async () => {
  const lambda = layers.Lambda((x) => tf.mul(x, 2));
  assert.equal(lambda.isUserCode, true);
  const model = new Sequential([layers.Input([3]), lambda, layers.Dense(1)]);
  assert.equal(layers.containsUserCode(model.layers), true);
  assert.equal(layers.containsUserCode([layers.Dense(2)]), false);
  assert.equal(layers.containsUserCode([layers.TimeDistributed(layers.Lambda((x) => x))]), true);
  assert.deepEqual(lambda.outputShape, [null, 3]);
  const y = lambda.apply(tf.tensor2d([[1, 2, 3]])) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [2, 4, 6]);
  const dir = mkdtempSync(join(tmpdir(), "tslab-lambda-"));
  try {
    await model.save(join(dir, "m.keras"));
    const loaded = await models.loadModel(join(dir, "m.keras"));
    await assert.rejects(loaded.predict(tf.tensor2d([[1, 2, 3]])), /loaded from a file without its function/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  y.dispose();
});

test("fit and predict of an RNN text model leak no tensors", async () => {
  const model = new Sequential([
    layers.Input([5]),
    layers.Embedding(10, 4, { maskZero: true }),
    layers.Bidirectional(layers.GRU(3, { dropout: 0.2, recurrentDropout: 0.2 })),
    layers.Dense(1, { activation: "sigmoid" }),
  ]);
  model.compile({ optimizer: "adam", loss: "binary_crossentropy" });
  const x = tf.tensor2d([
    [1, 2, 3, 0, 0],
    [4, 5, 6, 7, 8],
  ]);
  const y = tf.tensor2d([[1], [0]]);
  await model.fit(x, y, { epochs: 1, verbose: 0 });
  const before = tf.memory().numTensors;
  await model.fit(x, y, { epochs: 2, verbose: 0 });
  const p = await model.predict(x);
  p.dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y]);
  model.dispose();
});

test("an Embedding id outside [0, inputDim) names the fix; the model keeps working", async () => {
  const model = new Sequential([layers.Input([4]), layers.Embedding(10, 3, { name: "emb" }), layers.Flatten()]);
  const before = tf.memory().numTensors;
  const bad = tf.tensor2d([[1, 2, 12, 3]]);
  await assert.rejects(
    model.predict(bad),
    /Embedding "emb": .*must be integer ids in \[0, 10\) \(inputDim=10\); set inputDim to the vocabulary size/,
  );
  bad.dispose();
  assert.equal(tf.memory().numTensors, before, "no tensors leaked by the failed call");
  const ok = await model.predict(tf.tensor2d([[1, 2, 9, 3]]));
  assert.deepEqual(ok.shape, [1, 12]);
  ok.dispose();
  model.dispose();
});

test("Normalization.adapt keeps its digits over millions of values (float64 sums)", () => {
  // 4M copies of float32(1000.1) plus ±0.5: float32 running sums would drift by whole units.
  const n = 4_000_000;
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = 1000.1 + (i % 2 === 0 ? 0.5 : -0.5);
  const layer = layers.Normalization();
  const data = tf.tensor2d(values, [n, 1]);
  layer.adapt(data);
  data.dispose();
  const exactMean = (Math.fround(1000.6) + Math.fround(999.6)) / 2;
  const mean = layer.adaptMean!.read().dataSync()[0];
  const variance = layer.adaptVariance!.read().dataSync()[0];
  assert.equal(mean, Math.fround(exactMean));
  const half = (Math.fround(1000.6) - Math.fround(999.6)) / 2;
  assert.equal(variance, Math.fround(half * half));
  for (const w of layer.weights) w.dispose();
});
