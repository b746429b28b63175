/**
 * The project's kernel over the real Jupyter protocol: rich display of a cell's last value, bundles
 * sent by the library, errors that leave the kernel alive, and an interrupt that stops training.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCells, text } from "./drive";

test(
  "a displayable last value is sent as its whole MIME bundle; errors keep the kernel alive; shorthand properties work",
  { timeout: 120_000 },
  () => {
    const { cells, alive } = runCells([
      {
        code: `({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "a chart", "image/svg+xml": "<svg></svg>" }; } })`,
      },
      { code: `throw new Error("user mistake")` },
      { code: `import { tf } from "tslab-keras";\ntf.tensor([1, 2, 3])` },
      { code: `const batchSize = 5;` },
      { code: `console.log(JSON.stringify({ batchSize }));` },
    ]);
    assert.equal(alive, true);
    const bundle = cells[0].outputs.find((o) => o.type === "display_data");
    assert.ok(bundle, "display_data sent");
    assert.deepEqual(Object.keys(bundle.data ?? {}).sort(), ["image/svg+xml", "text/plain"]);
    assert.equal(cells[1].status, "error");
    assert.match(text(cells[1]), /user mistake/);
    assert.equal(cells[2].status, "ok");
    assert.match(text(cells[2]), /Tensor\s+\[1, 2, 3\]/);
    // tslab alone throws "batchSize is not defined" for a shorthand property naming an earlier cell's constant.
    assert.equal(cells[4].status, "ok", text(cells[4]));
    assert.equal(text(cells[4]).trim(), '{"batchSize":5}');
  },
);

test(
  "interrupt during fit stops at the end of a batch, keeps finished epochs, and the kernel lives",
  { timeout: 180_000 },
  () => {
    const setup = `
import { Sequential, layers, tf } from "tslab-keras";
const x = tf.randomUniform([4096, 32], 0, 1, "float32", 1);
const y = tf.oneHot(tf.randomUniform([4096], 0, 10, "int32", 2), 10).cast("float32");
const model = new Sequential([layers.Dense(256, { activation: "relu", inputShape: [32] }), layers.Dense(10, { activation: "softmax" })]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
const w0 = model.getWeights()[0].arraySync() as number[][];
let history: any;`;
    const { cells, alive } = runCells([
      { code: setup },
      { code: `history = await model.fit(x, y, { epochs: 1000, batchSize: 8, verbose: 0 });`, interrupt_after: 6 },
      {
        code: `console.log(JSON.stringify({ epochs: history.history.loss.length, changed: JSON.stringify(model.getWeights()[0].arraySync()) !== JSON.stringify(w0) }))`, // any weight: one ReLU unit may be dead
      },
    ]);
    assert.equal(alive, true, "kernel survived the interrupt");
    assert.equal(cells[1].status, "ok", `fit cell ended normally, got ${cells[1].status}: ${text(cells[1])}`);
    assert.match(text(cells[1]), /training interrupted at epoch \d+, batch \d+/);
    const state = JSON.parse(text(cells[2]).trim().split("\n").pop() ?? "{}");
    assert.ok(state.epochs < 1000, "training stopped early");
    assert.equal(state.changed, true, "model kept its trained weights");
  },
);
