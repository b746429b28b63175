/**
 * fit's Keras options against Python Keras 3 (test/fixtures/golden/fit_options.json, from
 * scripts/golden/training_api.py): sampleWeight, classWeight, weighted validation data, validationFreq,
 * initialEpoch, loss objects with options, and evaluate's sampleWeight/returnDict — the History
 * (every key, every epoch), the trained weights and the weighted evaluation all match.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import * as losses from "../../src/losses/index";
import { Sequential } from "../../src/models/index";
import * as optimizers from "../../src/optimizers/index";

interface Case {
  name: string;
  units: number;
  activation: string;
  loss: string | { class: string; options: object };
  metrics: string[];
  weighted_metrics: string[];
  optimizer: { class: string; options: object };
  fit: Record<string, unknown>;
  x: number[][];
  y: number[][];
  x_val: number[][];
  y_val: number[][];
  sample_weight: number[];
  sample_weight_val: number[];
  kernel: number[][];
  bias: number[];
  history: Record<string, number[]>;
  epochs_run: number[];
  final_kernel: number[][];
  final_bias: number[];
  evaluate_weighted: Record<string, number>;
}

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "fit_options.json"), "utf8")) as {
  cases: Case[];
};

function close(actual: number, expected: number, what: string, tol = 1e-4): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, Keras ${expected}`,
  );
}

for (const c of fixture.cases) {
  test(`fit ${c.name}: History, weights and weighted evaluate match Keras`, async () => {
    const before = tf.memory().numTensors;
    const model = new Sequential([layers.Dense(c.units, { activation: c.activation as "linear", inputShape: [4] })]);
    const w = [tf.tensor2d(c.kernel), tf.tensor1d(c.bias)];
    model.setWeights(w);
    tf.dispose(w);
    const Opt = (optimizers as unknown as Record<string, new (o: object) => tf.Optimizer>)[c.optimizer.class];
    const loss =
      typeof c.loss === "string"
        ? c.loss
        : (losses as unknown as Record<string, (o: object) => losses.LossObject>)[c.loss.class](c.loss.options);
    model.compile({
      optimizer: new Opt(c.optimizer.options),
      loss,
      metrics: c.metrics,
      weightedMetrics: c.weighted_metrics,
    });
    const { fit } = c;
    const history = await model.fit(c.x, c.y, {
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      epochs: fit.epochs as number,
      ...(fit.sampleWeight ? { sampleWeight: c.sample_weight } : {}),
      ...(fit.classWeight ? { classWeight: fit.classWeight as Record<number, number> } : {}),
      ...(fit.initialEpoch !== undefined ? { initialEpoch: fit.initialEpoch as number } : {}),
      ...(fit.validationFreq !== undefined ? { validationFreq: fit.validationFreq as number | number[] } : {}),
      ...(fit.validationData === "weighted"
        ? { validationData: [c.x_val, c.y_val, c.sample_weight_val] as [number[][], number[][], number[]] }
        : fit.validationData === "plain"
          ? { validationData: [c.x_val, c.y_val] as [number[][], number[][]] }
          : {}),
    });
    assert.deepEqual(history.epoch, c.epochs_run);
    assert.deepEqual(Object.keys(history.history).sort(), Object.keys(c.history).sort());
    for (const [key, values] of Object.entries(c.history)) {
      assert.equal(history.history[key].length, values.length, `${key}: epochs logged`);
      values.forEach((v, i) => close(history.history[key][i], v, `${key}[${i}]`));
    }
    const [kernel, bias] = model.getWeights();
    Array.from(kernel.dataSync()).forEach((v, i) => close(v, c.final_kernel.flat()[i], `kernel[${i}]`));
    Array.from(bias.dataSync()).forEach((v, i) => close(v, c.final_bias[i], `bias[${i}]`));
    tf.dispose([kernel, bias]);
    const logs = await model.evaluate(c.x_val, c.y_val, {
      sampleWeight: c.sample_weight_val,
      batchSize: 4,
      verbose: 0,
      returnDict: true,
    });
    for (const [key, v] of Object.entries(c.evaluate_weighted)) close(logs[key], v, `evaluate ${key}`);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  });
}
