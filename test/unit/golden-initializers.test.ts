/**
 * Initializers against Python Keras 3 (test/fixtures/golden/initializers.json): the RNGs differ, so
 * the fixture holds each initializer's config and sample statistics on a 200×100 kernel, and ours
 * must match the distribution (bounds, spread) and config.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as initializers from "../../src/initializers/index";

interface Case {
  name: string;
  class: string;
  config: Record<string, unknown>;
  mean: number;
  std: number;
  min: number;
  max: number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "initializers.json"), "utf8")) as {
  shape: number[];
  cases: Case[];
};

function stats(t: tf.Tensor) {
  const v = t.dataSync();
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of v) {
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / v.length;
  let sq = 0;
  for (const x of v) sq += (x - mean) ** 2;
  return { mean, std: Math.sqrt(sq / v.length), min, max };
}

for (const c of fixture.cases) {
  test(`${c.name}: ${c.class} has Keras' distribution and config`, () => {
    const init = c.name === "constant" ? initializers.Constant({ value: 0.25 }) : initializers.get(c.name);
    assert.equal(init.getClassName(), c.class);
    const config = init.getConfig() as Record<string, unknown>;
    for (const [k, v] of Object.entries(c.config)) {
      if (k === "input_axes" || k === "output_axes") continue; // Keras 3.15 additions, always null here
      assert.deepEqual(config[k], v, `config.${k}`);
    }
    const t = init.apply(fixture.shape, "float32");
    assert.deepEqual(t.shape, fixture.shape);
    const s = stats(t);
    t.dispose();
    // 20,000 samples: the spread is within ~2% of Keras'; bounded distributions share their bounds.
    assert.ok(Math.abs(s.std - c.std) <= 0.03 * c.std + 1e-9, `std ${s.std} vs Keras ${c.std}`);
    assert.ok(Math.abs(s.mean - c.mean) <= 0.03 * c.std + 1e-9, `mean ${s.mean} vs Keras ${c.mean}`);
    if (/uniform|truncated|glorot_normal|he_normal|lecun_normal|zeros|ones|constant/.test(c.name)) {
      const span = c.max - c.min || 1;
      assert.ok(
        s.min >= c.min - 0.02 * span && s.max <= c.max + 0.02 * span,
        `range [${s.min}, ${s.max}] vs Keras [${c.min}, ${c.max}]`,
      );
      assert.ok(
        s.min <= c.min + 0.05 * span && s.max >= c.max - 0.05 * span,
        `range [${s.min}, ${s.max}] reaches Keras' bounds`,
      );
    }
  });
}
