/**
 * The layers of issue #13 against Python Keras 3 (test/fixtures/golden/layers-more.json, written by
 * scripts/golden/layers_more.py): per model, Keras' parameter counts and output shapes per layer, the
 * output for a fixed input with the fixture's weights, and for a few models the weights after one SGD
 * step. Also Normalization.adapt's statistics.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Sequential, layers, optimizers, tf } from "../../src/index";
import type { Layer } from "../../src/layers/index";

type Spec = [string, ...unknown[]];
interface Case {
  name: string;
  ts: Spec[];
  input_shape: number[];
  layers: { name: string; class: string; params: number; output_shape: (number | null)[] }[];
  trainable: number;
  non_trainable: number;
  weight_shapes: number[][];
  weights: number[][];
  x: unknown;
  y: unknown;
}
interface TrainCase {
  name: string;
  ts: Spec[];
  input_shape: number[];
  learning_rate: number;
  weights: number[][];
  x: unknown;
  y: number[][];
  loss: number;
  weights_after: number[][];
}
interface Fixture {
  cases: Case[];
  training: TrainCase[];
  normalization_adapt: Record<string, number[] | number[][] | number[][][] | number>;
  augmentation: { name: string; ts: Spec; x: number[][][][]; y: number[][][][] }[];
}
const fixture = JSON.parse(
  readFileSync(join(__dirname, "..", "fixtures", "golden", "layers-more.json"), "utf8"),
) as Fixture;

const isSpec = (a: unknown): a is Spec => Array.isArray(a) && typeof a[0] === "string";

/** A layer from `[factory, ...args]` (nested specs are layers). */
function build(spec: Spec): Layer {
  const [name, ...args] = spec;
  const factory = (layers as unknown as Record<string, (...a: unknown[]) => Layer>)[name];
  assert.equal(typeof factory, "function", `layers.${name} exists`);
  return factory(...args.map((a) => (isSpec(a) ? build(a) : a)));
}

function model(specs: Spec[], inputShape: number[]): Sequential {
  return new Sequential([layers.Input(inputShape), ...specs.map(build)]);
}

function assertClose(actual: ArrayLike<number>, expected: number[], what: string, tol = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const ok = Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i]));
    assert.ok(ok, `${what}[${i}]: got ${actual[i]}, Keras ${expected[i]}`);
  }
}

const flat = (v: unknown): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v as number]);

function weightsOf(values: number[][], m: Sequential): tf.Tensor[] {
  const shapes = m.getWeights();
  const out = values.map((v, i) => tf.tensor(v, shapes[i].shape));
  tf.dispose(shapes);
  return out;
}

for (const c of fixture.cases) {
  test(`${c.name}: parameter counts, output shapes and outputs match Keras`, async () => {
    const before = tf.memory().numTensors;
    const m = model(c.ts, c.input_shape);
    m.layers.forEach((layer, i) => {
      const k = c.layers[i];
      assert.equal(layer.getClassName(), k.class, `layer ${i} class`);
      assert.equal(layer.countParams(), k.params, `${k.class} parameter count`);
      assert.deepEqual(layer.outputShape, k.output_shape, `${k.class} output shape`);
    });
    const lines: string[] = [];
    m.summary({ printFn: (l) => lines.push(l) });
    const totals = lines.filter((l) => /params:/.test(l)).join("\n");
    assert.match(totals, new RegExp(`Trainable params: ${c.trainable.toLocaleString("en-US")} `));
    assert.match(totals, new RegExp(`Non-trainable params: ${c.non_trainable.toLocaleString("en-US")} `));
    if (c.weights.length > 0) {
      const ws = weightsOf(c.weights, m);
      m.setWeights(ws);
      tf.dispose(ws);
    }
    const x = tf.tensor(flat(c.x), [flat(c.x).length / c.input_shape.reduce((a, b) => a * b, 1), ...c.input_shape]);
    const y = await m.predict(x);
    assertClose(y.dataSync(), flat(c.y), "output", 2e-5);
    tf.dispose([x, y]);
    m.dispose();
    assert.equal(tf.memory().numTensors, before, "no tensors leaked");
  });
}

for (const c of fixture.training) {
  for (const path of ["compiled", "eager"] as const) {
    test(`${c.name}: one SGD step gives Keras' weights (${path} path)`, async () => {
      const saved = process.env.TSLAB_KERAS_ENGINE;
      if (path === "eager") process.env.TSLAB_KERAS_ENGINE = "eager";
      try {
        const m = model(c.ts, c.input_shape);
        const ws = weightsOf(c.weights, m);
        m.setWeights(ws);
        tf.dispose(ws);
        m.compile({ optimizer: new optimizers.SGD({ learningRate: c.learning_rate }), loss: "mse" });
        const n = c.y.length;
        const x = tf.tensor(flat(c.x), [n, ...c.input_shape]);
        const y = tf.tensor2d(c.y);
        const h = await m.fit(x, y, { batchSize: n, epochs: 1, shuffle: false, verbose: 0 });
        if (saved !== "eager") assert.equal(h.params.trainer, path, "the trainer this test means to check");
        assertClose([h.history.loss[0] as number], [c.loss], "loss", 1e-5);
        const after = m.getWeights();
        after.forEach((w, i) => assertClose(w.dataSync(), c.weights_after[i], `weight ${i} after one step`, 1e-4));
        tf.dispose([...after, x, y]);
        m.dispose();
      } finally {
        if (saved === undefined) delete process.env.TSLAB_KERAS_ENGINE;
        else process.env.TSLAB_KERAS_ENGINE = saved;
      }
    });
  }
}

test("Normalization.adapt computes Keras' mean and variance (per feature, per position, global)", () => {
  const f = fixture.normalization_adapt;
  const layer = layers.Normalization();
  layer.adapt(tf.tensor2d(f.data as number[][]));
  assertClose(layer.adaptMean!.read().dataSync(), f.mean as number[], "mean");
  assertClose(layer.adaptVariance!.read().dataSync(), f.variance as number[], "variance", 1e-5);
  const x = tf.tensor2d(f.x as number[][]);
  const y = layer.apply(x) as tf.Tensor;
  assertClose(y.dataSync(), flat(f.y), "output");
  assert.equal(layer.countParams(), f.params);

  const perAxis = layers.Normalization({ axis: [1, 2] });
  perAxis.adapt(f.per_axis_data as number[][][]);
  assertClose(perAxis.adaptMean!.read().dataSync(), f.per_axis_mean as number[], "per-position mean");
  assertClose(perAxis.adaptVariance!.read().dataSync(), f.per_axis_variance as number[], "per-position variance");

  const global = layers.Normalization({ axis: null });
  global.adapt(f.data as number[][]);
  assertClose(global.adaptMean!.read().dataSync(), f.global_mean as number[], "global mean");
  assertClose(global.adaptVariance!.read().dataSync(), f.global_variance as number[], "global variance");
  tf.dispose([x, y]);
  for (const l of [layer, perAxis, global]) for (const w of l.weights) w.dispose();
});

for (const c of fixture.augmentation) {
  test(`augmentation ${c.name}: Keras' transform in training (one-point factor range)`, () => {
    const layer = build(c.ts);
    const x = tf.tensor4d(c.x);
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    assertClose(y.dataSync(), flat(c.y), "output", 1e-4);
    const inference = layer.apply(x, { training: false }) as tf.Tensor;
    assertClose(inference.dataSync(), flat(c.x), "inference passes through");
    tf.dispose([x, y, inference]);
  });
}
