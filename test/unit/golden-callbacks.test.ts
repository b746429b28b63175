/**
 * Callbacks against Python Keras 3 (test/fixtures/golden/callbacks.json): the same scripted epochs
 * drive both, and the printed messages, warnings, stop decisions, learning rates, saved files and
 * restored weights must be identical.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as callbacks from "../../src/callbacks/index";

type Logs = Record<string, number>;
interface Scenario {
  name: string;
  options: Record<string, unknown> & { class: string };
  epochs: Logs[];
  batches: Record<string, Record<string, number | string>[]>;
  printed: string;
  warnings: string[];
  trace: { stop_training: boolean; learning_rate: number; logs: Logs }[];
  final_weight_epoch: number;
  saved?: string[];
}
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "callbacks.json"), "utf8")) as {
  scenarios: Scenario[];
};

/** A stand-in model: one weight tensor holding the epoch number, a learning rate and a save log. */
class FakeModel implements callbacks.CallbackModel {
  stopTraining = false;
  learningRate = 0.001;
  weights: tf.Tensor[] = [tf.zeros([2, 1])];
  saved: string[] = [];
  /** Copies the caller owns, as Sequential.getWeights returns. */
  getWeights() {
    return this.weights.map((w) => w.clone());
  }
  setWeights(ws: tf.Tensor[]) {
    tf.dispose(this.weights);
    this.weights = ws.map((w) => w.clone());
  }
  async save(path: string) {
    this.saved.push(path);
  }
  async saveWeights(path: string) {
    this.saved.push(path);
  }
}

function make(s: Scenario, dir: string): callbacks.Callback {
  const { class: cls, ...opts } = s.options;
  switch (cls) {
    case "EarlyStopping":
      return new callbacks.EarlyStopping(opts);
    case "ReduceLROnPlateau":
      return new callbacks.ReduceLROnPlateau(opts);
    case "TerminateOnNaN":
      return new callbacks.TerminateOnNaN();
    case "ModelCheckpoint":
      return new callbacks.ModelCheckpoint({ ...opts, filepath: join(dir, opts.filepath as string) });
  }
  throw new Error(cls);
}

for (const s of fixture.scenarios) {
  test(`${s.name}: same messages and decisions as Keras`, async (t) => {
    const printed: string[] = [];
    const warned: string[] = [];
    t.mock.method(console, "log", (msg: string) => printed.push(`${msg}\n`));
    t.mock.method(console, "warn", (msg: string) => warned.push(msg));
    const dir = mkdtempSync(join(tmpdir(), "golden-cb-"));
    const model = new FakeModel();
    const cb = make(s, dir);
    cb.setModel(model);
    const trace: Scenario["trace"] = [];
    try {
      await cb.onTrainBegin();
      for (let epoch = 0; epoch < s.epochs.length; epoch++) {
        model.setWeights([tf.fill([2, 1], epoch)]);
        await cb.onEpochBegin(epoch);
        for (const [b, blogs] of (s.batches[String(epoch)] ?? []).entries()) {
          await cb.onTrainBatchEnd(b, Object.fromEntries(Object.entries(blogs).map(([k, v]) => [k, Number(v)])));
        }
        const logs = { ...s.epochs[epoch] };
        await cb.onEpochEnd(epoch, logs);
        trace.push({ stop_training: model.stopTraining, learning_rate: Math.fround(model.learningRate), logs });
        if (model.stopTraining) break;
      }
      await cb.onTrainEnd();
      assert.equal(printed.join("").replaceAll(dir + "/", ""), s.printed);
      assert.deepEqual([...new Set(warned)].sort(), s.warnings);
      assert.equal(trace.length, s.trace.length, "epochs run");
      trace.forEach((got, i) => {
        const want = s.trace[i];
        assert.equal(got.stop_training, want.stop_training, `stopTraining after epoch ${i + 1}`);
        assert.equal(got.learning_rate, want.learning_rate, `learning rate after epoch ${i + 1}`);
        assert.deepEqual(got.logs, want.logs, `logs of epoch ${i + 1}`);
      });
      assert.equal(model.weights[0].dataSync()[0], s.final_weight_epoch, "weights at the end");
      if (s.saved) {
        const names = model.saved.map((p) => p.slice(join(dir, "model").length + 1));
        assert.deepEqual(names.sort(), s.saved);
      }
    } finally {
      tf.dispose(model.weights);
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
