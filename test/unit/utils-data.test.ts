import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import * as utils from "../../src/utils/index";

test("toCategorical one-hot encodes, squeezes (N, 1) labels and infers the class count", () => {
  const a = utils.toCategorical([2, 0, 1]);
  assert.deepEqual(a.shape, [3, 3]);
  assert.deepEqual(a.arraySync(), [
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 0],
  ]);
  const b = utils.toCategorical(tf.tensor2d([[1], [3]]), 5);
  assert.deepEqual(b.arraySync(), [
    [0, 1, 0, 0, 0],
    [0, 0, 0, 1, 0],
  ]);
  tf.dispose([a, b]);
});

test("toCategorical rejects labels out of range or non-integer", () => {
  assert.throws(() => utils.toCategorical([0, 10], 10), /label 10 is out of range for numClasses=10/);
  assert.throws(() => utils.toCategorical([0.5]), /integers >= 0/);
});

test("argmax: flattened index without axis (like np.argmax), tensor with axis", () => {
  assert.equal(utils.argmax(tf.tensor2d([[0.1, 0.7, 0.2]])), 1);
  const t = utils.argmax(
    tf.tensor2d([
      [1, 3],
      [5, 2],
    ]),
    -1,
  );
  assert.deepEqual(t.arraySync(), [1, 0]);
  t.dispose();
});

test("trainTestSplit is deterministic per randomState and partitions the samples", () => {
  const x = tf.range(0, 10).reshape([10, 1]);
  const y = tf.range(100, 110);
  const [xtr, xte, ytr, yte] = utils.trainTestSplit(x, y, { testSize: 0.3, randomState: 777 });
  assert.deepEqual([xtr.shape[0], xte.shape[0], ytr.shape[0], yte.shape[0]], [7, 3, 7, 3]);
  const all = [...(xtr.dataSync() as Float32Array), ...(xte.dataSync() as Float32Array)].sort((a, b) => a - b);
  assert.deepEqual(all, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  // rows stay paired
  assert.deepEqual(
    [...ytr.dataSync()].map((v) => v - 100),
    [...xtr.dataSync()],
  );
  const again = utils.trainTestSplit(x, y, { testSize: 0.3, randomState: 777 });
  assert.deepEqual(again[1].arraySync(), xte.arraySync());
  const other = utils.trainTestSplit(x, y, { testSize: 0.3, randomState: 1 });
  assert.notDeepEqual(other[1].arraySync(), xte.arraySync());
  tf.dispose([x, y, xtr, xte, ytr, yte, ...again, ...other]);
});

test("trainTestSplit rejects mismatched lengths", () => {
  assert.throws(() => utils.trainTestSplit([[1], [2]], [1, 2, 3]), /x has 2 samples but y has 3/);
});

test("normalize standardises over the given axes and reuses statistics", () => {
  const x = tf.tensor4d([1, 2, 3, 5, 7, 9, 2, 4], [2, 2, 1, 2]);
  const { x: z, mean, std } = utils.normalize(x, { axis: [0, 1, 2] });
  const m = tf.moments(z, [0, 1, 2]);
  for (const v of m.mean.dataSync()) assert.ok(Math.abs(v) < 1e-6);
  for (const v of m.variance.dataSync()) assert.ok(Math.abs(v - 1) < 1e-5);
  assert.deepEqual([...mean.dataSync()], [3.25, 5]);
  const { x: z2 } = utils.normalize(x, { mean, std });
  assert.deepEqual(z2.arraySync(), z.arraySync());
  tf.dispose([x, z, mean, std, m.mean, m.variance, z2]);
});

test("minMaxScale matches lesson 003's MinMaxScaler: (x - min) / (max - min + 1e-5) per column", () => {
  const s = utils.minMaxScale([
    [1, 10],
    [3, 30],
    [2, 20],
  ]);
  const v = s.arraySync() as number[][];
  assert.ok(Math.abs(v[1][0] - 2 / (2 + 1e-5)) < 1e-6);
  assert.equal(v[0][1], 0);
  assert.ok(Math.abs(v[2][1] - 10 / (20 + 1e-5)) < 1e-6);
  s.dispose();
});
