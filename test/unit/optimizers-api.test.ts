/** Optimizers' API: options and their errors, `get`, learning rate and decay, state, config, memory. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as optimizers from "../../src/optimizers/index";
import * as callbacks from "../../src/callbacks/index";
import * as regularizers from "../../src/regularizers/index";
import { resetLrDeprecationWarning } from "../../src/optimizers/options";

test("an option the optimizer lacks names the optimizers that have it (lesson 003's Adam)", () => {
  assert.throws(
    () => new optimizers.Adam({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true } as object),
    (e: Error) =>
      e.message.startsWith(
        "Adam has no option 'momentum'; SGD and RMSprop have it. Valid Adam options: learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, decay, clipnorm, clipvalue, globalClipnorm, name",
      ),
  );
  assert.throws(
    () => new optimizers.RMSprop({ nesterov: true } as object),
    /^Error: RMSprop has no option 'nesterov'; SGD has it\./,
  );
  assert.throws(
    () => new optimizers.Adam({ betta1: 0.9 } as object),
    /Adam has no option 'betta1' \(did you mean 'beta1'\?\)/,
  );
});

test("`lr` works with a one-time deprecation warning", (t) => {
  resetLrDeprecationWarning();
  const warn = t.mock.method(console, "warn", () => {});
  const a = new optimizers.SGD({ lr: 0.1 } as object);
  const b = new optimizers.Adam({ lr: 0.02 } as object);
  assert.equal(a.learningRate, 0.1);
  assert.equal(b.learningRate, 0.02);
  assert.equal(warn.mock.callCount(), 1);
  assert.equal(warn.mock.calls[0].arguments[0], "`lr` is deprecated, use `learningRate`");
  assert.throws(() => new optimizers.SGD({ lr: 0.1, learningRate: 0.2 } as object), /given twice/);
});

test("Keras spellings, positional learning rate and Keras 2's epsilon=None", () => {
  const a = new optimizers.Adam({ learning_rate: 0.01, beta_1: 0.8, beta_2: 0.99, epsilon: null } as object);
  assert.deepEqual([a.learningRate, a.beta1, a.beta2, a.epsilon], [0.01, 0.8, 0.99, 1e-7]);
  assert.equal(new optimizers.Adam(1e-4).learningRate, 1e-4);
  const g = new optimizers.Adagrad({ initial_accumulator_value: 0.5 } as object);
  assert.equal(g.initialAccumulatorValue, 0.5);
});

test("Keras 3 defaults", () => {
  const sgd = new optimizers.SGD();
  assert.deepEqual([sgd.learningRate, sgd.momentum, sgd.nesterov, sgd.decay], [0.01, 0, false, 0]);
  const r = new optimizers.RMSprop();
  assert.deepEqual([r.learningRate, r.rho, r.momentum, r.epsilon, r.centered], [0.001, 0.9, 0, 1e-7, false]);
  const ag = new optimizers.Adagrad();
  assert.deepEqual([ag.learningRate, ag.initialAccumulatorValue, ag.epsilon], [0.001, 0.1, 1e-7]);
  const ad = new optimizers.Adadelta();
  assert.deepEqual([ad.learningRate, ad.rho, ad.epsilon], [0.001, 0.95, 1e-7]);
  const adam = new optimizers.Adam();
  assert.deepEqual(
    [adam.learningRate, adam.beta1, adam.beta2, adam.epsilon, adam.amsgrad],
    [0.001, 0.9, 0.999, 1e-7, false],
  );
  const amax = new optimizers.Adamax();
  assert.deepEqual([amax.learningRate, amax.beta1, amax.beta2, amax.epsilon], [0.001, 0.9, 0.999, 1e-7]);
});

test("bad values and conflicting clipping are errors", () => {
  assert.throws(
    () => new optimizers.SGD({ momentum: 1.5 }),
    /SGD: `momentum` must be a number between 0 and 1, got 1.5/,
  );
  assert.throws(
    () => new optimizers.SGD({ clipnorm: 1, clipvalue: 0.5 }),
    /Only one of `clipnorm`, `clipvalue` and `globalClipnorm` can be set/,
  );
  assert.throws(() => new optimizers.Adam({ amsgrad: "yes" } as object), /`amsgrad` must be true or false/);
  assert.equal(new optimizers.Adam({ weight_decay: 0.01 } as object).weightDecay, 0.01, "Keras 3's weight_decay");
  assert.throws(() => new optimizers.Adam({ use_ema: true } as object), /'use_ema' is not supported/);
});

test("get() resolves Keras names in any case, passes instances through, and suggests the closest names", () => {
  const cases: [string, string][] = [
    ["sgd", "SGD"],
    ["RMSprop", "RMSprop"],
    ["adagrad", "Adagrad"],
    ["Adadelta", "Adadelta"],
    ["ADAM", "Adam"],
    ["adamax", "Adamax"],
  ];
  for (const [name, cls] of cases) assert.equal(optimizers.get(name).getClassName(), cls);
  const a = new optimizers.Adam();
  assert.equal(optimizers.get(a), a);
  assert.notEqual(optimizers.get("adam"), optimizers.get("adam"), "a new instance each time");
  assert.throws(
    () => optimizers.get("adamm"),
    /^Error: Unknown optimizer 'adamm'\. Valid names: 'adam', 'adamw', 'adamax', /,
  );
  assert.throws(() => optimizers.get("rmsp"), /Valid names: 'rmsprop',/);
});

test("learningRate is writable (ReduceLROnPlateau) and decay is Keras 2's inverse-time decay", () => {
  const w = tf.variable(tf.scalar(1));
  const opt = new optimizers.SGD({ learningRate: 0.5, decay: 1 });
  const g = tf.scalar(1);
  opt.applyGradients({ [w.name]: g }); // lr 0.5
  opt.applyGradients({ [w.name]: g }); // lr 0.5 / (1 + 1)
  assert.ok(Math.abs(w.dataSync()[0] - (1 - 0.5 - 0.25)) < 1e-6);
  assert.ok(Math.abs(opt.currentLearningRate - 0.5 / 3) < 1e-12);
  opt.learningRate = 3;
  opt.applyGradients({ [w.name]: g }); // lr 3 / (1 + 2)
  assert.ok(Math.abs(w.dataSync()[0] - (0.25 - 1)) < 1e-6);
  assert.throws(() => (opt.learningRate = -1), /learningRate must be a number >= 0/);
  tf.dispose([w, g]);
  opt.dispose();
});

test("minimize() works with a variable list and returns the cost", () => {
  const w = tf.variable(tf.tensor1d([3, -2]));
  const opt = new optimizers.Adam({ learningRate: 0.1 });
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) {
    const cost = opt.minimize(() => tf.sum(tf.square(w)), true, [w])!;
    losses.push(cost.dataSync()[0]);
    cost.dispose();
  }
  assert.equal(losses[0], 13);
  assert.ok(losses[29] < 5, `loss went down: ${losses[29]}`);
  assert.equal(opt.iterations, 30);
  w.dispose();
  opt.dispose();
});

test("a step leaks no tensors: only slot variables (and cached constants) appear on the first step", async () => {
  for (const opt of [
    new optimizers.SGD({ momentum: 0.9, nesterov: true, clipnorm: 1 }),
    new optimizers.RMSprop({ momentum: 0.5, centered: true }),
    new optimizers.Adagrad(),
    new optimizers.Adadelta(),
    new optimizers.Adam({ amsgrad: true, decay: 0.01, globalClipnorm: 1 }),
    new optimizers.Adamax({ clipvalue: 0.1 }),
  ]) {
    const a = tf.variable(tf.ones([3, 2]));
    const b = tf.variable(tf.zeros([2]));
    const grads = { [a.name]: tf.fill([3, 2], 0.5), [b.name]: tf.fill([2], -0.5) };
    const start = tf.memory().numTensors;
    opt.applyGradients(grads);
    const afterFirst = tf.memory().numTensors;
    opt.applyGradients(grads);
    opt.applyGradients(grads);
    assert.equal(tf.memory().numTensors, afterFirst, `${opt.getClassName()}: steps 2-3 leak nothing`);
    const weights = await opt.getWeights();
    weights[0].tensor.dispose(); // the iteration count, made for saving
    const slots = weights.length - 1;
    const expectedSlots = { SGD: 1, RMSprop: 3, Adagrad: 1, Adadelta: 2, Adam: 3, Adamax: 2 }[opt.getClassName()]!;
    assert.equal(slots, 2 * expectedSlots, `${opt.getClassName()}: slots for both variables`);
    const constants = afterFirst - start - slots;
    assert.ok(constants >= 0 && constants <= 6, `${opt.getClassName()}: ${constants} cached hyper-parameter scalars`);
    opt.dispose();
    assert.equal(tf.memory().numTensors, start, `${opt.getClassName()}: dispose frees slots and constants`);
    tf.dispose([a, b, ...Object.values(grads)]);
  }
});

test("getWeights/setWeights carry the iteration count and slots to another optimizer", async () => {
  const w1 = tf.variable(tf.tensor1d([1, 2]), true, "opt-state-w");
  const g = tf.tensor1d([0.3, -0.7]);
  const a = new optimizers.Adam({ learningRate: 0.1, amsgrad: true });
  a.applyGradients({ [w1.name]: g });
  a.applyGradients({ [w1.name]: tf.mul(g, 0.1) });
  const weights = await a.getWeights();
  assert.deepEqual(
    weights.map((x) => x.name),
    ["iter", "opt-state-w/momentum", "opt-state-w/velocity", "opt-state-w/velocity_hat"],
  );
  const b = new optimizers.Adam({ learningRate: 0.1, amsgrad: true });
  await b.setWeights(weights);
  assert.equal(b.iterations, 2);
  const w2 = tf.variable(w1.clone());
  // Same state: the next step moves the same variable identically.
  const before = w1.dataSync().slice();
  a.applyGradients({ [w1.name]: g });
  const afterA = w1.dataSync().slice();
  w1.assign(tf.tensor1d(Array.from(before)));
  b.applyGradients({ [w1.name]: g });
  assert.deepEqual(Array.from(w1.dataSync()), Array.from(afterA));
  tf.dispose([w1, w2, g]);
  a.dispose();
  b.dispose();
});

test("getConfig is Keras' config; fromConfig (via tfjs serialization) rebuilds it, Keras' extra keys included", () => {
  const opt = new optimizers.Adam({ learningRate: 0.01, amsgrad: true, clipnorm: 2, decay: 1e-6, name: "my_adam" });
  const config = opt.getConfig();
  assert.deepEqual(config, {
    name: "my_adam",
    learning_rate: 0.01,
    clipnorm: 2,
    global_clipnorm: null,
    clipvalue: null,
    decay: 1e-6,
    beta_1: 0.9,
    beta_2: 0.999,
    epsilon: 1e-7,
    amsgrad: true,
  });
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap.Adam;
  const copy = fromConfig(cls, config) as unknown as optimizers.Adam;
  assert.ok(copy instanceof optimizers.Adam);
  assert.deepEqual(copy.getConfig(), config);
  // A config as Python Keras 3 writes it.
  const keras = {
    name: "adam",
    learning_rate: 0.001,
    weight_decay: null,
    clipnorm: null,
    global_clipnorm: null,
    clipvalue: null,
    use_ema: false,
    ema_momentum: 0.99,
    ema_overwrite_frequency: null,
    loss_scale_factor: null,
    gradient_accumulation_steps: null,
    beta_1: 0.9,
    beta_2: 0.999,
    epsilon: 1e-7,
    amsgrad: false,
  };
  const fromKeras = fromConfig(cls, keras) as unknown as optimizers.Adam;
  assert.equal(fromKeras.learningRate, 0.001);
  for (const name of ["SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax"]) {
    const o = optimizers.get(name.toLowerCase()) as optimizers.KerasOptimizer;
    const [c, f] = tf.serialization.SerializationMap.getMap().classNameMap[name];
    assert.deepEqual((f(c, o.getConfig()) as unknown as optimizers.KerasOptimizer).getConfig(), o.getConfig());
  }
});

test("a missing gradient is skipped; no gradient at all is an error", () => {
  const a = tf.variable(tf.ones([2]));
  const b = tf.variable(tf.ones([2]));
  const opt = new optimizers.SGD({ learningRate: 1 });
  const g = tf.ones([2]);
  opt.applyGradients([
    { name: a.name, tensor: g },
    { name: b.name, tensor: null as unknown as tf.Tensor },
  ]);
  assert.deepEqual(Array.from(a.dataSync()), [0, 0]);
  assert.deepEqual(Array.from(b.dataSync()), [1, 1]);
  assert.throws(() => opt.applyGradients({}), /No gradients provided for any variable/);
  tf.dispose([a, b, g]);
});

test("optimizers, callbacks and regularizers can be called without new, as Keras writes them", () => {
  const adam = optimizers.Adam({ learningRate: 0.01 });
  assert.ok(adam instanceof optimizers.Adam);
  assert.equal(adam.getConfig().learning_rate, 0.01);
  for (const make of [optimizers.SGD, optimizers.RMSprop, optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax]) {
    assert.ok(make() instanceof optimizers.KerasOptimizer);
  }
  const stop = callbacks.EarlyStopping({ monitor: "val_loss", patience: 3 });
  assert.ok(stop instanceof callbacks.EarlyStopping && stop instanceof callbacks.Callback);
  assert.throws(() => callbacks.ReduceLROnPlateau({ patiance: 2 } as never), /'patiance'.*'patience'/);
  assert.deepEqual((regularizers.L2(0.02) as unknown as { getConfig(): object }).getConfig(), { l2: 0.02 });
  // Subclassing still works on the callable classes.
  class Slow extends optimizers.SGD {}
  assert.ok(new Slow() instanceof optimizers.SGD);
});
