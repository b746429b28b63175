/**
 * Round trips with Python Keras 3, both directions, when the golden environment `.venv-keras` exists
 * (scripts/golden/setup-env.sh); otherwise skipped, saying why. (The Keras-written fixtures are tested
 * always, in saving-keras-files.test.ts.)
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { optimizers } from "../../src/index";
import { Sequential, loadModel } from "../../src/models/index";
import { kerasSkip, runKerasScript } from "./keras-python";

const skip = kerasSkip;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-py-"));

function python(...args: string[]): void {
  runKerasScript("saving_golden.py", args, 300_000);
}

/** Keras' predictions for `file` on `x`. */
function kerasPredicts(file: string, x: tf.Tensor): { predictions: number[][]; iterations: number | null } {
  const xs = path.join(tmp, `${path.basename(file)}.x.json`);
  const out = path.join(tmp, `${path.basename(file)}.out.json`);
  fs.writeFileSync(xs, JSON.stringify(x.arraySync()));
  python("predict", file, xs, out);
  return JSON.parse(fs.readFileSync(out, "utf8"));
}

function maxDiff(a: tf.Tensor, b: number[][]): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, tf.tensor(b)))).arraySync() as number);
}

function mlp(): Sequential {
  return new Sequential([
    layers.Dense(16, { activation: "relu", inputShape: [6] }),
    layers.BatchNormalization(),
    layers.Dropout(0.3),
    layers.Dense(3, { activation: "softmax" }),
  ]);
}

function cnn004(): Sequential {
  const conv = (filters: number, first = false) =>
    layers.Conv2D({
      filters,
      kernelSize: 3,
      padding: "same",
      activation: "relu",
      ...(first ? { inputShape: [32, 32, 3] } : {}),
    });
  const pool = () => layers.MaxPool2D({ poolSize: [2, 2], strides: 2, padding: "same" });
  return new Sequential([
    conv(32, true),
    conv(32),
    pool(),
    layers.Dropout(0.2),
    conv(64),
    conv(64),
    pool(),
    layers.Dropout(0.2),
    conv(128),
    conv(128),
    pool(),
    layers.Dropout(0.2),
    layers.Flatten(),
    layers.Dense(256, { activation: "relu" }),
    layers.Dense(10, { activation: "softmax" }),
  ]);
}

test(
  "Python Keras 3 loads our .keras and legacy .h5 MLP (BatchNormalization, Dropout) and predicts the same",
  { skip },
  async () => {
    const m = mlp();
    m.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
    const x = tf.randomUniform([20, 6], 0, 1, "float32", 3);
    const y = tf.oneHot(
      tf.tensor1d(
        Array.from({ length: 20 }, (_, i) => i % 3),
        "int32",
      ),
      3,
    );
    await m.fit(x, y, { epochs: 2, batchSize: 5, verbose: 0 });
    const ours = await m.predict(x);
    for (const ext of [".keras", ".h5"]) {
      const file = path.join(tmp, `ours_mlp${ext}`);
      await m.save(file);
      const k = kerasPredicts(file, x);
      const d = maxDiff(ours, k.predictions);
      console.log(
        `# ours_mlp${ext}: max |Keras - ours| = ${d.toExponential(2)}, Keras' optimizer iterations ${k.iterations}`,
      );
      assert.ok(d < 1e-5, `${ext}: ${d}`);
      if (ext === ".keras") assert.equal(k.iterations, m.optimizer?.iterations); // compiled state crossed over
    }
    tf.dispose([x, y, ours]);
  },
);

test("lesson 004's CNN crosses both ways: ours → Keras and Keras → ours predict within 1e-5", { skip }, async () => {
  const m = cnn004();
  m.compile({ optimizer: new optimizers.Adam(1e-4), loss: "sparse_categorical_crossentropy", metrics: ["acc"] });
  const x = tf.randomUniform([4, 32, 32, 3], 0, 1, "float32", 5);
  await m.fit(x, tf.tensor1d([0, 1, 2, 3]), { epochs: 1, verbose: 0 });
  const file = path.join(tmp, "ours_cnn004.keras");
  await m.save(file);
  const ours = await m.predict(x);
  const d1 = maxDiff(ours, kerasPredicts(file, x).predictions);
  console.log(`ours_cnn004.keras in Keras: max diff ${d1.toExponential(2)}`);
  assert.ok(d1 < 1e-5, String(d1));

  const theirs = path.join(tmp, "keras_cnn004.keras");
  const xs = path.join(tmp, "cnn004.x.json");
  const out = path.join(tmp, "cnn004.out.json");
  python("cnn004", theirs, xs, out);
  const loaded = await loadModel(theirs);
  const kx = tf.tensor(JSON.parse(fs.readFileSync(xs, "utf8")));
  const p = await loaded.predict(kx);
  const d2 = maxDiff(p, JSON.parse(fs.readFileSync(out, "utf8")).predictions);
  console.log(`keras_cnn004.keras in tslab-keras: max diff ${d2.toExponential(2)}`);
  assert.ok(d2 < 1e-5, String(d2));
  assert.equal(loaded.optimizer?.iterations, 1);
  tf.dispose([x, ours, kx, p]);
});
