/**
 * The traced compiled path (src/engine/trace, src/models/traced-trainer.ts): every built-in
 * configuration trains compiled, and its weights and history equal eager training's
 * (TSLAB_KERAS_ENGINE=eager) — same seed, same data, same shuffles and dropout masks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import * as optimizers from "../../src/optimizers/index";
import * as regularizers from "../../src/regularizers/index";
import { Sequential } from "../../src/models/index";
import { setRandomSeed } from "../../src/random";
import type { History } from "../../src/callbacks/history";
import { batchRowLimits } from "../../src/engine/batch-rows";

type Build = () => { model: Sequential; x: tf.Tensor; y: tf.Tensor };

function data(n: number, features: number | number[], seed: number): tf.Tensor {
  const shape = Array.isArray(features) ? features : [features];
  return tf.tidy(() => tf.randomNormal([n, ...shape], 0, 1, "float32", seed));
}

async function trainBoth(build: Build, opts: { epochs?: number; batchSize?: number; validationSplit?: number } = {}) {
  const run = async (mode: string) => {
    process.env.TSLAB_KERAS_ENGINE = mode;
    setRandomSeed(7);
    const { model, x, y } = build();
    const before = tf.memory().numTensors;
    const history: History = await model.fit(x, y, {
      epochs: opts.epochs ?? 2,
      batchSize: opts.batchSize ?? 16,
      validationSplit: opts.validationSplit ?? 0.25,
      verbose: 0,
    });
    const after = tf.memory().numTensors;
    const weights = model
      .layersModel()
      .getWeights()
      .map((w) => Array.from(w.dataSync()));
    tf.dispose([x, y]);
    return { history, weights, grew: after - before };
  };
  try {
    const eager = await run("eager");
    const compiled = await run("");
    return { eager, compiled };
  } finally {
    delete process.env.TSLAB_KERAS_ENGINE;
  }
}

function assertSame(a: number[][], b: number[][], tol: number, what: string): void {
  assert.equal(a.length, b.length);
  let worst = 0;
  a.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  assert.ok(worst <= tol, `${what}: weights differ by ${worst}`);
}

function assertHistories(a: History, b: History, tol: number): void {
  assert.deepEqual(Object.keys(b.history).sort(), Object.keys(a.history).sort());
  for (const k of Object.keys(a.history)) {
    a.history[k].forEach((v, i) =>
      assert.ok(Math.abs(v - b.history[k][i]) <= tol, `${k}[${i}]: ${v} vs ${b.history[k][i]}`),
    );
  }
}

const OPTIMIZERS: [string, () => tf.Optimizer][] = [
  ["sgd", () => new optimizers.SGD({ learningRate: 0.05 })],
  ["sgd momentum nesterov", () => new optimizers.SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true })],
  ["rmsprop", () => new optimizers.RMSprop()],
  ["rmsprop centered momentum", () => new optimizers.RMSprop({ centered: true, momentum: 0.5 })],
  ["adagrad", () => new optimizers.Adagrad({ learningRate: 0.05 })],
  ["adadelta", () => new optimizers.Adadelta({ learningRate: 1 })],
  ["adam amsgrad decay", () => new optimizers.Adam({ amsgrad: true, decay: 0.01 })],
  ["adamax", () => new optimizers.Adamax()],
  ["rmsprop clipnorm", () => new optimizers.RMSprop({ clipnorm: 0.1 })],
  ["adam clipvalue", () => new optimizers.Adam({ clipvalue: 0.01 })],
  ["sgd globalClipnorm", () => new optimizers.SGD({ learningRate: 0.1, globalClipnorm: 0.5 })],
  ["adamw", () => new optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.05 })],
  ["nadam", () => new optimizers.Nadam()],
  ["lion", () => new optimizers.Lion({ learningRate: 0.001 })],
  [
    "sgd with an ExponentialDecay schedule and weightDecay",
    () =>
      new optimizers.SGD({
        learningRate: optimizers.schedules.ExponentialDecay({
          initialLearningRate: 0.1,
          decaySteps: 2,
          decayRate: 0.5,
        }),
        weightDecay: 0.01,
      }),
  ],
  [
    "adam with a CosineDecay schedule",
    () =>
      new optimizers.Adam({
        learningRate: optimizers.schedules.CosineDecay({ initialLearningRate: 0.01, decaySteps: 6 }),
      }),
  ],
];

for (const [name, make] of OPTIMIZERS) {
  test(`traced fit: ${name} with l1/l2 regularizers, BN and dropout trains compiled, equal to eager`, async () => {
    const { eager, compiled } = await trainBoth(() => {
      const model = new Sequential([
        layers.Dense(12, {
          activation: "tanh",
          inputShape: [6],
          kernelRegularizer: regularizers.l1_l2({ l1: 1e-3, l2: 1e-3 }),
          biasRegularizer: regularizers.l2(1e-3),
          activityRegularizer: regularizers.l1(1e-4),
        }),
        layers.BatchNormalization(),
        layers.Dropout(0.25),
        layers.Dense(3, { activation: "softmax" }),
      ]);
      model.compile({ optimizer: make(), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
      const x = data(70, 6, 1);
      const y = tf.tidy(() => tf.cast(tf.randomUniform([70], 0, 3, "float32", 2), "int32"));
      return { model, x, y };
    });
    assert.equal(eager.history.params.trainer, "eager");
    assert.equal(compiled.history.params.trainer, "compiled");
    assertSame(eager.weights, compiled.weights, 1e-4, name);
    assertHistories(eager.history, compiled.history, 1e-4);
    // The same tensors survive both fits (weights, optimizer slots); the eager run may also create the
    // process-wide random step counter the first time.
    assert.ok(compiled.grew <= eager.grew, `compiled fit kept ${compiled.grew} tensors, eager ${eager.grew}`);
  });
}

const LOSSES: [string, string, (n: number) => tf.Tensor, string][] = [
  ["mse", "linear", (n) => data(n, 2, 3), "mae"],
  ["mae", "linear", (n) => data(n, 2, 3), "mse"],
  [
    "binary_crossentropy",
    "sigmoid",
    (n) => tf.tidy(() => tf.cast(tf.greater(data(n, 2, 4), 0), "float32")),
    "accuracy",
  ],
  [
    "categorical_crossentropy",
    "softmax",
    (n) => tf.tidy(() => tf.oneHot(tf.cast(tf.randomUniform([n], 0, 2, "float32", 5), "int32"), 2).toFloat()),
    "accuracy",
  ],
];

for (const [loss, activation, labels, metric] of LOSSES) {
  test(`traced fit: loss ${loss} with a ${activation} output and metric ${metric}, equal to eager`, async () => {
    const { eager, compiled } = await trainBoth(() => {
      const model = new Sequential([
        layers.Dense(8, { activation: "relu", inputShape: [5] }),
        layers.Dense(2, { activation }),
      ]);
      model.compile({ optimizer: "rmsprop", loss, metrics: [metric] });
      return { model, x: data(50, 5, 6), y: labels(50) };
    });
    assert.equal(compiled.history.params.trainer, "compiled");
    assertSame(eager.weights, compiled.weights, 1e-4, loss);
    assertHistories(eager.history, compiled.history, 1e-4);
  });
}

test("traced fit: a CNN (Conv2D, MaxPooling2D, Flatten) with SGD momentum and a last batch of another size", async () => {
  const { eager, compiled } = await trainBoth(
    () => {
      const model = new Sequential([
        layers.Conv2D(4, 3, { activation: "relu", inputShape: [8, 8, 2], padding: "same" }),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(3, { activation: "sigmoid" }),
      ]);
      model.compile({
        optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }),
        loss: "mse",
        metrics: ["mae"],
      });
      return { model, x: data(45, [8, 8, 2], 8), y: tf.tidy(() => tf.sigmoid(data(45, 3, 9))) };
    },
    { batchSize: 10 },
  );
  assert.equal(compiled.history.params.trainer, "compiled");
  assertSame(eager.weights, compiled.weights, 1e-4, "cnn");
  assertHistories(eager.history, compiled.history, 1e-4);
});

test("traced fit: a custom loss function trains eagerly and says so once", async () => {
  const writes: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (writes.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const model = new Sequential([layers.Dense(2, { inputShape: [3] })]);
    model.compile({
      optimizer: "sgd",
      loss: function myLoss(a: tf.Tensor, b: tf.Tensor) {
        return tf.mean(tf.abs(tf.sub(a, b)), -1);
      },
    });
    const x = data(20, 3, 1);
    const y = data(20, 2, 2);
    const h = await model.fit(x, y, { epochs: 2, verbose: 0 });
    tf.dispose([x, y]);
    assert.equal(h.params.trainer, "eager");
  } finally {
    process.stderr.write = original;
  }
  const lines = writes
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("training eagerly"));
  assert.deepEqual(lines, ["training eagerly: custom loss function (about 3x slower than the compiled path)"]);
});

test("traced fit: later fits keep the optimizer's state, as Keras' optimizer variables persist", async () => {
  const run = async (mode: string) => {
    process.env.TSLAB_KERAS_ENGINE = mode;
    setRandomSeed(3);
    const model = new Sequential([layers.Dense(4, { activation: "relu", inputShape: [3] }), layers.Dense(1)]);
    model.compile({ optimizer: new optimizers.Adam({ learningRate: 0.01 }), loss: "mse" });
    const x = data(30, 3, 1);
    const y = data(30, 1, 2);
    await model.fit(x, y, { epochs: 1, verbose: 0, batchSize: 8 });
    const h = await model.fit(x, y, { epochs: 2, verbose: 0, batchSize: 8 });
    tf.dispose([x, y]);
    return {
      w: model
        .layersModel()
        .getWeights()
        .map((t) => Array.from(t.dataSync())),
      h,
    };
  };
  try {
    const eager = await run("eager");
    const compiled = await run("");
    assert.equal(compiled.h.params.trainer, "compiled");
    assertSame(eager.w, compiled.w, 1e-4, "two fits");
  } finally {
    delete process.env.TSLAB_KERAS_ENGINE;
  }
});

/** A small fit with the host-copy limit set to `limit` bytes, on x from `makeX` (40 × 4). */
async function fitWithCopyLimit(limit: number, engine: string, makeX: () => tf.Tensor, shuffle = true) {
  const saved = batchRowLimits.hostCopyBytes;
  batchRowLimits.hostCopyBytes = limit;
  process.env.TSLAB_KERAS_ENGINE = engine;
  try {
    setRandomSeed(11);
    const model = new Sequential([
      layers.Dense(6, { activation: "relu", inputShape: [4] }),
      layers.Dense(3, { activation: "softmax" }),
    ]);
    model.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
    const x = makeX();
    const y = tf.tidy(() => tf.cast(tf.randomUniform([40], 0, 3, "float32", 2), "int32"));
    const h = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle });
    tf.dispose([x, y]);
    return {
      h,
      w: model
        .layersModel()
        .getWeights()
        .map((t) => Array.from(t.dataSync())),
    };
  } finally {
    batchRowLimits.hostCopyBytes = saved;
    delete process.env.TSLAB_KERAS_ENGINE;
  }
}

