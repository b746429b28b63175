/**
 * Optimizers against Python Keras 3: three update steps of every optimizer and option on the same
 * weights and gradients (test/fixtures/golden/optimizers.json, from scripts/golden/generate.py).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClose, fixture } from "./optimizer-fixture";
import { tf } from "../../src/tf";
import * as optimizers from "../../src/optimizers/index";

for (const c of fixture.cases) {
  test(`${c.name}: ${c.class}(${JSON.stringify(c.options)}) matches Keras for 3 steps`, () => {
    const ctor = (optimizers as unknown as Record<string, new (o: object) => optimizers.KerasOptimizer>)[c.class];
    const opt = new ctor(c.options);
    const kernel = tf.variable(tf.tensor2d(fixture.initial.kernel));
    const bias = tf.variable(tf.tensor1d(fixture.initial.bias));
    try {
      c.steps.forEach((expected, s) => {
        const g = fixture.grads[s];
        const grads = { [kernel.name]: tf.tensor2d(g.kernel), [bias.name]: tf.tensor1d(g.bias) };
        opt.applyGradients(grads);
        tf.dispose(Object.values(grads));
        assertClose(Array.from(kernel.dataSync()), expected.kernel.flat(), `step ${s + 1} kernel`);
        assertClose(Array.from(bias.dataSync()), expected.bias, `step ${s + 1} bias`);
      });
      assert.equal(opt.iterations, c.steps.length);
    } finally {
      opt.dispose();
      kernel.dispose();
      bias.dispose();
    }
  });
}
