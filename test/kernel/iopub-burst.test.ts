/**
 * Many iopub messages from one cell, as the in-place progress bar sends them: every message arrives,
 * in order, every cell reaches idle, and the kernel stays alive.
 *
 * zeromq 6 refuses a send while another is pending on the socket (EBUSY), and defers every 513th send
 * on a socket that never receives (iopub); tslab does not await its sends, so without the launcher's
 * send queue (kernel/serial-send.ts) the message after each deferred one was lost — an update, a
 * stream write or the cell's `status: idle`. And a PUB socket drops messages past its high-water mark,
 * so a burst lost its tail and its idle status too (the launcher lifts iopub's limit).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCells, text, type Output } from "./drive";

const UPDATES = 5000; // past zeromq's 512 synchronous sends, and past a PUB socket's default 1000-message high-water mark
const EPOCHS = 150; // display + first-batch update + final update per epoch: ~450 messages per fit

const burst = `
const sender = (globalThis as any)[Symbol.for("tslab-keras.bundleSender")];
sender.send({ "text/plain": "0" }, { displayId: "burst" });
for (let i = 1; i <= ${UPDATES}; i++) {
  sender.send({ "text/plain": String(i) }, { displayId: "burst", update: true });
  if (i % 100 === 0) process.stdout.write(\`line \${i}\\n\`);
}
"burst done"`;

const setup = `
import { Sequential, layers, tf } from "tslab-keras";
const x = tf.randomUniform([64, 8], 0, 1, "float32", 1);
const y = tf.oneHot(tf.randomUniform([64], 0, 4, "int32", 2), 4).cast("float32");
const model = new Sequential([layers.Dense(8, { activation: "relu", inputShape: [8] }), layers.Dense(4, { activation: "softmax" })]);
model.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });`;

const fit = (i: number) => `
const h${i} = await model.fit(x, y, { epochs: ${EPOCHS}, batchSize: 16, validationSplit: 0.25, verbose: 1 });
console.log("fit ${i}:", h${i}.history.loss.length, "epochs");`;

const show = (o: Output) => `${o.type} ${o.text ?? (o.data?.["text/plain"] as string | undefined) ?? ""}`;

test(
  "a burst of display updates and stream writes, then verbose-1 fits: all outputs, in order, idle each time",
  { timeout: 120_000 },
  () => {
    const run = runCells(
      [{ code: burst }, { code: setup }, { code: fit(1) }, { code: fit(2) }, { code: `console.log("still here")` }],
      15, // seconds per cell; each takes under 2 s
    );
    const statuses = run.cells.map((c) => c.status);
    assert.deepEqual(statuses, ["ok", "ok", "ok", "ok", "ok"], `cell statuses; kernel log:\n${run.kernel_log}`);
    assert.equal(run.alive, true, "kernel alive");

    // The burst: exactly the messages sent, in the order sent.
    const expected = ["display_data 0"];
    for (let i = 1; i <= UPDATES; i++) {
      expected.push(`update_display_data ${i}`);
      if (i % 100 === 0) expected.push(`stream line ${i}\n`);
    }
    expected.push("execute_result 'burst done'"); // the last value, as Jupyter shows a string
    assert.deepEqual(run.cells[0].outputs.map(show), expected);

    // Each fit: one bar per epoch, each ending in its final state, and the summary line after them.
    for (const [n, cell] of [run.cells[2], run.cells[3]].entries()) {
      const bars = new Map<string, string>();
      for (const o of cell.outputs) {
        const id = o.transient?.display_id;
        if (id && (o.type === "display_data" || o.type === "update_display_data"))
          bars.set(id, String(o.data?.["text/plain"]));
      }
      assert.equal(bars.size, EPOCHS, `fit ${n + 1}: one display per epoch`);
      const last = [...bars.values()].pop() ?? "";
      assert.match(last, new RegExp(`^Epoch ${EPOCHS}/${EPOCHS}\\n.*val_loss`, "s"), `fit ${n + 1}: last bar final`);
      assert.ok(
        [...bars.values()].every((bar) => /val_loss/.test(bar)),
        `fit ${n + 1}: every bar reached its final state`,
      );
      assert.match(text(cell), new RegExp(`fit ${n + 1}: ${EPOCHS} epochs`));
    }
    assert.equal(text(run.cells[4]).trim(), "still here");
  },
);
