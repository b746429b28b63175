/**
 * Saving never hangs, never litters, never half-writes: bad paths fail fast with the path and the
 * reason, stale temporaries are swept, and kill -9 during checkpointing leaves only loadable files.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tf } from "../../src/tf";
import * as layers from "../../src/layers/index";
import { callbacks } from "../../src/index";
import { Sequential, loadModel } from "../../src/models/index";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-safety-"));
const small = () => new Sequential([layers.Dense(2, { inputShape: [3] })]);
const linux = process.platform === "linux" && fs.existsSync("/proc/self");

async function failsFast(p: Promise<unknown>, message: RegExp): Promise<void> {
  const t = Date.now();
  await assert.rejects(p, message);
  assert.ok(Date.now() - t < 3000, `took ${Date.now() - t} ms`);
}

test(
  "save under /proc fails at once, naming the path and the reason (no recursive-mkdir hang)",
  { skip: !linux && "needs Linux /proc" },
  async () => {
    const m = small();
    await failsFast(
      m.save("/proc/x/y.keras"),
      /^Error: Cannot save to '\/proc\/x\/y\.keras': no such parent folder: '\/proc' refuses new folders\.$/,
    );
    await failsFast(
      m.save("/proc/y.keras"),
      /^Error: Cannot save to '\/proc\/y\.keras': the folder does not accept new files\.$/,
    );
    await failsFast(
      m.saveWeights("/proc/x/y.weights.h5"),
      /Cannot save to '\/proc\/x\/y\.weights\.h5': no such parent folder/,
    );
    await failsFast(
      m.export("/proc/x/web", { format: "tfjs" }),
      /Cannot save to '\/proc\/x\/web': no such parent folder/,
    );
  },
);

test(
  "a ModelCheckpoint under /proc stops fit at once with the same message",
  { skip: !linux && "needs Linux /proc" },
  async () => {
    const m = small();
    m.compile({ optimizer: "sgd", loss: "mse" });
    const ck = new callbacks.ModelCheckpoint({ filepath: "/proc/x/m-{epoch:02d}.keras" });
    const [x, y] = [tf.ones([4, 3]), tf.ones([4, 2])];
    await failsFast(
      m.fit(x, y, { epochs: 2, verbose: 0, callbacks: [ck] }),
      /^Error: Cannot save to '\/proc\/x\/m-01\.keras': no such parent folder/,
    );
    tf.dispose([x, y]);
  },
);

test(
  "a folder that is not writable is named as such",
  { skip: !(linux && fs.existsSync("/sys/kernel")) && "needs Linux /sys" },
  async () => {
    await failsFast(
      small().save("/sys/kernel/new/y.keras"),
      /^Error: Cannot save to '\/sys\/kernel\/new\/y\.keras': cannot create folder '\/sys\/kernel\/new': the folder is not writable\.$/,
    );
  },
);

test("a checkpoint folder whose parent is a file, or a target that is a folder, gets a clear message", async () => {
  const afile = path.join(tmp, "afile.txt");
  fs.writeFileSync(afile, "x");
  const m = small();
  m.compile({ optimizer: "sgd", loss: "mse" });
  const ck = new callbacks.ModelCheckpoint({ filepath: path.join(afile, "model", "m-{epoch:02d}.keras") });
  const [x, y] = [tf.ones([4, 3]), tf.ones([4, 2])];
  await failsFast(
    m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [ck] }),
    new RegExp(`^Error: Cannot save to '${afile}/model/m-01\\.keras': '${afile}' is a file, not a folder\\.$`),
  );
  tf.dispose([x, y]);
  const dir = path.join(tmp, "dir.keras");
  fs.mkdirSync(dir);
  await failsFast(m.save(dir), /it is a folder; give a file path such as model\/best\.keras/);
  assert.deepEqual(fs.readdirSync(tmp).sort(), ["afile.txt", "dir.keras"]); // nothing else was written
});

test("a later save removes stale temporary siblings of its own naming, and only those", async () => {
  const dir = path.join(tmp, "stale");
  fs.mkdirSync(dir);
  const dead = ".m.keras.tslab-keras-999999999-abc123.tmp"; // no such pid
  const live = `.m.keras.tslab-keras-${process.ppid}-abc123.tmp`; // a running process's save in progress
  for (const n of [dead, live, "notes.tmp", ".other.tmp"]) fs.writeFileSync(path.join(dir, n), "partial");
  await small().save(path.join(dir, "m.keras"));
  assert.deepEqual(fs.readdirSync(dir).sort(), [".other.tmp", live, "m.keras", "notes.tmp"].sort());
});

test("kill -9 during checkpointing leaves no corrupt file, and the next save leaves no temp file", async () => {
  const dir = path.join(tmp, "killed");
  fs.mkdirSync(dir);
  const child = path.join(__dirname, "saving-checkpoint-child.ts");
  let leftovers = 0;
  for (let round = 0; round < 3; round++) {
    const proc = spawn(process.execPath, ["--import", "tsx", child, dir], { stdio: ["ignore", "pipe", "ignore"] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("child wrote no checkpoint in 60 s")), 60_000);
      proc.stdout.once("data", () => {
        clearTimeout(timer);
        resolve();
      });
    });
    // Once it has written checkpoints, kill it at a different moment each round (mid-save, likely).
    await new Promise((r) => setTimeout(r, 40 + round * 53));
    proc.kill("SIGKILL");
    await new Promise((r) => proc.once("exit", r));
    leftovers += fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")).length;
    const models = fs.readdirSync(dir).filter((n) => n.endsWith(".keras"));
    assert.ok(models.length > 0, "the child wrote checkpoints before it was killed");
    for (const n of models) (await loadModel(path.join(dir, n))).dispose(); // every file is whole
    const w = new Sequential([
      layers.Dense(256, { activation: "relu", inputShape: [64] }),
      layers.BatchNormalization(),
      layers.Dropout(0.2),
      layers.Dense(10, { activation: "softmax" }),
    ]);
    if (fs.existsSync(path.join(dir, "last.weights.h5"))) await w.loadWeights(path.join(dir, "last.weights.h5"));
    await w.save(path.join(dir, "after.keras")); // the next save sweeps the killed process' temporaries
    assert.deepEqual(
      fs.readdirSync(dir).filter((n) => n.endsWith(".tmp")),
      [],
    );
    w.dispose();
  }
  console.log(`temporaries left by kill -9 and swept by the next save: ${leftovers}`);
});
