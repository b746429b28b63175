/**
 * The eight models of scripts/golden/saving_zoo.py built with tslab-keras (same layers and options but one), with
 * training data, for saving-python-layers.test.ts: each is trained briefly, saved, and predicted by Keras.
 */
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { optimizers } from "../../src/index";
import { Model, Sequential } from "../../src/models/index";

export type Inputs = tf.Tensor | Record<string, tf.Tensor>;
export interface ZooModel {
  name: string;
  model: Sequential | Model;
  x: Inputs;
  y: tf.Tensor | tf.Tensor[];
}

function residual(): Model {
  const a = layers.Input({ shape: [6], name: "a" });
  const b = layers.Input({ shape: [4], name: "b" });
  const ha = layers.Dense(8, { activation: "relu", name: "ha" })(a);
  const hb = layers.Dense(8, { activation: "relu", name: "hb" })(b);
  const shared = layers.Dense(8, { activation: "tanh", name: "shared" });
  const [sa, sb] = [shared(ha), shared(hb)];
  const s = layers.Add({ name: "add" })([sa, sb]);
  const res = layers.Add({ name: "residual" })([s, layers.Dense(8, { activation: "relu", name: "r" })(s)]);
  const pair = [sa, sb];
  const merged = layers.Concatenate({ name: "merged" })([
    res,
    layers.Multiply()(pair),
    layers.Average()(pair),
    layers.Subtract()(pair),
    layers.Maximum()(pair),
    layers.Minimum()(pair),
    layers.Dot({ axes: 1 })(pair),
  ]);
  const cls = layers.Dense(3, { activation: "softmax", name: "cls" })(merged);
  const reg = layers.Dense(1, { name: "reg" })(layers.Concatenate({ name: "with_b" })([res, b]));
  const m = new Model({ inputs: { a, b }, outputs: [cls, reg], name: "residual" });
  m.compile({
    optimizer: "adam",
    loss: { cls: "sparse_categorical_crossentropy", reg: "mse" },
    lossWeights: { cls: 1, reg: 0.5 },
    metrics: { cls: ["accuracy"] },
  });
  return m;
}

function text(): Sequential {
  const m = new Sequential(
    [
      layers.Input([10]),
      layers.Embedding(30, 8, { maskZero: true }),
      layers.Bidirectional(layers.LSTM(6, { returnSequences: true })),
      layers.TimeDistributed(layers.Dense(5, { activation: "relu" })),
      layers.LSTM(4),
      layers.Dense(1, { activation: "sigmoid" }),
    ],
    { name: "text" },
  );
  m.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
  return m;
}

function gru(): Sequential {
  const m = new Sequential(
    [
      layers.Input([7, 3]),
      layers.GRU(6, { returnSequences: true }),
      layers.SimpleRNN(5, { returnSequences: true, goBackwards: true }),
      layers.GRU(4, { resetAfter: false }),
      layers.Dense(2),
    ],
    { name: "gru" },
  );
  m.compile({ optimizer: "rmsprop", loss: "mse" });
  return m;
}

function conv1d(): Sequential {
  const m = new Sequential(
    [
      layers.Input([20, 3]),
      layers.Conv1D(8, 3, { padding: "causal", activation: "relu" }),
      layers.MaxPooling1D(2),
      // Keras' model dilates this one by 2; tfjs has no gradient for a dilated conv, and this one is trained
      layers.Conv1D(8, 3, { padding: "same" }),
      layers.AveragePooling1D(2),
      layers.SpatialDropout1D(0.1),
      layers.GlobalMaxPooling1D(),
      layers.Dense(3, { activation: "softmax" }),
    ],
    { name: "conv1d" },
  );
  m.compile({
    optimizer: new optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }),
    loss: "sparse_categorical_crossentropy",
  });
  return m;
}

function cnn(): Sequential {
  const m = new Sequential(
    [
      layers.Input([12, 12, 3]),
      layers.RandomFlip("horizontal"),
      layers.RandomRotation(0.1),
      layers.RandomZoom(0.1),
      layers.RandomTranslation(0.1, 0.1),
      layers.SeparableConv2D(6, 3, { padding: "same", activation: "relu" }),
      layers.AveragePooling2D(2),
      layers.Conv2DTranspose(4, 3, { strides: 2, padding: "same" }),
      layers.ZeroPadding2D(1),
      layers.Cropping2D([
        [1, 0],
        [0, 1],
      ]),
      layers.UpSampling2D(2),
      layers.LayerNormalization(),
      layers.SpatialDropout2D(0.1),
      layers.GlobalAveragePooling2D(),
      layers.Dense(3, { activation: "softmax" }),
    ],
    { name: "cnn" },
  );
  m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
  return m;
}

