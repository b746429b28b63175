/**
 * The random layers (GaussianNoise, SpatialDropout1D/2D, RandomFlip/Rotation/Zoom/Translation, RNN
 * dropout): identity in inference, random in training, reproducible under utils.setRandomSeed, fresh
 * draws after every training step (advanceRandomStep), Keras' semantics (spatial masks shared along
 * steps, flips of whole images), and no tensor leaks.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Sequential, layers, optimizers, tf, utils } from "../../src/index";
import { advanceRandomStep, randomStep } from "../../src/backend/random";
import type { Layer } from "../../src/layers/index";

const image = () => tf.tidy(() => tf.reshape(tf.range(0, 2 * 6 * 6 * 1), [2, 6, 6, 1]).div(10));

const CASES: [string, () => Layer, () => tf.Tensor][] = [
  ["GaussianNoise", () => layers.GaussianNoise(0.5), () => tf.ones([4, 8])],
  ["SpatialDropout1D", () => layers.SpatialDropout1D(0.5), () => tf.ones([4, 5, 8])],
  ["SpatialDropout2D", () => layers.SpatialDropout2D(0.5), () => tf.ones([4, 3, 3, 8])],
  ["RandomFlip", () => layers.RandomFlip(), image],
  ["RandomRotation", () => layers.RandomRotation(0.2), image],
  ["RandomZoom", () => layers.RandomZoom(0.3), image],
  ["RandomTranslation", () => layers.RandomTranslation(0.3, 0.3), image],
  ["LSTM dropout", () => layers.LSTM(3, { dropout: 0.5, recurrentDropout: 0.5 }), () => tf.ones([4, 5, 2])],
  ["GRU dropout", () => layers.GRU(3, { dropout: 0.5 }), () => tf.ones([4, 5, 2])],
];

const run = (layer: Layer, x: tf.Tensor, training: boolean) => layer.apply(x, { training }) as tf.Tensor;
const same = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.all(tf.equal(a, b)).dataSync()[0] === 1);

for (const [name, make, input] of CASES) {
  test(`${name}: off in inference, on in training, seeded, fresh each step, no leaks`, () => {
    const x = input();
    utils.setRandomSeed(7);
    const layer = make();
    utils.setRandomSeed(7);
    const twin = make();
    utils.clearRandomSeed();
    run(layer, x, false).dispose(); // builds
    run(twin, x, false).dispose();
    twin.setWeights(layer.getWeights()); // tfjs' Layer.getWeights returns the variables' own tensors
    randomStep(); // the step counter is created once, on first use
    const before = tf.memory().numTensors;

    const inference = run(layer, x, false);
    const inferenceTwin = run(twin, x, false);
    assert.ok(same(inference, inferenceTwin), "inference is deterministic");
    if (!name.includes("dropout")) assert.ok(same(inference, x), "inference passes the input through");

    const a = run(layer, x, true);
    const b = run(twin, x, true);
    assert.ok(!same(a, inference), "training changes the output");
    assert.ok(same(a, b), "the same seed gives the same draw");
    const again = run(layer, x, true);
    assert.ok(same(a, again), "the same step gives the same draw");
    advanceRandomStep();
    const next = run(layer, x, true);
    assert.ok(!same(a, next), "the next step draws new values");
    tf.dispose([inference, inferenceTwin, a, b, again, next]);
    assert.equal(tf.memory().numTensors, before, "no tensors leaked");
    x.dispose();
    layer.dispose();
    twin.dispose();
  });
}

test("SpatialDropout1D drops whole channels (shared along steps) and scales kept ones by 1/(1-rate)", () => {
  const layer = layers.SpatialDropout1D(0.5);
  const y = layer.apply(tf.ones([6, 7, 20]), { training: true }) as tf.Tensor;
  const v = y.arraySync() as number[][][];
  for (const sample of v)
    for (let c = 0; c < 20; c++) {
      const col = sample.map((step) => step[c]);
      assert.ok(
        col.every((e) => e === col[0]),
        "one value per channel",
      );
      assert.ok(col[0] === 0 || Math.abs(col[0] - 2) < 1e-6, `kept values are scaled: ${col[0]}`);
    }
  y.dispose();
});

test("RandomFlip flips whole images: each output is the input or its mirror", () => {
  const x = image();
  const y = layers.RandomFlip("horizontal").apply(x, { training: true }) as tf.Tensor;
  const flipped = tf.reverse(x, 2);
  for (let i = 0; i < 2; i++) {
    const yi = tf.slice(y, [i], [1]);
    assert.ok(same(yi, tf.slice(x, [i], [1])) || same(yi, tf.slice(flipped, [i], [1])), `image ${i}`);
  }
  tf.dispose([x, y, flipped]);
});

test("GaussianNoise's noise has the requested standard deviation", () => {
  const y = layers.GaussianNoise(0.5).apply(tf.zeros([200, 50]), { training: true }) as tf.Tensor;
  const { mean, variance } = tf.moments(y);
  assert.ok(Math.abs(mean.dataSync()[0]) < 0.02, "mean 0");
  assert.ok(Math.abs(Math.sqrt(variance.dataSync()[0]) - 0.5) < 0.02, "stddev 0.5");
  tf.dispose([y, mean, variance]);
});

async function augmentedFit(seed: number): Promise<{ losses: number[]; predictSame: boolean }> {
  utils.setRandomSeed(seed);
  const model = new Sequential([
    layers.Input([6, 6, 1]),
    layers.RandomRotation(0.3),
    layers.GaussianNoise(0.2),
    layers.Flatten(),
    layers.Dense(1, { kernelInitializer: "ones" }),
  ]);
  // learning rate 0: the weights never change, so the losses differ only through the random layers.
  model.compile({ optimizer: new optimizers.SGD({ learningRate: 0 }), loss: "mse" });
  const x = image();
  const y = tf.zeros([2, 1]);
  const p1 = await model.predict(x);
  const p2 = await model.predict(x);
  const predictSame = same(p1, p2);
  const h = await model.fit(x, y, { epochs: 4, batchSize: 2, verbose: 0, shuffle: false });
  utils.clearRandomSeed();
  tf.dispose([x, y, p1, p2]);
  model.dispose();
  return { losses: h.history.loss as number[], predictSame };
}

test("fit draws fresh augmentation every step, reproducibly under setRandomSeed; predict does not augment", async () => {
  const a = await augmentedFit(3);
  const b = await augmentedFit(3);
  const c = await augmentedFit(4);
  assert.ok(a.predictSame, "predict is deterministic");
  assert.equal(new Set(a.losses).size, a.losses.length, `each step draws new values: ${a.losses}`);
  assert.deepEqual(a.losses, b.losses, "the same seed reproduces the run");
  assert.notDeepEqual(a.losses, c.losses, "another seed gives other draws");
});

test("an augmentation block called as Keras' data_augmentation(images, training=True) augments afresh each call", () => {
  const augmentation = new Sequential([layers.RandomTranslation(0.3, 0.3)], { name: "augmentation" });
  const x = image();
  const numTensors = tf.memory().numTensors;
  const plain = augmentation(x);
  assert.deepEqual(plain.arraySync(), x.arraySync());
  // Each call in training mode is a new draw (a Keras SeedGenerator advances per call), reproducible from a seed
  const draws = () => {
    utils.setRandomSeed(5);
    const step = randomStep().dataSync()[0];
    const [a, b] = [augmentation(x, { training: true }), augmentation(x, { training: true })];
    const out = [a.arraySync(), b.arraySync(), randomStep().dataSync()[0] - step];
    tf.dispose([a, b]);
    return out;
  };
  const [first, second, advanced] = draws();
  assert.notDeepEqual(first, x.arraySync());
  assert.notDeepEqual(second, first);
  assert.equal(advanced, 2);
  assert.deepEqual(draws().slice(0, 2), [first, second]);
  // A single layer called on data in training mode draws afresh too
  const flip = layers.RandomTranslation(0.3, 0.3);
  const [f1, f2] = [flip(x, { training: true }), flip(x, { training: true })];
  assert.notDeepEqual(f1.arraySync(), f2.arraySync());
  assert.throws(
    () => augmentation(x, { trainng: true } as never),
    /augmentation\(x, options\): unknown option 'trainng' — did you mean 'training'\?/,
  );
  tf.dispose([plain, f1, f2]);
  assert.equal(tf.memory().numTensors, numTensors);
  x.dispose();
  augmentation.dispose();
});
