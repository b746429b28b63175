/**
 * Losses against Python Keras 3 (test/fixtures/golden/losses.json, from scripts/golden/training_api.py):
 * per-sample values, the reduced value and the sample-weighted value of every loss class and option,
 * and `losses.get` for Keras' names and aliases.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as losses from "../../src/losses/index";

interface Fixture {
  inputs: Record<string, number[] | number[][]>;
  cases: {
    name: string;
    class: string;
    options: Record<string, unknown>;
    y_true: string;
    y_pred: string;
    config_name: string;
    per_sample: number[];
    value: number;
    weighted: number;
  }[];
  aliases: { alias: string; y_true: string; y_pred: string; value: number }[];
}

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "losses.json"), "utf8")) as Fixture;
const input = (key: string) => tf.tensor(fixture.inputs[key] as number[]);

function close(actual: number, expected: number, what: string, tol = 2e-5): void {
  assert.ok(
    Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)),
    `${what}: got ${actual}, Keras ${expected}`,
  );
}

for (const c of fixture.cases) {
  test(`loss ${c.name}: ${c.class}(${JSON.stringify(c.options)}) matches Keras`, () => {
    const before = tf.memory().numTensors;
    const cls = (losses as unknown as Record<string, (o: object) => losses.LossObject>)[c.class];
    const loss = cls(c.options);
    assert.equal(loss.name, c.config_name);
    const yt = input(c.y_true);
    const yp = input(c.y_pred);
    const sw = input("sample_weight");
    const perSample = losses.isLoss(loss) ? loss.call(yt, yp) : undefined;
    const values = Array.from(perSample!.dataSync());
    const expected = c.per_sample.flat();
    if (c.options.reduction === undefined) {
      assert.equal(values.length, expected.length, "per-sample length");
      values.forEach((v, i) => close(v, expected[i], `per-sample[${i}]`));
    }
    const value = loss(yt, yp);
    const weighted = loss(yt, yp, sw);
    assert.equal(value.rank, 0);
    close(value.dataSync()[0], c.value, "value");
    close(weighted.dataSync()[0], c.weighted, "weighted");
    tf.dispose([yt, yp, sw, perSample!, value, weighted]);
    assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  });
}

test("losses.get: every Keras name and alias gives Keras' value", () => {
  for (const a of fixture.aliases) {
    const resolved = losses.get(a.alias);
    const yt = input(a.y_true);
    const yp = input(a.y_pred);
    const v = tf.tidy(() => tf.mean(resolved.fn(yt, yp)).dataSync()[0]);
    close(v, a.value, a.alias);
    tf.dispose([yt, yp]);
  }
});

test("loss objects: callable, with and without new; Keras' config; unknown options name the closest", () => {
  const a = losses.BinaryCrossentropy({ fromLogits: true });
  const b = new losses.BinaryCrossentropy({ labelSmoothing: 0.1 });
  assert.ok(a instanceof losses.Loss && b instanceof losses.Loss);
  assert.equal(typeof a, "function");
  assert.equal(a.fromLogits, true);
  assert.deepEqual(b.getConfig(), {
    name: "binary_crossentropy",
    reduction: "sum_over_batch_size",
    from_logits: false,
    label_smoothing: 0.1,
  });
  assert.throws(
    () => losses.BinaryCrossentropy({ from_logits: true } as never),
    /BinaryCrossentropy: unknown option 'from_logits' — did you mean 'fromLogits'\?/,
  );
  assert.throws(() => losses.Huber({ reduction: "avg" as never }), /Invalid value for argument `reduction`/);
  assert.throws(() => losses.get("mean_sqared_error"), /Did you mean 'mean_squared_error'\?/);
  const resolved = losses.get(losses.Huber({ delta: 2 }));
  assert.equal(resolved.name, "huber_loss");
  assert.equal(resolved.plainName, undefined, "non-default options are not the plain function");
  assert.equal(losses.get(losses.CategoricalCrossentropy()).plainName, "categorical_crossentropy");
});
