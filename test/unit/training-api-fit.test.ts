/**
 * The training loop's Keras contracts: exact batch logs (running means including batch b) on both
 * trainers, TerminateOnNaN stopping in the batch where the loss first becomes non-finite, stateful
 * metric objects in compile, and every options object rejecting unknown options with the closest name.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Sequential, callbacks, layers, losses, metrics, optimizers, tf } from "../../src/index";
import { tinyData, tinyModel } from "./models-helpers";

async function withEngine<T>(engine: "eager" | undefined, run: () => Promise<T>): Promise<T> {
  const saved = process.env.TSLAB_KERAS_ENGINE;
  if (engine) process.env.TSLAB_KERAS_ENGINE = engine;
  else delete process.env.TSLAB_KERAS_ENGINE;
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env.TSLAB_KERAS_ENGINE;
    else process.env.TSLAB_KERAS_ENGINE = saved;
  }
}

for (const engine of ["eager", undefined] as const) {
  test(`batch logs are exact running means including batch b (${engine ?? "compiled"} trainer)`, async () => {
    await withEngine(engine, async () => {
      const { x, y } = tinyData(20);
      const model = tinyModel();
      // lr 0: the weights never move, so the running mean after batch b is the loss of samples 0..(b+1)*4.
      model.compile({
        optimizer: new optimizers.SGD({ learningRate: 0 }),
        loss: "categorical_crossentropy",
        metrics: ["accuracy"],
      });
      const seen: { loss: number; accuracy: number }[] = [];
      const spy = new callbacks.LambdaCallback({
        onTrainBatchEnd: (_b, logs) => {
          seen.push({ loss: logs!.loss, accuracy: logs!.accuracy });
        },
      });
      const history = await model.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0, callbacks: [spy] });
      assert.equal(history.params.trainer, engine ?? "compiled");
      assert.equal(seen.length, 5);
      for (let b = 0; b < 5; b++) {
        const n = (b + 1) * 4;
        const [loss, acc] = (await model.evaluate(x.slice(0, n), y.slice(0, n), { verbose: 0 })) as number[];
        assert.ok(Math.abs(seen[b].loss - loss) < 1e-5, `batch ${b}: ${seen[b].loss} vs ${loss}`);
        assert.ok(Math.abs(seen[b].accuracy - acc) < 1e-6, `batch ${b} accuracy`);
      }
      tf.dispose([x, y]);
      model.dispose();
    });
  });

  test(`TerminateOnNaN stops in the batch where the loss first becomes non-finite (${engine ?? "compiled"})`, async (t) => {
    await withEngine(engine, async () => {
      const printed: string[] = [];
      t.mock.method(console, "log", (m: string) => printed.push(m));
      const n = 64;
      const x = tf.tensor2d(
        Array.from({ length: n * 4 }, (_, i) => Math.sin(i) * (engine === "eager" ? 10 : 1e30)),
        [n, 4],
      );
      const y = tf
        .oneHot(
          tf.tensor1d(
            Array.from({ length: n }, (_, i) => i % 3),
            "int32",
          ),
          3,
        )
        .toFloat();
      // Eager: a linear regression blows up to inf, then NaN. Compiled (cross-entropy only): huge inputs
      // overflow the logits.
      const model = engine === "eager" ? new Sequential([layers.Dense(3, { inputShape: [4] })]) : tinyModel();
      model.compile({
        optimizer: new optimizers.SGD({ learningRate: 1e6 }),
        loss: engine === "eager" ? "mse" : "categorical_crossentropy",
      });
      const losses: number[] = [];
      const spy = new callbacks.LambdaCallback({
        onTrainBatchEnd: (_b, logs) => {
          losses.push(logs!.loss);
        },
      });
      const history = await model.fit(x, y, {
        batchSize: 4,
        epochs: 5,
        shuffle: false,
        verbose: 0,
        callbacks: [spy, new callbacks.TerminateOnNaN()],
      });
      const first = losses.findIndex((l) => !Number.isFinite(l));
      assert.ok(first >= 0, `the loss diverged: ${losses.join(", ")}`);
      assert.equal(losses.length, first + 1, "no batch after the first non-finite loss");
      assert.ok(printed.includes(`Batch ${first % 16}: Invalid loss, terminating training`));
      assert.equal(history.epoch.length, first < 16 ? 1 : Math.floor(first / 16) + 1);
      tf.dispose([x, y]);
      model.dispose();
    });
  });
}

test("compile takes metric objects and loss objects; their state follows Keras (reset each epoch)", async () => {
  const { x, labels } = tinyData(12);
  const yBin = tf.tensor2d(Array.from(labels.dataSync(), (v) => [v === 0 ? 1 : 0]));
  const model = new Sequential([layers.Dense(1, { activation: "sigmoid", inputShape: [4] })]);
  const auc = metrics.AUC({ name: "auc" });
  model.compile({
    optimizer: new optimizers.Adam({ learningRate: 0.01 }),
    loss: losses.BinaryCrossentropy(),
    metrics: [auc, "precision", metrics.Recall({ thresholds: 0.4 })],
  });
  const history = await model.fit(x, yBin, { epochs: 2, batchSize: 4, verbose: 0 });
  assert.deepEqual(Object.keys(history.history), ["loss", "auc", "precision", "recall"]);
  const [, aucValue] = (await model.evaluate(x, yBin, { verbose: 0 })) as number[];
  // evaluate reset the user's AUC and left its state at the whole set's counts
  assert.ok(Math.abs(auc.resultValue() - aucValue) < 1e-6);
  // AUC, Precision and Recall are tfjs ops over their own variables: the traced compiled path takes them.
  assert.equal(history.params.trainer, "compiled");
  auc.dispose();
  tf.dispose([x, labels, yBin]);
  model.dispose();
});

test("fit, evaluate, predict and compile reject unknown options, naming the closest", async () => {
  const { x, y } = tinyData(8);
  const model = tinyModel();
  assert.throws(
    () => model.compile({ optimizer: "sgd", loss: "mse", metric: ["mae"] } as never),
    /compile: unknown option 'metric' — did you mean 'metrics'\?/,
  );
  model.compile({ optimizer: "sgd", loss: "categorical_crossentropy" });
  await assert.rejects(
    model.fit(x, y, { batch_size: 4 } as never),
    /^Error: fit: unknown option 'batch_size' — did you mean 'batchSize'\? Valid options: batchSize, epochs,/,
  );
  await assert.rejects(model.fit(x, y, { epoch: 2 } as never), /fit: unknown option 'epoch' — did you mean 'epochs'\?/);
  await assert.rejects(model.fit(x, y, { validation_freq: 2 } as never), /did you mean 'validationFreq'\?/);
  await assert.rejects(
    model.evaluate(x, y, { sample_weight: [1] } as never),
    /evaluate: unknown option 'sample_weight' — did you mean 'sampleWeight'\?/,
  );
  await assert.rejects(
    model.predict(x, { batchsize: 2 } as never),
    /predict: unknown option 'batchsize' — did you mean 'batchSize'\?/,
  );
  await assert.rejects(
    model.fit(x, y, { sampleWeight: [1, 1, 1, 1, 1, 1, 1, 1], classWeight: { 0: 2 } }),
    /You cannot `class_weight` and `sample_weight` at the same time/,
  );
  await assert.rejects(
    model.fit(x, y, { sampleWeight: [1, 2] }),
    /sampleWeight must hold one weight per sample, shape \(8,\)/,
  );
  await assert.rejects(model.fit(x, y, { validationFreq: 0 }), /validationFreq must be a positive integer/);
  tf.dispose([x, y]);
  model.dispose();
});
