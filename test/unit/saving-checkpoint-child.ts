/**
 * Child process for saving-safety.test.ts: trains a small model with a ModelCheckpoint that saves after
 * every batch into argv[2], until it is killed (kill -9) by the test.
 */
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { callbacks } from "../../src/index";
import { Sequential } from "../../src/models/index";

const dir = process.argv[2];
const model = new Sequential([
  layers.Dense(256, { activation: "relu", inputShape: [64] }),
  layers.BatchNormalization(),
  layers.Dropout(0.2),
  layers.Dense(10, { activation: "softmax" }),
]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
const x = tf.randomUniform([64, 64]);
const y = tf.oneHot(
  tf.tensor1d(
    Array.from({ length: 64 }, (_, i) => i % 10),
    "int32",
  ),
  10,
);
const ck = new callbacks.ModelCheckpoint({ filepath: `${dir}/ckpt-{epoch:02d}-{batch:03d}.keras`, saveFreq: 1 });
const ckW = new callbacks.ModelCheckpoint({ filepath: `${dir}/last.weights.h5`, saveWeightsOnly: true, saveFreq: 1 });
// Tells the test after each batch's checkpoints are written.
const tell = new callbacks.LambdaCallback({ onTrainBatchEnd: () => void process.stdout.write("saved\n") });
void model.fit(x, y, { epochs: 1000, batchSize: 16, verbose: 0, callbacks: [ck, ckW, tell] });
