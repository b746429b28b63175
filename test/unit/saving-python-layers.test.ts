/**
 * Round trips with Python Keras 3 for models beyond the core layers (scripts/golden/saving_zoo.py): a
 * functional model with two inputs, two outputs, a shared layer, a residual Add and every merge layer; an
 * Embedding + Bidirectional LSTM text model; GRU/SimpleRNN; Conv1D + pooling; a CNN with the augmentations,
 * SeparableConv2D, AveragePooling2D, Conv2DTranspose and LayerNormalization; Normalization + Rescaling; a
 * Sequential block and a functional head called in a functional model; a functional Embedding(mask_zero) model.
 * Keras → tslab-keras (.keras, Keras 3's legacy .h5, a Keras 2 style functional .h5) and tslab-keras →
 * Keras (.keras, .h5): predictions equal within 1e-5. Skipped, saying why, without `.venv-keras`.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { tf } from "../../src/tf";
import { type Model, type Sequential, loadModel } from "../../src/models/index";
import { type Inputs, inputsFromJson, inputsJson, zoo } from "./saving-zoo";
import { kerasSkip, runKerasScript } from "./keras-python";

const skip = kerasSkip;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-zoo-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const NAMES = ["residual", "text", "gru", "conv1d", "cnn", "norm", "nested", "functext"];

function python(...args: string[]): void {
  runKerasScript("saving_zoo.py", args, 600_000);
}

const read = (file: string) => JSON.parse(fs.readFileSync(file, "utf8"));

/** The largest |a - b| over every output (one tensor, or a list of them against a list of arrays). */
function maxDiff(ours: tf.Tensor | tf.Tensor[], theirs: unknown, outputs: number): number {
  const list = Array.isArray(ours) ? ours : [ours];
  const want = (outputs > 1 ? theirs : [theirs]) as number[][][];
  assert.equal(list.length, want.length, "number of outputs");
  return Math.max(...list.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, tf.tensor(want[i])))).dataSync()[0])));
}

const disposeInputs = (x: Inputs) => tf.dispose(x instanceof tf.Tensor ? x : Object.values(x));

test(
  "Keras 3's files of the layer zoo load in tslab-keras and predict the same (.keras, legacy .h5, Keras 2 functional .h5)",
  { skip },
  async () => {
    const dir = path.join(tmp, "keras");
    python("build", dir);
    for (const name of NAMES) {
      const x = inputsFromJson(read(path.join(dir, `${name}.x.json`)));
      const want = read(path.join(dir, `${name}.out.json`));
      const files = [`${name}.keras`, `${name}.h5`, ...(name === "residual" ? ["residual.keras2.h5"] : [])];
      for (const file of files) {
        const m = await loadModel<Sequential | Model>(path.join(dir, file));
        const outputs = "outputs" in m ? m.outputs.length : 1;
        const p = (await m.predict(x as tf.Tensor)) as tf.Tensor | tf.Tensor[];
        const d = maxDiff(p, want.predictions, outputs);
        console.log(`# Keras ${file} in tslab-keras: max |Keras - ours| = ${d.toExponential(2)}`);
        assert.ok(d < 1e-5, `${file}: ${d}`);
        // the compiled state crosses too: the optimizer's step count from .keras, the loss from both
        if (file.endsWith(".keras")) assert.equal(m.optimizer?.iterations, want.iterations, `${file} iterations`);
        assert.ok(m.optimizer, `${file} is compiled`);
        tf.dispose(p);
        m.dispose();
      }
      disposeInputs(x);
    }
  },
);

test(
  "tslab-keras' files of the layer zoo load in Python Keras 3 and predict the same (.keras, legacy .h5)",
  { skip },
  async () => {
    const dir = path.join(tmp, "ours");
    fs.mkdirSync(dir, { recursive: true });
    const jobs: { file: string; x: string; out: string }[] = [];
    const expected = new Map<string, { p: tf.Tensor | tf.Tensor[]; outputs: number; iterations: number }>();
    for (const { name, model, x, y } of zoo()) {
      await model.fit(x as tf.Tensor, y as tf.Tensor, { epochs: 1, batchSize: 4, verbose: 0 });
      const xFile = path.join(dir, `${name}.x.json`);
      fs.writeFileSync(xFile, JSON.stringify(inputsJson(x)));
      const outputs = "outputs" in model ? model.outputs.length : 1;
      expected.set(name, {
        p: (await model.predict(x as tf.Tensor)) as tf.Tensor,
        outputs,
        iterations: model.optimizer!.iterations,
      });
      for (const ext of [".keras", ".h5"]) {
        const file = path.join(dir, `${name}${ext}`);
        await model.save(file);
        jobs.push({ file, x: xFile, out: `${file}.out.json` });
      }
      disposeInputs(x);
      tf.dispose(y);
      model.dispose();
    }
    const jobsFile = path.join(dir, "jobs.json");
    fs.writeFileSync(jobsFile, JSON.stringify(jobs));
    python("predict", jobsFile);
    for (const job of jobs) {
      const name = path.basename(job.file).replace(/\.(keras|h5)$/, "");
      const { p, outputs, iterations } = expected.get(name)!;
      const got = read(job.out);
      const d = maxDiff(p, got.predictions, outputs);
      console.log(`# ours ${path.basename(job.file)} in Keras: max |Keras - ours| = ${d.toExponential(2)}`);
      assert.ok(d < 1e-5, `${job.file}: ${d}`);
      if (job.file.endsWith(".keras")) assert.equal(got.iterations, iterations, `${job.file}: optimizer state`);
    }
    for (const { p } of expected.values()) tf.dispose(p);
  },
);