function norm(x: tf.Tensor): Sequential {
  const n = layers.Normalization();
  n.adapt(x);
  const m = new Sequential(
    [
      layers.Input([4]),
      n,
      layers.Rescaling(0.5, { offset: 0.1 }),
      layers.Normalization({ mean: 0.2, variance: 2 }),
      layers.Dense(6, { activation: "relu" }),
      layers.GaussianNoise(0.1),
      layers.RepeatVector(3),
      layers.Permute([2, 1]),
      layers.Flatten(),
      layers.Dense(2),
    ],
    { name: "norm" },
  );
  m.compile({ optimizer: "adam", loss: "mse" });
  return m;
}

function nested(): Model {
  const block = new Sequential([layers.Dense(4, { activation: "relu" }), layers.Dropout(0.2)], { name: "block" });
  const hx = layers.Input({ shape: [4], name: "hx" });
  const head = new Model(hx, layers.Dense(2, { activation: "tanh", name: "hd" })(hx), { name: "head" });
  const x = layers.Input({ shape: [3], name: "nx" });
  const m = new Model(x, layers.Dense(1, { name: "nout" })(head(block(x))), { name: "nested" });
  m.compile({ optimizer: "sgd", loss: "mse" });
  return m;
}

function functext(): Model {
  const tokens = layers.Input({ shape: [8], name: "tokens" });
  let h = layers.Embedding(25, 6, { maskZero: true })(tokens);
  h = layers.Bidirectional(layers.LSTM(4, { returnSequences: true }))(h);
  h = layers.GRU(3)(layers.Dropout(0.1)(h));
  const m = new Model(tokens, layers.Dense(1, { activation: "sigmoid" })(h), { name: "functext" });
  m.compile({ optimizer: "adam", loss: "binary_crossentropy" });
  return m;
}

/** The eight models with seeded inputs and targets (12 samples each). */
export function zoo(): ZooModel[] {
  const n = 12;
  const normal = (shape: number[], seed: number) => tf.randomNormal([n, ...shape], 0, 1, "float32", seed);
  const classes = tf.tensor1d(
    Array.from({ length: n }, (_, i) => i % 3),
    "float32",
  );
  // token ids 1..29, each row padded with zeros after its own length (the mask skips them)
  const ids = tf.tensor2d(
    Array.from({ length: n }, (_, i) =>
      Array.from({ length: 10 }, (_, t) => (t < 3 + (i % 8) ? 1 + ((i * 7 + t * 5) % 29) : 0)),
    ),
  );
  const tabular = tf.add(tf.mul(normal([4], 6), 3), 5);
  return [
    {
      name: "residual",
      model: residual(),
      x: { a: normal([6], 1), b: normal([4], 2) },
      y: [classes.clone(), normal([1], 3)],
    },
    { name: "text", model: text(), x: ids, y: tf.tensor1d(Array.from({ length: n }, (_, i) => i % 2)) },
    { name: "gru", model: gru(), x: normal([7, 3], 4), y: normal([2], 5) },
    { name: "conv1d", model: conv1d(), x: normal([20, 3], 7), y: classes.clone() },
    { name: "cnn", model: cnn(), x: tf.randomUniform([n, 12, 12, 3], 0, 1, "float32", 8), y: classes },
    { name: "norm", model: norm(tabular), x: tabular, y: normal([2], 9) },
    { name: "nested", model: nested(), x: normal([3], 10), y: normal([1], 11) },
    {
      name: "functext",
      model: functext(),
      x: tf.tidy(() => tf.mod(tf.slice(ids, [0, 0], [n, 8]), 25)),
      y: tf.tensor1d(Array.from({ length: n }, (_, i) => (i + 1) % 2)),
    },
  ];
}

/** Inputs as saving_zoo.py reads them: an array, or `{ dict: { name: array } }`. */
export function inputsJson(x: Inputs): unknown {
  if (x instanceof tf.Tensor) return x.arraySync();
  return { dict: Object.fromEntries(Object.entries(x).map(([k, t]) => [k, t.arraySync()])) };
}

/** saving_zoo.py's JSON inputs as tensors. */
export function inputsFromJson(v: unknown): Inputs {
  const o = v as { dict?: Record<string, number[][]> };
  if (o && typeof o === "object" && !Array.isArray(o) && o.dict) {
    return Object.fromEntries(Object.entries(o.dict).map(([k, x]) => [k, tf.tensor(x)]));
  }
  return tf.tensor(v as number[][]);
}
