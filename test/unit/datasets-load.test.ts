/**
 * The datasets as Keras returns them: shapes, dtypes, label ranges, first labels, class names,
 * subsets, and the sha256 of every cached file. Uses the real data in the default cache, which
 * `loadData` fills from the offline mirrors (npm, Debian) when empty (`npm run datasets` does it ahead).
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import {
  cifar10,
  datasetCacheDir,
  fashion_mnist,
  fashionMnist,
  mnist,
  sha256OfFile,
  SPECS,
} from "../../src/datasets/index";

const quiet = { progress: "none" } as const;

function labelRange(tensor: tf.Tensor): [number, number] {
  return [tensor.min().dataSync()[0], tensor.max().dataSync()[0]];
}

test("mnist.loadData: Keras shapes, int32 0-255 images, labels 0-9, first labels 5 0 4 1 9", async () => {
  const [[xTrain, yTrain], [xTest, yTest]] = await mnist.loadData(quiet);
  assert.deepEqual(xTrain.shape, [60000, 28, 28]);
  assert.deepEqual(yTrain.shape, [60000]);
  assert.deepEqual(xTest.shape, [10000, 28, 28]);
  assert.deepEqual(yTest.shape, [10000]);
  assert.equal(xTrain.dtype, "int32");
  assert.equal(yTrain.dtype, "int32");
  assert.deepEqual(labelRange(xTrain), [0, 255]);
  assert.deepEqual(labelRange(yTrain), [0, 9]);
  assert.deepEqual(labelRange(yTest), [0, 9]);
  assert.deepEqual(Array.from(yTrain.slice(0, 5).dataSync()), [5, 0, 4, 1, 9]);
  assert.deepEqual(Array.from(yTest.slice(0, 5).dataSync()), [7, 2, 1, 0, 4]);
  // Every class appears about a tenth of the time: the labels are not shuffled or truncated.
  assert.deepEqual(
    Array.from(tf.bincount(yTrain, tf.tensor1d([], "int32"), 10).dataSync()),
    [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  );
  [xTrain, yTrain, xTest, yTest].forEach((tensor) => tensor.dispose());
});

test("fashionMnist.loadData: shapes, labels, class names in Keras' order", async () => {
  assert.equal(fashion_mnist, fashionMnist);
  assert.deepEqual(fashionMnist.classNames, [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
  ]);
  const [[xTrain, yTrain], [xTest, yTest]] = await fashionMnist.loadData(quiet);
  assert.deepEqual(
    [xTrain.shape, yTrain.shape, xTest.shape, yTest.shape],
    [[60000, 28, 28], [60000], [10000, 28, 28], [10000]],
  );
  assert.deepEqual(labelRange(yTrain), [0, 9]);
  assert.deepEqual(Array.from(yTrain.slice(0, 10).dataSync()), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
  assert.deepEqual(Array.from(yTest.slice(0, 5).dataSync()), [9, 2, 1, 1, 6]);
  assert.equal(fashionMnist.classNames[yTrain.slice(0, 1).dataSync()[0]], "Ankle boot");
  [xTrain, yTrain, xTest, yTest].forEach((tensor) => tensor.dispose());
});

test("cifar10.loadData: x [n,32,32,3] RGB last, y [n,1], first test labels 3 8 8 0 6 6 1 6 3 1", async () => {
  assert.deepEqual(cifar10.classNames, [
    "airplane",
    "automobile",
    "bird",
    "cat",
    "deer",
    "dog",
    "frog",
    "horse",
    "ship",
    "truck",
  ]);
  const [[xTrain, yTrain], [xTest, yTest]] = await cifar10.loadData(quiet);
  assert.deepEqual(
    [xTrain.shape, yTrain.shape, xTest.shape, yTest.shape],
    [
      [50000, 32, 32, 3],
      [50000, 1],
      [10000, 32, 32, 3],
      [10000, 1],
    ],
  );
  assert.equal(xTrain.dtype, "int32");
  assert.equal(yTest.dtype, "int32");
  assert.deepEqual(labelRange(xTest), [0, 255]);
  assert.deepEqual(labelRange(yTrain), [0, 9]);
  assert.deepEqual(Array.from(yTest.slice([0, 0], [10, 1]).dataSync()), [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
  assert.deepEqual(Array.from(yTrain.slice([0, 0], [5, 1]).dataSync()), [6, 9, 9, 4, 1]);
  // Each class is exactly a tenth of each split.
  assert.deepEqual(
    Array.from(tf.bincount(yTest.flatten(), tf.tensor1d([], "int32"), 10).dataSync()),
    Array(10).fill(1000),
  );
  [xTrain, yTrain, xTest, yTest].forEach((tensor) => tensor.dispose());
});

test("cifar10 pixels are in Keras' HWC order (checked against the binary batch's planes)", async () => {
  const [, [xTest]] = await cifar10.loadArrays({ ...quiet, limit: 2 });
  const dir = datasetCacheDir("cifar10");
  const { readFile } = await import("node:fs/promises");
  const batch = await readFile(path.join(dir, "test_batch.bin"));
  const record = 3073; // second image
  for (const [row, col] of [
    [0, 0],
    [5, 17],
    [31, 31],
  ]) {
    const p = row * 32 + col;
    const hwc = xTest.data.subarray(3072 + p * 3, 3072 + p * 3 + 3);
    assert.deepEqual(Array.from(hwc), [batch[record + 1 + p], batch[record + 1025 + p], batch[record + 2049 + p]]);
  }
});

test("limit / testLimit take the first examples; loadArrays gives Uint8Arrays with shapes", async () => {
  const [[x, y], [xt, yt]] = await mnist.loadArrays({ ...quiet, limit: 100, testLimit: 7 });
  assert.ok(x.data instanceof Uint8Array);
  assert.deepEqual([x.shape, y.shape, xt.shape, yt.shape], [[100, 28, 28], [100], [7, 28, 28], [7]]);
  assert.equal(x.data.length, 100 * 784);
  assert.deepEqual(Array.from(y.data.subarray(0, 5)), [5, 0, 4, 1, 9]);

  const [[cx, cy], [cxt, cyt]] = await cifar10.loadData({ ...quiet, limit: 12000, testLimit: 10, dtype: "float32" });
  assert.deepEqual(
    [cx.shape, cy.shape, cxt.shape, cyt.shape],
    [
      [12000, 32, 32, 3],
      [12000, 1],
      [10, 32, 32, 3],
      [10, 1],
    ],
  );
  assert.equal(cx.dtype, "float32");
  assert.equal(cy.dtype, "int32");
  assert.deepEqual(Array.from(cyt.dataSync()), [3, 8, 8, 0, 6, 6, 1, 6, 3, 1]);
  [cx, cy, cxt, cyt].forEach((tensor) => tensor.dispose());

  const [[, ly]] = await mnist.loadArrays({ ...quiet, limit: 10 ** 9 });
  assert.equal(ly.shape[0], 60000);
  await assert.rejects(mnist.loadArrays({ ...quiet, limit: -1 }), /limit must be a non-negative integer/);
});

test("every cached file matches dataset-checksums.md (and verify: true accepts them)", async () => {
  for (const spec of Object.values(SPECS)) {
    await (spec.name === "mnist" ? mnist : spec.name === "cifar10" ? cifar10 : fashionMnist).download({
      ...quiet,
      verify: true,
    });
    for (const file of spec.files) {
      assert.equal(
        await sha256OfFile(path.join(datasetCacheDir(spec.name), file.name)),
        file.sha256,
        `${spec.name}/${file.name}`,
      );
    }
  }
});
