/** scripts/reproduce's table: results vs the seeds' numbers, scale detection, the README, from a folder. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
// @ts-expect-error -- plain ESM script without typings
import { collect, lessonRows, markdown, notebookScale } from "../../scripts/reproduce/table.mjs";

test("lessonRows compares with the seed in points and judges ±1.5", () => {
  const rows = lessonRows("002", { "002/vanilla": 0.8705, "002/dropout": 0.83, "002/extra": 0.5 });
  const byName = Object.fromEntries(rows.map((r: { name: string }) => [r.name, r]));
  assert.equal(byName["002/vanilla"].diffPoints, -1.05);
  assert.equal(byName["002/vanilla"].within, true);
  assert.equal(byName["002/dropout"].within, false);
  assert.equal(byName["002/batchnorm"].ours, null, "a result the notebook did not report is listed as missing");
  assert.equal(byName["002/batchnorm"].within, null);
  assert.equal(byName["002/extra"].seed, null, "extra results are shown, not judged");
});

test("notebookScale reads the first cell's `scale:` line", () => {
  const nb = {
    cells: [{ outputs: [{ output_type: "stream", name: "stdout", text: ["scale: full, backend: tensorflow\n"] }] }],
  };
  assert.equal(notebookScale(nb), "full");
  assert.equal(notebookScale({ cells: [] }), "unknown");
});

test("collect + markdown build the table from an executed-notebook folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "reproduce-"));
  try {
    const nb = {
      cells: [
        {
          cell_type: "code",
          outputs: [{ output_type: "stream", name: "stdout", text: "scale: smoke, backend: tensorflow\n" }],
        },
      ],
    };
    writeFileSync(join(dir, "004-cifar.ipynb"), JSON.stringify(nb));
    writeFileSync(
      join(dir, "004-cifar.results.json"),
      JSON.stringify({ seconds: 12.5, results: { "004/final_val_acc": 0.77 } }),
    );
    writeFileSync(join(dir, "getting-started.results.json"), JSON.stringify({ seconds: 1, results: {} }));
    const lessons = collect(dir);
    assert.equal(lessons.length, 1);
    assert.equal(lessons[0].scale, "smoke");
    assert.equal(lessons[0].status, "ok");
    assert.equal(lessons[0].rows[0].within, true);
    const md = markdown(lessons, { generated: "now" });
    assert.match(md, /\| `004\/final_val_acc` \| .* \| 0\.7735 \| 0\.7700 \| -0\.35 \| yes \|/);
    assert.match(md, /1 of 1 results within ±1\.5 points/);
    assert.match(md, /smoke/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