test("a training set too large to copy to the host trains the same, batches gathered by a tfjs op", async () => {
  for (const engine of ["", "traced"]) {
    const copied = await fitWithCopyLimit(batchRowLimits.hostCopyBytes, engine, () => data(40, 4, 1));
    const gathered = await fitWithCopyLimit(0, engine, () => data(40, 4, 1));
    assert.equal(gathered.h.params.trainer, "compiled");
    assertSame(copied.w, gathered.w, 1e-6, `engine '${engine || "tuned"}'`);
  }
});

test("multi-hot data too large to copy as floats trains from a byte copy, with the same weights", async () => {
  const multiHot = () => tf.tidy(() => tf.cast(tf.less(tf.randomUniform([40, 4], 0, 1, "float32", 3), 0.4), "float32"));
  // 160 values: 640 bytes as floats, 160 as bytes — a 200-byte limit leaves only the byte copy.
  for (const engine of ["", "traced"]) {
    for (const shuffle of [true, false]) {
      const what = `engine '${engine || "tuned"}', shuffle ${shuffle}`;
      const floats = await fitWithCopyLimit(batchRowLimits.hostCopyBytes, engine, multiHot, shuffle);
      const bytes = await fitWithCopyLimit(200, engine, multiHot, shuffle);
      const gathered = await fitWithCopyLimit(100, engine, multiHot, shuffle);
      assert.equal(bytes.h.params.trainer, "compiled");
      assertSame(floats.w, bytes.w, 0, `${what}, byte copy`);
      assertSame(floats.w, gathered.w, 1e-6, `${what}, tfjs gather`);
    }
  }
});
