/** Initializers' API: names, seeding from the global seed, Python-style calls, shapes and fans. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { clearRandomSeed, setRandomSeed } from "../../src/random";
import { tf } from "../../src/tf";
import * as initializers from "../../src/initializers/index";

const values = (init: initializers.Initializer, shape: number[]) => {
  const t = init.apply(shape, "float32");
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
};

test("setRandomSeed makes initializers reproducible; without it they differ", () => {
  setRandomSeed(42);
  const a = [values(initializers.get("glorot_uniform"), [4, 3]), values(initializers.get("he_normal"), [4, 3])];
  setRandomSeed(42);
  const b = [values(initializers.get("glorot_uniform"), [4, 3]), values(initializers.get("he_normal"), [4, 3])];
  assert.deepEqual(a, b);
  const init = initializers.get("random_normal");
  assert.notDeepEqual(values(init, [5]), values(init, [5]), "each call draws a new seed");
  clearRandomSeed();
  const c = values(initializers.get("glorot_uniform"), [4, 3]);
  const d = values(initializers.get("glorot_uniform"), [4, 3]);
  assert.notDeepEqual(c, d);
});

test("an explicit seed gives the same values every call", () => {
  const init = initializers.GlorotUniform({ seed: 7 });
  assert.deepEqual(values(init, [3, 3]), values(init, [3, 3]));
  assert.deepEqual(init.getConfig(), { seed: 7 });
});

test("classes work with and without `new`, and as camelCase factories", () => {
  const a = initializers.HeNormal({ seed: 1 });
  const b = new initializers.HeNormal({ seed: 1 });
  const c = initializers.heNormal({ seed: 1 });
  assert.ok(a instanceof initializers.HeNormal && a instanceof initializers.InitializerBase);
  assert.deepEqual(values(a, [2, 2]), values(b, [2, 2]));
  assert.deepEqual(values(a, [2, 2]), values(c, [2, 2]));
  assert.equal(a.getClassName(), "HeNormal");
});

test("get() knows Keras' names, class names, Keras 2 aliases and tfjs' camelCase", () => {
  const cases: [string, string][] = [
    ["glorot_uniform", "GlorotUniform"],
    ["GlorotNormal", "GlorotNormal"],
    ["glorotUniform", "GlorotUniform"],
    ["he_uniform", "HeUniform"],
    ["lecun_normal", "LecunNormal"],
    ["LeCunUniform", "LecunUniform"],
    ["uniform", "RandomUniform"],
    ["normal", "RandomNormal"],
    ["truncated_normal", "TruncatedNormal"],
    ["zeros", "Zeros"],
    ["ones", "Ones"],
    ["constant", "Constant"],
    ["orthogonal", "Orthogonal"],
    ["identity", "Identity"],
  ];
  for (const [name, cls] of cases) assert.equal(initializers.get(name).getClassName(), cls, name);
  assert.deepEqual(initializers.get("uniform").getConfig(), { seed: null, minval: -0.05, maxval: 0.05 });
  assert.deepEqual(initializers.get("random_normal").getConfig(), { seed: null, mean: 0, stddev: 0.05 });
  const z = initializers.zeros();
  assert.equal(initializers.get(z), z);
  assert.throws(
    () => initializers.get("glorot_unifrom"),
    /Could not interpret initializer identifier: 'glorot_unifrom'\. Valid names: 'glorot_uniform',/,
  );
});

test("constant, ones, zeros and identity fill as Keras does", () => {
  assert.deepEqual(values(initializers.Constant({ value: 0.25 }), [2]), [0.25, 0.25]);
  assert.deepEqual(values(initializers.Constant(3), [1]), [3]);
  assert.deepEqual(values(initializers.get("ones"), [2]), [1, 1]);
  assert.deepEqual(values(initializers.Identity({ gain: 2 }), [2, 3]), [2, 0, 0, 0, 2, 0]);
});

test("orthogonal gives orthonormal columns (tall) or rows (wide)", () => {
  for (const shape of [
    [6, 4],
    [4, 6],
    [3, 3, 2, 8],
  ]) {
    const w = initializers.Orthogonal({ seed: 3 }).apply(shape, "float32");
    const m = w.reshape([-1, shape[shape.length - 1]]) as tf.Tensor2D;
    const gram = m.shape[0] >= m.shape[1] ? tf.matMul(m, m, true, false) : tf.matMul(m, m, false, true);
    const eye = tf.eye(gram.shape[0]);
    const err = tf.max(tf.abs(tf.sub(gram, eye))).dataSync()[0];
    assert.ok(err < 1e-5, `[${shape}]: |W'W - I| = ${err}`);
    tf.dispose([w, m, gram, eye]);
  }
});

test("fans follow Keras for dense and conv kernels; VarianceScaling's limits use them", () => {
  assert.deepEqual(initializers.computeFans([784, 256]), [784, 256]);
  assert.deepEqual(initializers.computeFans([3, 3, 16, 32]), [144, 288]);
  const limit = Math.sqrt(6 / (144 + 288));
  const v = values(initializers.GlorotUniform({ seed: 5 }), [3, 3, 16, 32]);
  assert.ok(Math.max(...v.map(Math.abs)) <= limit + 1e-7);
  assert.ok(Math.max(...v.map(Math.abs)) > 0.95 * limit);
});

test("tfjs layers accept them and saved configs reload as these classes", () => {
  const layer = tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: initializers.get("ones") });
  const x = tf.ones([1, 3]);
  const y = layer.apply(x) as tf.Tensor;
  assert.deepEqual(Array.from(layer.getWeights()[0].dataSync()), [1, 1, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(y.dataSync()), [3, 3]);
  tf.dispose([x, y]);
  layer.dispose();
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const init of [
    initializers.GlorotUniform({ seed: 2 }),
    initializers.RandomUniform({ minval: -1, maxval: 1 }),
    initializers.VarianceScaling({ scale: 2, mode: "fan_out", distribution: "uniform" }),
  ]) {
    const [cls, fromConfig] = map[init.getClassName()];
    const copy = fromConfig(cls, init.getConfig()) as unknown as initializers.Initializer;
    assert.equal(copy.getClassName(), init.getClassName());
    assert.deepEqual(copy.getConfig(), init.getConfig());
  }
  // tfjs-layers converts Keras' snake_case values to camelCase when it loads a Python config.
  const vs = new initializers.VarianceScaling({ mode: "fanAvg", distribution: "truncatedNormal" });
  assert.deepEqual([vs.mode, vs.distribution], ["fan_avg", "truncated_normal"]);
});
