/**
 * LearningRateScheduler, CSVLogger and BackupAndRestore against Python Keras 3
 * (test/fixtures/golden/callbacks_training.json): the scheduler's messages and History, the CSV file's
 * columns, separator, NA cells and append mode, and a crashed fit resumed from its backup giving the
 * uninterrupted run's losses (weights and optimizer momentum restored), the backup deleted at the end.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Sequential, callbacks, layers, optimizers, tf } from "../../src/index";

const fx = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "callbacks_training.json"), "utf8")) as {
  x: number[][];
  y: number[][];
  kernel: number[][];
  bias: number[];
  scheduler_printed: string;
  scheduler_history: Record<string, number[]>;
  csv: string;
  csv_appended: string;
  backup_metadata_after_crash: { epoch: number; batch: number };
  resumed_epochs: number[];
  resumed_loss: number[];
  uninterrupted_loss: number[];
  backup_deleted: boolean;
};

function model(): Sequential {
  const m = new Sequential([layers.Dense(1, { inputShape: [2] })]);
  const w = [tf.tensor2d(fx.kernel), tf.tensor1d(fx.bias)];
  m.setWeights(w);
  tf.dispose(w);
  m.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1, momentum: 0.5 }), loss: "mse", metrics: ["mae"] });
  return m;
}

const fitArgs = { batchSize: 4, shuffle: false, verbose: 0 as const };
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b)), `${what}: ${a} vs Keras ${b}`);

/** CSV text with every number rounded to 5 significant digits (training values differ in the last bits). */
const rounded = (csv: string) => csv.replace(/-?\d+\.\d+(e[-+]\d+)?/g, (v) => Number(v).toPrecision(5));

test("LearningRateScheduler: Keras' messages, rates and History; CSVLogger: Keras' file, then append", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "csvlogger-"));
  const printed: string[] = [];
  t.mock.method(console, "log", (m: string) => printed.push(m));
  try {
    const csvPath = join(dir, "log.csv");
    const sched = new callbacks.LearningRateScheduler((epoch, lr) => (epoch > 0 ? lr * 0.5 : lr), { verbose: 1 });
    const m = model();
    const h = await m.fit(fx.x, fx.y, {
      ...fitArgs,
      epochs: 3,
      callbacks: [new callbacks.CSVLogger(csvPath, { separator: ";" }), sched],
    });
    assert.equal(printed.map((p) => `${p}\n`).join(""), fx.scheduler_printed);
    assert.deepEqual(Object.keys(h.history).sort(), Object.keys(fx.scheduler_history).sort());
    for (const [k, vs] of Object.entries(fx.scheduler_history))
      vs.forEach((v, i) => close(h.history[k][i], v, `${k}[${i}]`));
    const csv = readFileSync(csvPath, "utf8");
    assert.equal(csv.split("\n")[0], fx.csv.split("\n")[0], "header");
    assert.equal(rounded(csv), rounded(fx.csv));
    const m2 = model();
    await m2.fit(fx.x, fx.y, {
      ...fitArgs,
      epochs: 1,
      validationData: [fx.x, fx.y],
      callbacks: [new callbacks.CSVLogger(csvPath, { separator: ";", append: true })],
    });
    assert.equal(rounded(readFileSync(csvPath, "utf8")), rounded(fx.csv_appended));
    m.dispose();
    m2.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => new callbacks.CSVLogger("x.csv", { sep: ";" } as never), /CSVLogger has no option 'sep'/);
  assert.throws(() => new callbacks.LearningRateScheduler(0.1 as never), /needs a schedule function/);
});

