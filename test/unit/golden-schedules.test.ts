/**
 * Learning-rate schedules and the optimizers added for the training API, against Python Keras 3
 * (test/fixtures/golden/schedules.json and optimizers_more.json, from scripts/golden/training_api.py):
 * each schedule's rate at steps 0..13 and its config; three update steps of AdamW, Nadam, Lion,
 * weight decay on the base optimizers, and schedules as `learningRate`.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as optimizers from "../../src/optimizers/index";

const read = (name: string) => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", name), "utf8"));

type ScheduleCtor = (o: object) => optimizers.schedules.LearningRateSchedule;
const scheduleClass = (name: string) => (optimizers.schedules as unknown as Record<string, ScheduleCtor>)[name];

const schedules = read("schedules.json") as {
  cases: { name: string; class: string; options: object; config: Record<string, unknown>; values: number[] }[];
};

for (const c of schedules.cases) {
  test(`schedule ${c.name}: ${c.class} matches Keras at steps 0..13`, () => {
    const s = scheduleClass(c.class)(c.options);
    c.values.forEach((expected, step) => {
      const got = s.call(step);
      assert.ok(Math.abs(got - expected) <= 1e-6 * Math.max(1, expected), `step ${step}: ${got} vs Keras ${expected}`);
    });
    assert.deepEqual(s.getConfig(), c.config);
    const copy = optimizers.schedules.deserialize(optimizers.schedules.serialize(s));
    assert.deepEqual(copy.getConfig(), c.config);
  });
}

type Weights = { kernel: number[][]; bias: number[] };
const more = read("optimizers_more.json") as {
  initial: Weights;
  grads: Weights[];
  cases: { name: string; class: string; options: Record<string, unknown>; steps: Weights[] }[];
};

/** Fixture options with `learningRate: { schedule, options }` turned into a schedule object. */
function withSchedule(options: Record<string, unknown>): Record<string, unknown> {
  const lr = options.learningRate as { schedule?: string; options?: object } | undefined;
  if (!lr || typeof lr !== "object") return options;
  return { ...options, learningRate: scheduleClass(lr.schedule!)(lr.options!) };
}

function assertClose(actual: number[], expected: number[], what: string, tol = 1e-5): void {
  actual.forEach((a, i) =>
    assert.ok(Math.abs(a - expected[i]) <= tol, `${what}[${i}]: got ${a}, Keras ${expected[i]}`),
  );
}

for (const c of more.cases) {
  test(`optimizer ${c.name}: ${c.class}(${JSON.stringify(c.options)}) matches Keras for 3 steps`, () => {
    const ctor = (optimizers as unknown as Record<string, new (o: object) => optimizers.KerasOptimizer>)[c.class];
    const opt = new ctor(withSchedule(c.options));
    const kernel = tf.variable(tf.tensor2d(more.initial.kernel));
    const bias = tf.variable(tf.tensor1d(more.initial.bias));
    try {
      c.steps.forEach((expected, s) => {
        const g = more.grads[s];
        const grads = { [kernel.name]: tf.tensor2d(g.kernel), [bias.name]: tf.tensor1d(g.bias) };
        opt.applyGradients(grads);
        tf.dispose(Object.values(grads));
        assertClose(Array.from(kernel.dataSync()), expected.kernel.flat(), `step ${s + 1} kernel`);
        assertClose(Array.from(bias.dataSync()), expected.bias, `step ${s + 1} bias`);
      });
    } finally {
      opt.dispose();
      kernel.dispose();
      bias.dispose();
    }
  });
}

test("build creates every slot up front; applyGradients creates no variable for built ones", () => {
  const opt = new optimizers.Nadam();
  const w = tf.variable(tf.zeros([3, 2]));
  opt.build([w]);
  assert.equal(opt.slotsOf(w)?.length, 2);
  const g = tf.ones([3, 2]);
  opt.applyGradients({ [w.name]: g }); // the first step caches the hyper-parameter constants
  const before = tf.memory().numTensors;
  opt.applyGradients({ [w.name]: g });
  g.dispose();
  assert.equal(tf.memory().numTensors, before - 1);
  opt.dispose();
  w.dispose();
});

test("schedules and weight decay: Keras' messages, config, and what optimizers.get knows", () => {
  const lr = optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  const opt = new optimizers.SGD({ learningRate: lr });
  assert.throws(() => (opt.learningRate = 0.2), /hence its learning rate is not settable/);
  assert.equal(opt.learningRate, 0.1);
  assert.deepEqual((opt.getConfig().learning_rate as { class_name: string }).class_name, "ExponentialDecay");
  const copy = new optimizers.SGD(opt.getConfig() as object);
  assert.equal(copy.schedule?.call(10), 0.05);
  assert.throws(
    () => optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }),
    /Argument `decay_steps` must be > 0/,
  );
  assert.throws(
    () => optimizers.schedules.CosineDecay({ initialLearningRate: 0.1, decay_steps: 5 } as never),
    /CosineDecay: unknown option 'decay_steps' — did you mean 'decaySteps'\?/,
  );
  assert.throws(
    () => optimizers.schedules.PiecewiseConstantDecay({ boundaries: [1, 2], values: [1] }),
    /The length of boundaries should be 1 less than the length of values/,
  );
  assert.equal(new optimizers.AdamW().weightDecay, 0.004);
  assert.equal(new optimizers.AdamW().getConfig().weight_decay, 0.004);
  assert.throws(() => new optimizers.AdamW({ weightDecay: null } as never), /must be a float/);
  assert.throws(() => new optimizers.Lion({ beta1: 0 }), /degenerates to SignSGD/);
  for (const name of ["adamw", "nadam", "lion"]) assert.equal(optimizers.get(name).getClassName().toLowerCase(), name);
  assert.throws(() => new optimizers.Lion({ epsilon: 1e-7 } as never), /Lion has no option 'epsilon'/);
});
