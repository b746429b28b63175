/**
 * Optimizers on the traced compiled path against Python Keras 3: the golden cases of
 * test/fixtures/golden/optimizers.json (three updates on the same weights and gradients), with the
 * update traced into a graph (src/engine/trace) and its third step replayed by TensorFlow — per-step
 * host values (learning rate, bias corrections) fed, not frozen.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertClose, fixture } from "./optimizer-fixture";
import { tf } from "../../src/tf";
import * as optimizers from "../../src/optimizers/index";
import { defaultThreads, loadEngineAddon } from "../../src/engine/native";
import { TracedSession } from "../../src/engine/trace/traced-session";
import { rowsFeed } from "../../src/models/traced-inference";
import { advanceIterations, optimizerHostValues, withOptimizerHostInputs } from "../../src/models/optimizer-trace";

const addon = loadEngineAddon();

for (const c of fixture.cases) {
  test(
    `traced ${c.name}: ${c.class}(${JSON.stringify(c.options)}) — step 3 replayed as a graph matches Keras`,
    { skip: !addon && "engine addon not built" },
    () => {
      const ctor = (optimizers as unknown as Record<string, new (o: object) => optimizers.KerasOptimizer>)[c.class];
      const opt = new ctor(c.options);
      const kernel = tf.variable(tf.tensor2d(fixture.initial.kernel));
      const bias = tf.variable(tf.tensor1d(fixture.initial.bias));
      const session = new TracedSession(addon!, defaultThreads());
      try {
        const step = (gk: tf.Tensor, gb: tf.Tensor) => () => {
          opt.applyGradients({ [kernel.name]: gk, [bias.name]: gb });
          return [];
        };
        let traced;
        for (let s = 0; s < 2; s++) {
          // Step 1 creates the slots (not traceable); step 2 is traced while it runs eagerly.
          const gk = tf.tensor2d(fixture.grads[s].kernel);
          const gb = tf.tensor1d(fixture.grads[s].bias);
          traced = withOptimizerHostInputs(opt, () => session.trace([gk, gb], step(gk, gb)));
          tf.dispose([gk, gb]);
          assertClose(Array.from(kernel.dataSync()), c.steps[s].kernel.flat(), `step ${s + 1} kernel`);
        }
        assert.ok(traced?.fn, `step 2 traced: ${traced?.reason}`);
        const fn = traced.fn;
        const g = fixture.grads[2];
        const gk = tf.tensor2d(g.kernel);
        const gb = tf.tensor1d(g.bias);
        const feeds = [
          rowsFeed(fn, 0, Float32Array.from(g.kernel.flat()), gk, 0, gk.shape[0]),
          rowsFeed(fn, 1, Float32Array.from(g.bias), gb, 0, gb.shape[0]),
        ];
        session.run(fn, feeds, optimizerHostValues(opt, fn.hostKeys));
        advanceIterations(opt);
        session.pullState();
        tf.dispose([gk, gb]);
        assertClose(Array.from(kernel.dataSync()), c.steps[2].kernel.flat(), "step 3 kernel");
        assertClose(Array.from(bias.dataSync()), c.steps[2].bias, "step 3 bias");
        assert.equal(opt.iterations, 3);
      } finally {
        opt.dispose();
        kernel.dispose();
        bias.dispose();
      }
    },
  );
}
