/** The kernel patches' pure parts: is_complete, history queries, cell-line alignment, error formatting, `name?`. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import type * as TS from "typescript";
import { isComplete } from "../../kernel/patches/is-complete";
import { CellHistory, SESSION } from "../../kernel/patches/history";
import { alignLines } from "../../kernel/patches/cell-lines";
import { diagnosticsError, thrownError } from "../../kernel/patches/errors";
import { pagerTarget } from "../../kernel/patches/pager";

const ts = createRequire(require.resolve("tslab/package.json"))("@tslab/typescript-for-tslab") as typeof TS;

test("is_complete: complete, incomplete with the next line's indent, invalid", () => {
  assert.deepEqual(isComplete(ts, "const a = 1;"), { status: "complete" });
  assert.deepEqual(isComplete(ts, "function f() {"), { status: "incomplete", indent: "  " });
  assert.deepEqual(isComplete(ts, "if (x) {\n  for (;;) {"), { status: "incomplete", indent: "    " });
  assert.deepEqual(isComplete(ts, "const s = `abc"), { status: "incomplete", indent: "" });
  assert.deepEqual(isComplete(ts, "1 +* ;"), { status: "invalid" });
  assert.deepEqual(isComplete(ts, "let x = );"), { status: "invalid" });
});

test("history: tail, range, search with glob, unique and n, with outputs", () => {
  const h = new CellHistory();
  ["6 * 7", "const a = 1;", "6 * 8", "6 * 7"].forEach((code, i) => h.record(i + 1, code));
  h.setOutput(1, "42");
  assert.deepEqual(h.query({ hist_access_type: "tail", n: 2 }), [
    [SESSION, 3, "6 * 8"],
    [SESSION, 4, "6 * 7"],
  ]);
  assert.deepEqual(h.query({ hist_access_type: "range", session: 0, start: 1, stop: 2, output: true }), [
    [SESSION, 1, ["6 * 7", "42"]],
  ]);
  assert.deepEqual(h.query({ hist_access_type: "range", session: 7, start: 1, stop: 3 }), []);
  assert.equal(h.query({ hist_access_type: "search", pattern: "6 * ?" }).length, 3);
  assert.deepEqual(h.query({ hist_access_type: "search", pattern: "6 [*] 7", unique: true }), [[SESSION, 4, "6 * 7"]]);
  assert.deepEqual(h.query({ hist_access_type: "search", pattern: "6*", n: 1 }), [[SESSION, 4, "6 * 7"]]);
});

test("the JavaScript tslab runs is aligned to the cell's lines", () => {
  const cell = [
    "const a: number = 1;",
    "",
    "interface P { x: number }",
    "function f(n: number) {",
    '  throw new Error("x" + n);',
    "}",
    "f(a);",
  ];
  const js = [
    "const a = 1;",
    "exports.a = a;",
    "function f(n) {",
    '    throw new Error("x" + n);',
    "}",
    "exports.f = f;",
    "f(exports.a);",
  ];
  const mapped = alignLines(js, cell);
  // Lines that can throw map to their cell line (added export lines and braces may go either way).
  assert.deepEqual(
    [0, 2, 3, 6].map((i) => mapped[i]),
    [0, 3, 4, 6],
  );
  assert.deepEqual(
    [...mapped].sort((p, q) => p - q),
    mapped,
    "order kept",
  );
});

test("errors: short tracebacks, internals trimmed, TypeScript diagnostics with a caret", () => {
  const error = new TypeError("bad");
  error.stack = [
    "TypeError: bad",
    "    at check (/p/dist/src/models/data.js:10:5)",
    "    at Proxy.fit (/p/dist/src/models/training.js:20:3)",
    "    at evalmachine.<anonymous>:3:1",
    "    at Script.runInThisContext (node:vm:129:12)",
    "    at execute (/p/node_modules/tslab/dist/executor.js:180:38)",
  ].join("\n");
  assert.deepEqual(thrownError(error, { source: "a\nb\ncheck(x)", label: "Cell In[4]", cellLine: () => 2 }), {
    ename: "TypeError",
    evalue: "bad",
    traceback: [
      "Cell In[4], line 3",
      "----> 3 check(x)",
      "  at fit (/p/dist/src/models/training.js:20:3)",
      "  at check (/p/dist/src/models/data.js:10:5)",
      "TypeError: bad",
    ],
  });
  assert.deepEqual(thrownError("plain", { source: "", label: "Cell In[1]" }).traceback, ["Uncaught 'plain'"]);
  const diag = diagnosticsError(
    [{ line: 1, character: 4, messageText: "Cannot find name 'y'.", code: 2304, category: 1 }],
    "const x = 1;\nx + y;",
    "Cell In[2]",
  );
  assert.equal(diag.ename, "TSError");
  assert.deepEqual(diag.traceback, [
    "Cell In[2], 2:5 - error TS2304: Cannot find name 'y'.",
    "  2 | x + y;",
    "    |     ^",
    "TSError: Cannot find name 'y'. (line 2, column 5)",
  ]);
});

test("pager: only a cell that is a name or member chain followed by ? asks for the pager", () => {
  assert.equal(pagerTarget("Math.max?"), "Math.max");
  assert.equal(pagerTarget("  layers.Dense ?\n"), "layers.Dense");
  assert.equal(pagerTarget("model?"), "model");
  for (const code of ["a ? b : c", "x?.y", "const a = 1; a?", "f()?", "Math.max", "?"])
    assert.equal(pagerTarget(code), undefined, code);
});