test("BackupAndRestore: a crashed fit resumes after its last finished epoch, as Keras; the backup is then deleted", async () => {
  const dir = mkdtempSync(join(tmpdir(), "backup-"));
  const backupDir = join(dir, "backup");
  try {
    const crash = new callbacks.LambdaCallback({
      onEpochEnd: (epoch) => {
        if (epoch === 1) throw new Error("crash");
      },
    });
    const m = model();
    await assert.rejects(
      m.fit(fx.x, fx.y, { ...fitArgs, epochs: 4, callbacks: [new callbacks.BackupAndRestore({ backupDir }), crash] }),
      /crash/,
    );
    assert.deepEqual(
      JSON.parse(readFileSync(join(backupDir, "training_metadata.json"), "utf8")),
      fx.backup_metadata_after_crash,
    );
    assert.ok(
      readdirSync(backupDir).every((f) => !f.endsWith(".tmp")),
      "no temporary files left behind",
    );
    const m2 = model(); // fresh weights: the backup must bring back epoch 2's weights and momentum
    const resumed = await m2.fit(fx.x, fx.y, {
      ...fitArgs,
      epochs: 4,
      callbacks: [new callbacks.BackupAndRestore({ backupDir })],
    });
    assert.deepEqual(resumed.epoch, fx.resumed_epochs);
    fx.resumed_loss.forEach((v, i) => close(resumed.history.loss[i], v, `resumed loss[${i}]`));
    fx.resumed_loss.forEach((v, i) => close(v, fx.uninterrupted_loss[i + 2], "Keras resumes exactly"));
    assert.equal(!existsSync(backupDir), fx.backup_deleted);
    m.dispose();
    m2.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => new callbacks.BackupAndRestore({ backupDir: "" }), /Empty `backup_dir` argument passed/);
  assert.throws(
    () => new callbacks.BackupAndRestore({ backupDir: "b", saveFreq: "batch" as never }),
    /Invalid value for argument `save_freq`/,
  );
});

test("BackupAndRestore with an engine-supported model: the resumed run equals the uninterrupted one", async () => {
  const dir = mkdtempSync(join(tmpdir(), "backup-compiled-"));
  const backupDir = join(dir, "b");
  const x = tf.tensor2d(
    Array.from({ length: 48 }, (_, i) => Math.sin(i * 1.3)),
    [12, 4],
  );
  const y = tf
    .oneHot(
      tf.tensor1d(
        Array.from({ length: 12 }, (_, i) => i % 3),
        "int32",
      ),
      3,
    )
    .toFloat();
  const build = () => {
    const m = new Sequential([
      layers.Dense(5, { activation: "relu", inputShape: [4], kernelInitializer: "ones" }),
      layers.Dense(3, { activation: "softmax", kernelInitializer: "ones" }),
    ]);
    m.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }),
      loss: "categorical_crossentropy",
    });
    return m;
  };
  try {
    const reference = build();
    const full = await reference.fit(x, y, { ...fitArgs, epochs: 4 });
    assert.equal(full.params.trainer, "compiled");
    const crash = new callbacks.LambdaCallback({
      onEpochEnd: (epoch) => {
        if (epoch === 1) throw new Error("crash");
      },
    });
    const a = build();
    await assert.rejects(
      a.fit(x, y, { ...fitArgs, epochs: 4, callbacks: [new callbacks.BackupAndRestore({ backupDir }), crash] }),
      /crash/,
    );
    const b = build();
    const resumed = await b.fit(x, y, {
      ...fitArgs,
      epochs: 4,
      callbacks: [new callbacks.BackupAndRestore({ backupDir })],
    });
    assert.deepEqual(resumed.epoch, [2, 3]);
    // The hand-tuned engine returns the optimizer state only at the end of fit; the traced compiled path
    // hands every variable (weights, momentum slots) to the model before epoch-end callbacks, so it takes it.
    assert.equal(resumed.params.trainer, "compiled");
    resumed.history.loss.forEach((v, i) => close(v, full.history.loss[i + 2], `loss[${i + 2}]`));
    for (const m of [reference, a, b]) m.dispose();
  } finally {
    tf.dispose([x, y]);
    rmSync(dir, { recursive: true, force: true });
  }
});
