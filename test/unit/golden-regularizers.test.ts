/** Regularizer penalties against Python Keras 3 (test/fixtures/golden/regularizers.json). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as regularizers from "../../src/regularizers/index";

interface Case {
  name: string;
  fn?: "l1" | "l2" | "l1_l2" | "L1L2";
  get?: string;
  args?: unknown[];
  config: Record<string, number>;
  penalty: number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "regularizers.json"), "utf8")) as {
  weights: number[][];
  cases: Case[];
};

function make(c: Case): regularizers.Regularizer {
  if (c.get !== undefined) return regularizers.get(c.get)!;
  switch (c.fn) {
    case "l1":
      return regularizers.l1(...((c.args ?? []) as [number?]));
    case "l2":
      return regularizers.l2(...((c.args ?? []) as [number?]));
    case "l1_l2":
      return regularizers.l1_l2(...((c.args ?? []) as [regularizers.L1L2Args?]));
    case "L1L2":
      return new regularizers.L1L2();
  }
  throw new Error(`bad case ${c.name}`);
}

for (const c of fixture.cases) {
  test(`${c.name}: penalty and config match Keras`, () => {
    const reg = make(c);
    const w = tf.tensor2d(fixture.weights);
    const before = tf.memory().numTensors;
    const p = reg.apply(w);
    assert.equal(tf.memory().numTensors, before + 1, "apply leaves only its result");
    assert.deepEqual(p.shape, []);
    const got = p.dataSync()[0];
    assert.ok(
      Math.abs(got - c.penalty) <= 1e-5 * Math.max(1, Math.abs(c.penalty)),
      `penalty ${got} vs Keras ${c.penalty}`,
    );
    const config = reg.getConfig() as Record<string, number>;
    for (const [k, v] of Object.entries(c.config)) {
      assert.ok(Math.abs(config[k] - v) < 1e-7, `config.${k}: ${config[k]} vs Keras ${v}`);
    }
    assert.deepEqual(Object.keys(config).sort(), Object.keys(c.config).sort());
    tf.dispose([w, p]);
  });
}
