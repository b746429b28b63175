/**
 * Headless runs (scripts/run_notebooks.py over nbclient) of notebooks with errors: with allow_errors
 * every cell after an error runs (tslab aborted them: they came back empty); without it the run fails
 * loudly, naming the cell, and stops there; a `raises-exception` cell's error lets the run go on.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const projectRoot = join(__dirname, "..", "..");
const python = join(projectRoot, ".venv", "bin", "python");

interface NotebookCell {
  source: string;
  outputs?: { output_type: string; text?: string; ename?: string; data?: Record<string, string> }[];
}

function notebook(cells: { source: string; tags?: string[] }[]): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab-keras", display_name: "TypeScript (tslab-keras)", language: "typescript" } },
    cells: cells.map((c, i) => ({
      id: `cell-${i}`,
      cell_type: "code",
      source: c.source,
      metadata: c.tags ? { tags: c.tags } : {},
      outputs: [],
      execution_count: null,
    })),
  });
}

function run(cells: { source: string; tags?: string[] }[], allowErrors: boolean) {
  const dir = mkdtempSync(join(tmpdir(), "tslab-keras-nb-"));
  try {
    writeFileSync(join(dir, "errors.ipynb"), notebook(cells));
    const args = [join(projectRoot, "scripts", "run_notebooks.py"), "--out", join(dir, "out"), "--timeout", "60"];
    const r = spawnSync(python, [...args, ...(allowErrors ? ["--allow-errors"] : []), join(dir, "errors.ipynb")], {
      encoding: "utf8",
      timeout: 150_000,
    });
    const executed = JSON.parse(readFileSync(join(dir, "out", "errors.ipynb"), "utf8")) as { cells: NotebookCell[] };
    return { status: r.status, stdout: r.stdout, cells: executed.cells };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const outputText = (cell: NotebookCell) =>
  (cell.outputs ?? []).map((o) => o.text ?? o.data?.["text/plain"] ?? (o.ename ? `error ${o.ename}` : "")).join("");

test("allow_errors: the cells after an error run and the run passes", { timeout: 180_000 }, () => {
  const { status, stdout, cells } = run(
    [
      { source: `const a = 20;` },
      { source: `throw new Error("planned failure")` },
      { source: `console.log("after the error", a)` },
      { source: `a + 22` },
    ],
    true,
  );
  assert.equal(status, 0, stdout);
  assert.equal(outputText(cells[1]), "error Error");
  assert.equal(outputText(cells[2]), "after the error 20\n");
  assert.equal(outputText(cells[3]), "42");
});

test(
  "without allow_errors: an error fails the run loudly and stops it; raises-exception cells may fail",
  { timeout: 180_000 },
  () => {
    const { status, stdout, cells } = run(
      [
        { source: `throw new Error("expected here")`, tags: ["raises-exception"] },
        { source: `console.log("runs after the tagged cell")` },
        { source: `throw new RangeError("unexpected failure")` },
        { source: `console.log("must not run")` },
      ],
      false,
    );
    assert.equal(status, 1, "the runner exits non-zero");
    assert.match(stdout, /✖ errors\.ipynb/);
    assert.match(stdout, /unexpected failure/);
    assert.match(stdout, /notebooks: 0 passed, 1 failed/);
    assert.equal(outputText(cells[1]), "runs after the tagged cell\n");
    assert.equal(outputText(cells[2]), "error RangeError");
    assert.equal(outputText(cells[3]), "", "the cell after the error did not run");
  },
);
