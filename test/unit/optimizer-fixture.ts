/** The optimizer goldens (test/fixtures/golden/optimizers.json, from scripts/golden/generate.py), shared by their tests. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type Weights = { kernel: number[][]; bias: number[] };
export interface OptimizerFixture {
  initial: Weights;
  grads: Weights[];
  cases: { name: string; class: string; options: Record<string, unknown>; steps: Weights[] }[];
}

export const fixture = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "golden", "optimizers.json"), "utf8"),
) as OptimizerFixture;

export function assertClose(actual: number[], expected: number[], what: string, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  actual.forEach((a, i) => {
    assert.ok(Math.abs(a - expected[i]) <= tol, `${what}[${i}]: got ${a}, Keras ${expected[i]}`);
  });
}
