/**
 * The project's kernel over the real Jupyter protocol: a cell's last value as execute_result (rich
 * bundles, awaited Promises), errors as `error` messages with short tracebacks, and an interrupt that
 * stops training at a batch end and ends the cell.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { runCells, text } from "./drive";

test(
  "last values are execute_results (bundles, awaited Promises); errors are error messages; shorthand properties work",
  { timeout: 120_000 },
  () => {
    const { cells, alive, comm_info_reply_type } = runCells([
      {
        code: `({ [Symbol.for("Jupyter.display")]() { return { "text/plain": "a chart", "image/svg+xml": "<svg></svg>" }; } })`,
      },
      { code: `const a = 1;\n\nthrow new Error("user mistake")` },
      { code: `import { tf } from "tslab-keras";\ntf.tensor([1, 2, 3])` },
      { code: `const batchSize = 5;` },
      { code: `console.log(JSON.stringify({ batchSize }));` },
      {
        code: `Promise.resolve({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "later", "text/html": "<b>later</b>" }) })`,
      },
      { code: `const n: number = "five";` },
      { code: `6 * 7` },
      {
        code: `import { Sequential, layers } from "tslab-keras";\nconst m = new Sequential([layers.Dense(2, { inputShape: [3] })]);\n\nawait m.predict([[1, 2]]);\nconsole.log("not reached");`,
      },
      { code: `Math.max?` },
      { code: `notDefinedAnywhere?` },
    ]);
    assert.equal(alive, true);
    assert.equal(comm_info_reply_type, "comm_info_reply");

    // IPython's `name?`: the inspection as the reply's pager payload; an unknown name says so.
    const [page] = cells[9].reply.payload ?? [];
    assert.equal(cells[9].status, "ok");
    assert.equal(page?.source, "page");
    assert.match(String(page?.data?.["text/plain"]), /max\(\.\.\.values: number\[\]\): number/);
    assert.equal(cells[9].outputs.length, 0, "nothing else under the cell");
    assert.equal(cells[10].status, "ok");
    assert.deepEqual(cells[10].reply.payload, []);
    assert.equal(text(cells[10]), "Object `notDefinedAnywhere` not found.\n");

    const result = cells[0].outputs.find((o) => o.type === "execute_result");
    assert.ok(result, "execute_result sent");
    assert.equal(result.execution_count, 1);
    assert.deepEqual(Object.keys(result.data ?? {}).sort(), ["image/svg+xml", "text/plain"]);

    const [error] = cells[1].outputs;
    assert.equal(cells[1].outputs.length, 1, "only the error: no stderr copy");
    assert.equal(error.type, "error");
    assert.equal(error.ename, "Error");
    assert.equal(error.evalue, "user mistake");
    assert.deepEqual(error.traceback, [
      "Cell In[2], line 3",
      '----> 3 throw new Error("user mistake")',
      "Error: user mistake",
    ]);
    assert.ok((error.traceback ?? []).length <= 12, "a short traceback");
    assert.ok(!(error.traceback ?? []).some((l) => /tslab[\\/]dist|node:internal|evalmachine/.test(l)), "no internals");
    assert.deepEqual(
      { status: cells[1].reply.status, ename: cells[1].reply.ename, evalue: cells[1].reply.evalue },
      { status: "error", ename: "Error", evalue: "user mistake" },
    );

    assert.equal(cells[2].status, "ok");
    assert.match(text(cells[2]), /Tensor\s+\[1, 2, 3\]/);
    // tslab alone throws "batchSize is not defined" for a shorthand property naming an earlier cell's constant.
    assert.equal(cells[4].status, "ok", text(cells[4]));
    assert.equal(text(cells[4]).trim(), '{"batchSize":5}');

    const awaited = cells[5].outputs.find((o) => o.type === "execute_result");
    assert.equal(awaited?.data?.["text/html"], "<b>later</b>", "a Promise's value is shown");

    assert.equal(cells[6].reply.ename, "TSError");
    assert.match(
      cells[6].reply.evalue ?? "",
      /Type 'string' is not assignable to type 'number'\. \(line 1, column 7\)/,
    );
    assert.deepEqual(cells[6].outputs[0].traceback?.slice(0, 3), [
      "Cell In[7], 1:7 - error TS2322: Type 'string' is not assignable to type 'number'.",
      '  1 | const n: number = "five";',
      "    |       ^",
    ]);
    assert.equal(cells[7].outputs.find((o) => o.type === "execute_result")?.data?.["text/plain"], "42");
    assert.equal(cells[7].reply.execution_count, 8);

    // An error inside the library: the cell's line, then the library's frames (outermost first), then the error.
    const library = cells[8].reply.traceback ?? [];
    assert.deepEqual(library.slice(0, 2), ["Cell In[9], line 4", "----> 4 await m.predict([[1, 2]]);"]);
    assert.match(library[2], /^ {2}at (Sequential\.)?predict \(.*sequential\.js:\d+:\d+\)$/);
    assert.match(library.at(-1) ?? "", /^Error: predict: expected shape \(None, 3\) but got \(1, 2\)/);
    assert.ok(library.length <= 12);
    assert.doesNotMatch(text(cells[8]), /not reached/);
  },
);

test(
  "stop_on_error as Jupyter: queued cells after an error are aborted only when both asked for it",
  { timeout: 120_000 },
  () => {
    const fail = `throw new Error("fails")`;
    const { cells } = runCells(
      [
        { code: fail, stop_on_error: false },
        { code: `"runs after a stop_on_error=False error"` },
        { code: fail },
        { code: `"aborted"` },
        { code: `"runs: stop_on_error=False itself"`, stop_on_error: false },
        { code: `"aborted too"` },
      ],
      60,
      { queued: true }, // all queued at once, as Run All sends them
    );
    assert.deepEqual(
      cells.map((c) => c.status),
      ["error", "ok", "error", "aborted", "ok", "aborted"],
    );
    assert.match(text(cells[1]), /runs after/);
    assert.match(text(cells[4]), /runs: stop_on_error=False itself/);
  },
);

test(
  "interrupt during a loop of fits: one interrupt stops at a batch end, ends the cell with KeyboardInterrupt, keeps model.history",
  { timeout: 180_000 },
  () => {
    const setup = `
import { Sequential, layers, tf } from "tslab-keras";
const x = tf.randomUniform([4096, 32], 0, 1, "float32", 1);
const y = tf.oneHot(tf.randomUniform([4096], 0, 10, "int32", 2), 10).cast("float32");
const model = new Sequential([layers.Dense(256, { activation: "relu", inputShape: [32] }), layers.Dense(10, { activation: "softmax" })]);
model.compile({ optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"] });
const w0 = model.getWeights()[0].arraySync() as number[][];
let fits = 0;`;
    const loop = `
for (let i = 0; i < 3; i++) {
  await model.fit(x, y, { epochs: 1000, batchSize: 8, verbose: 0 });
  fits++;
  console.log("fit", i, "finished");
}
console.log("after the loop");`;
    const { cells, alive } = runCells([
      { code: setup },
      { code: loop, interrupt_after: 6 },
      {
        code: `console.log(JSON.stringify({ fits, epochs: model.history!.history.loss.length, changed: JSON.stringify(model.getWeights()[0].arraySync()) !== JSON.stringify(w0) }))`, // any weight: one ReLU unit may be dead
      },
    ]);
    assert.equal(alive, true, "kernel survived the interrupt");
    assert.equal(
      cells[1].status,
      "error",
      `the cell ends with the interrupt, got ${cells[1].status}: ${text(cells[1])}`,
    );
    assert.equal(cells[1].reply.ename, "KeyboardInterrupt");
    assert.match(cells[1].reply.evalue ?? "", /^training interrupted at epoch \d+, batch \d+$/);
    assert.deepEqual(cells[1].reply.traceback, [`KeyboardInterrupt: ${cells[1].reply.evalue}`]);
    assert.doesNotMatch(text(cells[1]), /finished|after the loop/, "nothing after the interrupted fit ran");
    const state = JSON.parse(text(cells[2]).trim()) as { fits: number; epochs: number; changed: boolean };
    assert.equal(state.fits, 0);
    assert.ok(state.epochs < 1000, "training stopped early");
    assert.equal(state.changed, true, "model kept its trained weights");
  },
);
