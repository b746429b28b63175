/**
 * The benchmark's model zoo beyond the lessons: configurations a Keras course uses (regression, binary
 * classification, regularizers with clipping, every optimizer, CNNs …), each written twice — with this
 * library and as the same Keras 3 code (bench/zoo/keras_zoo.py reads `keras` verbatim) — and trained
 * on identical synthetic data of the given shapes. A model needs only an entry here.
 */
import { tf } from "../../src/tf";
import * as lib from "../../src/index";

export interface ZooModel {
  id: string;
  what: string;
  /** Input shape without the batch axis, and the label kind. */
  input: number[];
  /** Integer token ids in [0, inputInt) instead of uniform floats (text models). */
  inputInt?: number;
  /** Multi-hot rows instead of uniform floats: each value 1 with this probability, else 0 (IMDB's vectorized reviews). */
  inputMultiHot?: number;
  labels: { kind: "regression" | "binary" | "sparse"; width: number };
  samples: number;
  batchSize: number;
  build(): lib.Sequential | lib.Model;
  /** Python: `model = …` then `model.compile(…)`, with `keras`, `layers` imported. */
  keras: string;
  /** fit options beyond batch size and epochs (TypeScript) and their Python keyword form. */
  fitExtra?: { ts: Record<string, unknown>; py: string };
}

const { Sequential, Model, Input, layers, optimizers, regularizers } = lib;

