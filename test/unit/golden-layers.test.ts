/**
 * Dense, BatchNormalization and Dropout against Python Keras 3 (test/fixtures/golden/layers.json):
 * Dense outputs for each activation, BatchNormalization in inference and training (moving statistics
 * updated with momentum 0.99, epsilon 1e-3), and inverted dropout's scaling.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Sequential, layers, tf } from "../../src/index";

interface Fixture {
  x: number[][];
  dense: { activation: string; kernel: number[][]; bias: number[]; output: number[][] }[];
  batchnorm: Record<string, number[][] | number[] | number>;
  dropout: { rate: number; kept_values: number[]; kept_fraction: number; inference_equals_input: boolean }[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "layers.json"), "utf8")) as Fixture;

function assertClose(actual: ArrayLike<number>, expected: number[], what: string, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: got ${actual[i]}, Keras ${expected[i]}`);
  }
}

for (const d of fixture.dense) {
  test(`Dense(3, activation=${d.activation}) matches Keras`, async () => {
    const model = new Sequential([layers.Input([5]), layers.Dense(3, { activation: d.activation })]);
    model.setWeights([tf.tensor2d(d.kernel), tf.tensor1d(d.bias)]);
    const y = await model.predict(tf.tensor2d(fixture.x));
    assertClose(y.dataSync(), d.output.flat(), "output");
    y.dispose();
    model.dispose();
  });
}

test("BatchNormalization matches Keras in inference and training, moving stats included", async () => {
  const bn = fixture.batchnorm;
  const v = (k: string) => bn[k] as number[];
  const model = new Sequential([layers.Input([4]), layers.BatchNormalization()]);
  model.setWeights([
    tf.tensor1d(v("gamma")),
    tf.tensor1d(v("beta")),
    tf.tensor1d(v("moving_mean")),
    tf.tensor1d(v("moving_variance")),
  ]);
  const x = tf.tensor2d(bn.x as number[][]);
  const inference = await model.predict(x);
  assertClose(inference.dataSync(), (bn.inference_output as number[][]).flat(), "inference output");

  const layer = model.layers[0];
  const training = layer.apply(x, { training: true }) as tf.Tensor;
  assertClose(training.dataSync(), (bn.training_output as number[][]).flat(), "training output");
  let [, , mean, variance] = model.getWeights();
  assertClose(mean.dataSync(), v("moving_mean_after"), "moving mean after one batch");
  assertClose(variance.dataSync(), v("moving_variance_after"), "moving variance after one batch");

  const x2 = tf.mul(x, bn.second_x_scale as number);
  const training2 = layer.apply(x2, { training: true }) as tf.Tensor;
  assertClose(training2.dataSync(), (bn.second_training_output as number[][]).flat(), "second training output");
  [, , mean, variance] = model.getWeights();
  assertClose(mean.dataSync(), v("moving_mean_after_second"), "moving mean after two batches");
  assertClose(variance.dataSync(), v("moving_variance_after_second"), "moving variance after two batches");
  tf.dispose([x, x2, inference, training, training2]);
  model.dispose();
});

for (const d of fixture.dropout) {
  test(`Dropout(${d.rate}) scales kept units by 1/(1-rate) in training and is the identity in inference`, async () => {
    const model = new Sequential([layers.Input([50]), layers.Dropout(d.rate)]);
    const ones = tf.ones([200, 50]);
    const y = model.layers[0].apply(ones, { training: true }) as tf.Tensor;
    const values = y.dataSync();
    const kept = new Set<number>();
    let count = 0;
    for (const value of values) {
      if (value !== 0) {
        kept.add(Math.round(value * 1e6) / 1e6);
        count++;
      }
    }
    assert.deepEqual([...kept], d.kept_values);
    // 10,000 units: the kept fraction is within ±0.03 of 1 - rate, as Keras' was.
    assert.ok(Math.abs(count / values.length - (1 - d.rate)) < 0.03, `kept fraction ${count / values.length}`);
    assert.ok(Math.abs(d.kept_fraction - (1 - d.rate)) < 0.03);
    const inference = await model.predict(ones);
    assert.equal(tf.equal(inference, ones).all().dataSync()[0], d.inference_equals_input ? 1 : 0);
    tf.dispose([ones, y, inference]);
    model.dispose();
  });
}
