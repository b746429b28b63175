/**
 * Stateful metrics against Python Keras 3 (test/fixtures/golden/metrics.json): the result after each
 * of three batches of different sizes, with and without sample weights, then after resetState.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as metrics from "../../src/metrics/index";

interface Fixture {
  batches: Record<string, number[] | number[][]>[];
  cases: {
    name: string;
    class: string;
    options: Record<string, unknown>;
    y_true: string;
    y_pred: string;
    config_name: string;
    plain: number[];
    weighted: number[];
  }[];
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "golden", "metrics.json"), "utf8"),
) as Fixture;

function close(actual: number, expected: number, what: string, tol = 2e-5): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, Keras ${expected}`,
  );
}

for (const c of fixture.cases) {
  test(`metric ${c.name}: ${c.class}(${JSON.stringify(c.options)}) is stateful across batches as Keras'`, () => {
    const cls = (metrics as unknown as Record<string, (o: object) => metrics.Metric>)[c.class];
    for (const weighted of [false, true]) {
      const m = cls(c.options);
      assert.equal(m.name.replace(/_\d+$/, ""), c.config_name.replace(/_\d+$/, ""));
      const before = tf.memory().numTensors;
      const expected = weighted ? c.weighted : c.plain;
      fixture.batches.forEach((b, i) => {
        const yt = tf.tensor(b[c.y_true] as number[]);
        const yp = tf.tensor(b[c.y_pred] as number[]);
        const sw = weighted ? tf.tensor(b.sample_weight as number[]) : undefined;
        m.updateState(yt, yp, sw);
        tf.dispose([yt, yp, ...(sw ? [sw] : [])]);
        close(m.resultValue(), expected[i], `${weighted ? "weighted" : "plain"} batch ${i + 1}`);
      });
      m.resetState();
      close(m.resultValue(), expected[expected.length - 1], "after resetState");
      assert.equal(tf.memory().numTensors, before, "updateState/result leak no tensors");
      m.dispose();
    }
  });
}

test("metrics: variables are created up front; get() names; unknown options and names are rejected", () => {
  const auc = metrics.AUC();
  assert.equal(auc.variables.length, 4);
  assert.deepEqual(auc.variables[0].shape, [200]);
  assert.ok(auc.variables.every((v) => !v.trainable));
  auc.dispose();
  const mae = metrics.get("mae");
  assert.equal(mae.name, "mae");
  assert.ok(mae instanceof metrics.Metric);
  mae.dispose();
  const acc = metrics.get("acc", { lossKind: "binary", yTrueShape: [4, 1], yPredShape: [null, 1] });
  assert.equal(acc.name, "acc");
  acc.dispose();
  assert.throws(() => metrics.Precision({ threshold: 0.5 } as never), /did you mean 'thresholds'\?/);
  assert.throws(() => metrics.get("aucs"), /Unknown metric 'aucs'\. Did you mean 'auc'\?/);
  assert.throws(() => metrics.AUC({ curve: "XY" as never }), /Invalid AUC curve value/);
});

test("a custom Metric subclass accumulates through addVariable/assign", () => {
  class Positives extends metrics.Metric {
    readonly count = this.addVariable({ name: "count" });
    updateState(_yTrue: tf.Tensor, yPred?: tf.Tensor): void {
      tf.tidy(() => this.count.assign(tf.add(this.count, tf.sum(tf.cast(tf.greater(yPred!, 0.5), "float32")))));
    }
    result(): tf.Tensor {
      return this.count.clone();
    }
  }
  const m = new Positives();
  assert.equal(m.name, "positives");
  const y = tf.tensor1d([0.2, 0.7, 0.9]);
  m.updateState(y, y);
  m.updateState(y, y);
  assert.equal(m.resultValue(), 4);
  m.resetState();
  assert.equal(m.resultValue(), 0);
  y.dispose();
  m.dispose();
});
