/** A functional model with several outputs: Keras 3's per-output losses under sample weights. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Input, Model, layers, tf } from "../../src/index";

test("a two-output model: one sampleWeight array weights both losses; per-output weights say they are not supported", async () => {
  const i = Input({ shape: [4] });
  const a = layers.Dense(1, { name: "a" })(i);
  const b = layers.Dense(2, { activation: "softmax", name: "b" })(i);
  const m = new Model({ inputs: i, outputs: { a, b } });
  m.compile({ optimizer: "sgd", loss: { a: "mse", b: "sparse_categorical_crossentropy" } });
  const x = tf.randomUniform([8, 4], 0, 1, "float32", 3);
  const y = { a: tf.randomUniform([8, 1], 0, 1, "float32", 4), b: tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], "int32") };
  const zero = (await m.evaluate(x, y, { sampleWeight: tf.zeros([8]), returnDict: true, verbose: 0 })) as Record<
    string,
    number
  >;
  assert.equal(zero.a_loss, 0, "zero weights zero the first output's loss");
  assert.equal(zero.b_loss, 0, "and the second's");
  // Keras 3: an output's loss is reduced as the model's, sum(loss · w) / batch size (checked in Keras 3.15).
  const half = tf.tensor1d([1, 1, 1, 1, 0, 0, 0, 0]);
  const logs = (await m.evaluate(x, y, { sampleWeight: half, batchSize: 8, returnDict: true, verbose: 0 })) as Record<
    string,
    number
  >;
  const predictions = (await m.predict(x)) as Record<string, tf.Tensor>;
  const pa = predictions.a;
  const perSample = tf.sum(tf.square(tf.sub(pa, y.a)), 1).dataSync();
  const expected = (perSample[0] + perSample[1] + perSample[2] + perSample[3]) / 8;
  assert.ok(Math.abs(logs.a_loss - expected) < 1e-6, `a_loss ${logs.a_loss} vs ${expected}`);
  assert.ok(Math.abs(logs.loss - logs.a_loss - logs.b_loss) < 1e-6, "the loss is the sum of the outputs' losses");
  tf.dispose([half, ...Object.values(predictions)]);
  await assert.rejects(
    m.fit(x, y, { sampleWeight: { a: tf.ones([8]), b: tf.ones([8]) } as never, verbose: 0 }),
    /fit: sampleWeight per output \(\{ a, b \}\) is not supported by tslab-keras yet; pass one array/,
  );
  tf.dispose([x, y.a, y.b]);
});
