/**
 * utils.meanStd against float64 references computed here, on data large enough that TensorFlow's float32
 * reduction visibly fails (a per-channel sum past 2^32 stops growing), and against CIFAR-10's known
 * channel statistics when the dataset is cached.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as utils from "../../src/utils/index";
import { datasetCacheDir, SPECS, cifar10 } from "../../src/datasets/index";

/** float64 mean and population std of `n` values `value(i)`. */
function reference(n: number, value: (i: number) => number): { mean: number; std: number } {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += value(i);
  const mean = sum / n;
  let m2 = 0;
  for (let i = 0; i < n; i++) m2 += (value(i) - mean) ** 2;
  return { mean, std: Math.sqrt(m2 / n) };
}

test("meanStd is exact where TensorFlow's float32 per-channel mean over 6 M values is not", () => {
  const before = tf.memory().numTensors;
  // Two channels of 6 M values each, reduced over the leading axes as lesson 004 reduces CIFAR-10's.
  const n = 6_000_000;
  const value = (i: number) => 200 + ((i * 7919) % 101);
  const data = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) data[i] = value(i);
  const x = tf.tensor(data, [n / 1000, 1000, 2]);
  const refs = [0, 1].map((c) => reference(n, (i) => value(2 * i + c)));

  const float32Mean = tf.tidy(() => Array.from(x.mean([0, 1]).dataSync()));
  assert.ok(
    Math.abs(float32Mean[0] - refs[0].mean) > 0.5,
    `float32 mean ${float32Mean[0]} vs ${refs[0].mean}: the data should be large enough to show the float32 error`,
  );
  const { mean, std } = utils.meanStd(x, { axis: [0, 1] });
  assert.deepEqual(mean.shape, [2]);
  for (const c of [0, 1]) {
    assert.ok(
      Math.abs(mean.dataSync()[c] - refs[c].mean) < 1e-4,
      `mean[${c}] ${mean.dataSync()[c]} vs ${refs[c].mean}`,
    );
    assert.ok(Math.abs(std.dataSync()[c] - refs[c].std) < 1e-4, `std[${c}] ${std.dataSync()[c]} vs ${refs[c].std}`);
  }
  tf.dispose([x, mean, std]);
  assert.equal(tf.memory().numTensors, before);
});

test("meanStd reduces any axes as NumPy does (negative axes, keepDims, chunks, int32, axis 0 kept)", () => {
  const before = tf.memory().numTensors;
  const shape = [7, 3, 4];
  const value = (i: number) => ((i * 37) % 23) - 5.5;
  const flat = Array.from({ length: 7 * 3 * 4 }, (_, i) => value(i));
  const x = tf.tensor(flat, shape);
  const at = (a: number, b: number, c: number) => flat[a * 12 + b * 4 + c];
  const close = (actual: ArrayLike<number>, expected: number[], what: string) => {
    assert.equal(actual.length, expected.length, what);
    for (let i = 0; i < expected.length; i++)
      assert.ok(Math.abs(actual[i] - expected[i]) < 1e-5, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  };
  const stats = (values: number[]) => reference(values.length, (i) => values[i]);

  // Per last axis (channels), in chunks of one row: axis 0 reduced across chunks.
  const lastAxis = [0, 1, 2, 3].map((c) => stats([...Array(21)].map((_, k) => at(Math.floor(k / 3), k % 3, c))));
  for (const options of [{ axis: [0, 1] }, { axis: [-3, -2], chunkElements: 1 }]) {
    const r = utils.meanStd(x, options);
    assert.deepEqual(r.mean.shape, [4]);
    close(
      r.mean.dataSync(),
      lastAxis.map((s) => s.mean),
      `mean ${JSON.stringify(options)}`,
    );
    close(
      r.std.dataSync(),
      lastAxis.map((s) => s.std),
      `std ${JSON.stringify(options)}`,
    );
    tf.dispose([r.mean, r.std]);
  }
  // Axis 0 kept (per sample), chunked: each chunk owns its rows' outputs.
  const perSample = [...Array(7)].map((_, a) => stats([...Array(12)].map((_, k) => at(a, Math.floor(k / 4), k % 4))));
  const r0 = utils.meanStd(x, { axis: [1, 2], chunkElements: 24, keepDims: true });
  assert.deepEqual(r0.mean.shape, [7, 1, 1]);
  close(
    r0.mean.dataSync(),
    perSample.map((s) => s.mean),
    "per-sample mean",
  );
  close(
    r0.std.dataSync(),
    perSample.map((s) => s.std),
    "per-sample std",
  );
  // Every axis (default), int32 input.
  const xi = tf.tensor([1, 2, 3, 4, 10], [5], "int32");
  const all = utils.meanStd(xi);
  assert.deepEqual(all.mean.shape, []);
  close(all.mean.dataSync(), [4], "int mean");
  close(all.std.dataSync(), [stats([1, 2, 3, 4, 10]).std], "int std");
  tf.dispose([x, xi, r0.mean, r0.std, all.mean, all.std]);
  assert.equal(tf.memory().numTensors, before);
});

test("meanStd names a bad axis or an empty input", () => {
  const x = tf.zeros([2, 3]);
  assert.throws(
    () => utils.meanStd(x, { axis: 2 }),
    /meanStd: axis 2 is out of range for a tensor of rank 2 \(valid: -2…1\)/,
  );
  assert.throws(() => utils.meanStd(x, { axis: [0, -2] }), /repeats an axis/);
  assert.throws(() => utils.meanStd(tf.zeros([0, 3])), /x is empty/);
  x.dispose();
});

test("utils.normalize standardises with the exact statistics too", () => {
  const x = tf.fill([6000, 1000, 2], 250);
  const { x: z, mean, std } = utils.normalize(x, { axis: [0, 1] });
  assert.deepEqual(Array.from(mean.dataSync()), [250, 250]); // tf.moments gives 249.2 here
  assert.deepEqual(Array.from(std.dataSync()), [0, 0]);
  tf.dispose([x, z, mean, std]);
});

const cifarCached = SPECS.cifar10.files.every((f) => fs.existsSync(path.join(datasetCacheDir("cifar10"), f.name)));

test(
  "CIFAR-10's per-channel statistics (when the dataset is cached)",
  { skip: !cifarCached && "CIFAR-10 is not cached" },
  async () => {
    const [[xTrain, yTrain], [xTest, yTest]] = await cifar10.loadData();
    const { mean, std } = utils.meanStd(xTrain, { axis: [0, 1, 2] });
    // The well-known values (NumPy, float64, over the 50,000 training images).
    const expectedMean = [125.307, 122.95, 113.865];
    const expectedStd = [62.993, 62.089, 66.705];
    mean.dataSync().forEach((m, c) => assert.ok(Math.abs(m - expectedMean[c]) < 0.01, `mean[${c}] ${m}`));
    std.dataSync().forEach((s, c) => assert.ok(Math.abs(s - expectedStd[c]) < 0.01, `std[${c}] ${s}`));
    tf.dispose([xTrain, yTrain, xTest, yTest, mean, std]);
  },
);