export const ZOO: ZooModel[] = [
  {
    id: "reg-rmsprop",
    what: "13-feature regression MLP 64-64-1, rmsprop, mse + mae, batch 16",
    input: [13],
    labels: { kind: "regression", width: 1 },
    samples: 4096,
    batchSize: 16,
    build() {
      const m = new Sequential([
        layers.Dense(64, { activation: "relu", inputShape: [13] }),
        layers.Dense(64, { activation: "relu" }),
        layers.Dense(1),
      ]);
      m.compile({ optimizer: "rmsprop", loss: "mse", metrics: ["mae"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((13,)), layers.Dense(64, activation="relu"), layers.Dense(64, activation="relu"), layers.Dense(1)])
model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])`,
  },
  {
    id: "reg-mae-adam",
    what: "regression MLP 128-1 with MAE loss, Adam, batch 32",
    input: [32],
    labels: { kind: "regression", width: 1 },
    samples: 8192,
    batchSize: 32,
    build() {
      const m = new Sequential([layers.Dense(128, { activation: "relu", inputShape: [32] }), layers.Dense(1)]);
      m.compile({ optimizer: "adam", loss: "mae", metrics: ["mse"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((32,)), layers.Dense(128, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mae", metrics=["mse"])`,
  },
  {
    id: "binary-sigmoid",
    what: "IMDB-style multi-hot 10000 → 16-16-1 sigmoid, rmsprop, binary CE, batch 512",
    input: [10000],
    inputMultiHot: 0.02,
    labels: { kind: "binary", width: 1 },
    samples: 8192,
    batchSize: 512,
    build() {
      const m = new Sequential([
        layers.Dense(16, { activation: "relu", inputShape: [10000] }),
        layers.Dense(16, { activation: "relu" }),
        layers.Dense(1, { activation: "sigmoid" }),
      ]);
      m.compile({ optimizer: "rmsprop", loss: "binary_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((10000,)), layers.Dense(16, activation="relu"), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "l2-bn-clipnorm",
    what: "784-512 tanh + l2(1e-4), BN, dropout 0.2, softmax; RMSprop(clipnorm 1), sparse CE, batch 64",
    input: [784],
    labels: { kind: "sparse", width: 10 },
    samples: 9600,
    batchSize: 64,
    build() {
      const m = new Sequential([
        layers.Dense(512, { activation: "tanh", inputShape: [784], kernelRegularizer: regularizers.l2(1e-4) }),
        layers.BatchNormalization(),
        layers.Dropout(0.2),
        layers.Dense(10, { activation: "softmax" }),
      ]);
      m.compile({
        optimizer: new optimizers.RMSprop({ clipnorm: 1 }),
        loss: "sparse_categorical_crossentropy",
        metrics: ["accuracy"],
      });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((784,)), layers.Dense(512, activation="tanh", kernel_regularizer=keras.regularizers.l2(1e-4)), layers.BatchNormalization(), layers.Dropout(0.2), layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.RMSprop(clipnorm=1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
  },
  ...(["Adagrad", "Adadelta", "Adamax"] as const).map((name): ZooModel => ({
    id: `mlp-${name.toLowerCase()}`,
    what: `784-256-10 relu MLP, ${name}, sparse CE, batch 128`,
    input: [784],
    labels: { kind: "sparse", width: 10 },
    samples: 12800,
    batchSize: 128,
    build() {
      const m = new Sequential([
        layers.Dense(256, { activation: "relu", inputShape: [784] }),
        layers.Dense(10, { activation: "softmax" }),
      ]);
      m.compile({ optimizer: name.toLowerCase(), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((784,)), layers.Dense(256, activation="relu"), layers.Dense(10, activation="softmax")])
model.compile(optimizer="${name.toLowerCase()}", loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
  })),
  {
    id: "cnn-sgd-momentum",
    what: "28×28 CNN conv32-pool-conv64-pool-dense10, SGD(momentum 0.9), sparse CE, batch 64",
    input: [28, 28, 1],
    labels: { kind: "sparse", width: 10 },
    samples: 3200,
    batchSize: 64,
    build() {
      const m = new Sequential([
        layers.Conv2D(32, 3, { activation: "relu", inputShape: [28, 28, 1] }),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, { activation: "relu" }),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(10, { activation: "softmax" }),
      ]);
      m.compile({
        optimizer: new optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }),
        loss: "sparse_categorical_crossentropy",
        metrics: ["accuracy"],
      });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(2), layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "text-embedding-pool",
    what: "IMDB-style ids (length 200, vocab 10000) → Embedding 16 → GlobalAveragePooling1D → 16 → sigmoid, adam, batch 64",
    input: [200],
    inputInt: 10000,
    labels: { kind: "binary", width: 1 },
    samples: 8192,
    batchSize: 64,
    build() {
      const m = new Sequential([
        layers.Input([200]),
        layers.Embedding(10000, 16),
        layers.GlobalAveragePooling1D(),
        layers.Dense(16, { activation: "relu" }),
        layers.Dense(1, { activation: "sigmoid" }),
      ]);
      m.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((200,)), layers.Embedding(10000, 16), layers.GlobalAveragePooling1D(), layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "text-lstm",
    what: "ids (length 80, vocab 5000) → Embedding 32 → LSTM 32 → sigmoid, rmsprop, batch 64",
    input: [80],
    inputInt: 5000,
    labels: { kind: "binary", width: 1 },
    samples: 2048,
    batchSize: 64,
    build() {
      const m = new Sequential([
        layers.Input([80]),
        layers.Embedding(5000, 32),
        layers.LSTM(32),
        layers.Dense(1, { activation: "sigmoid" }),
      ]);
      m.compile({ optimizer: "rmsprop", loss: "binary_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((80,)), layers.Embedding(5000, 32), layers.LSTM(32), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "conv1d",
    what: "sequence (128 steps × 8) → Conv1D 32/5 → MaxPooling1D → Conv1D 32/5 → GlobalMaxPooling1D → 4 softmax, adam, batch 32",
    input: [128, 8],
    labels: { kind: "sparse", width: 4 },
    samples: 4096,
    batchSize: 32,
    build() {
      const m = new Sequential([
        layers.Input([128, 8]),
        layers.Conv1D(32, 5, { activation: "relu" }),
        layers.MaxPooling1D(2),
        layers.Conv1D(32, 5, { activation: "relu" }),
        layers.GlobalMaxPooling1D(),
        layers.Dense(4, { activation: "softmax" }),
      ]);
      m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((128, 8)), layers.Conv1D(32, 5, activation="relu"), layers.MaxPooling1D(2), layers.Conv1D(32, 5, activation="relu"), layers.GlobalMaxPooling1D(), layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "cnn-avg-global",
    what: "32×32×3 CNN conv32-avgpool-conv64-GlobalAveragePooling2D-10, SGD(momentum 0.9), sparse CE, batch 64",
    input: [32, 32, 3],
    labels: { kind: "sparse", width: 10 },
    samples: 2048,
    batchSize: 64,
    build() {
      const m = new Sequential([
        layers.Input([32, 32, 3]),
        layers.Conv2D(32, 3, { activation: "relu", padding: "same" }),
        layers.AveragePooling2D(2),
        layers.Conv2D(64, 3, { activation: "relu", padding: "same" }),
        layers.GlobalAveragePooling2D(),
        layers.Dense(10, { activation: "softmax" }),
      ]);
      m.compile({
        optimizer: new optimizers.SGD({ learningRate: 0.01, momentum: 0.9 }),
        loss: "sparse_categorical_crossentropy",
        metrics: ["accuracy"],
      });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(32, 3, activation="relu", padding="same"), layers.AveragePooling2D(2), layers.Conv2D(64, 3, activation="relu", padding="same"), layers.GlobalAveragePooling2D(), layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "functional-residual",
    what: "functional MLP 784 → 256 → two residual blocks (Dense 256 relu, Dense 256, Add, relu) → 10 softmax, adam, batch 64",
    input: [784],
    labels: { kind: "sparse", width: 10 },
    samples: 8192,
    batchSize: 64,
    build() {
      const inputs = Input({ shape: [784] });
      let x = layers.Dense(256, { activation: "relu" })(inputs);
      for (let block = 0; block < 2; block++) {
        const y = layers.Dense(256)(layers.Dense(256, { activation: "relu" })(x));
        x = layers.Activation("relu")(layers.Add()([x, y]));
      }
      const m = new Model({ inputs, outputs: layers.Dense(10, { activation: "softmax" })(x) });
      m.compile({ optimizer: "adam", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `inputs = keras.Input((784,))
x = layers.Dense(256, activation="relu")(inputs)
for _ in range(2):
    y = layers.Dense(256)(layers.Dense(256, activation="relu")(x))
    x = layers.Activation("relu")(layers.Add()([x, y]))
model = keras.Model(inputs, layers.Dense(10, activation="softmax")(x))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])`,
  },
  {
    id: "class-weight",
    what: "binary MLP 30-32-1 with classWeight {0: 1, 1: 5}, adam, batch 32",
    input: [30],
    labels: { kind: "binary", width: 1 },
    samples: 8192,
    batchSize: 32,
    build() {
      const m = new Sequential([
        layers.Dense(32, { activation: "relu", inputShape: [30] }),
        layers.Dense(1, { activation: "sigmoid" }),
      ]);
      m.compile({ optimizer: "adam", loss: "binary_crossentropy", metrics: ["accuracy"] });
      return m;
    },
    keras: `model = keras.Sequential([keras.Input((30,)), layers.Dense(32, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])`,
    fitExtra: { ts: { classWeight: { 0: 1, 1: 5 } }, py: "class_weight={0: 1, 1: 5}" },
  },
];

/** Synthetic data of a zoo model's shapes (uniform, integer or multi-hot inputs; labels of its kind). */
export function zooData(m: ZooModel, seed = 1): { x: tf.Tensor; y: tf.Tensor } {
  const uniform = tf.randomUniform([m.samples, ...m.input], 0, m.inputInt ?? 1, "float32", seed);
  // One intermediate at a time, so the data's own peak memory is not the benchmark's.
  const stage = (t: tf.Tensor, next: (t: tf.Tensor) => tf.Tensor) => {
    const out = next(t);
    t.dispose();
    return out;
  };
  const x = m.inputInt
    ? stage(
        stage(uniform, (u) => tf.floor(u)),
        (f) => tf.cast(f, "int32"),
      )
    : m.inputMultiHot
      ? stage(
          stage(uniform, (u) => tf.less(u, m.inputMultiHot!)),
          (b) => tf.cast(b, "float32"),
        )
      : uniform;
  const y = tf.tidy(() => {
    if (m.labels.kind === "regression") return tf.randomNormal([m.samples, m.labels.width], 0, 1, "float32", seed + 1);
    if (m.labels.kind === "binary")
      return tf.cast(tf.greater(tf.randomUniform([m.samples, 1], 0, 1, "float32", seed + 1), 0.5), "float32");
    return tf.cast(tf.floor(tf.randomUniform([m.samples], 0, m.labels.width, "float32", seed + 1)), "int32");
  });
  return { x, y };
}
