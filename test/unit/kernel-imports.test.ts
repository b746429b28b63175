/**
 * The kernel's imports (kernel/imports.ts and its parts): Node's ESM resolution from a folder, the rewrites of
 * compiled cells, and cells run in-process through tslab's executor under whichever Node runs the tests
 * (npm test runs this file under Node 20 and Node 24).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import ts from "typescript";
import { exportsTarget, PackageNotInstalledError, resolveImport } from "../../kernel/esm-resolve";
import { annotateDynamicImports, LOADER, originalOffset, rewriteRequires } from "../../kernel/import-rewrite";
import { esModuleImports } from "../../kernel/imports";
import { tslabInternals } from "../../kernel/tslab-internals";

const projectRoot = join(__dirname, "..", "..");
const notebooks = join(projectRoot, "notebooks");
const conditions = new Set(["node", "import", "default"]);

test("exports maps resolve like Node's: conditions in order, arrays, null, the longest subpath pattern", () => {
  assert.equal(exportsTarget("./main.js", ".", conditions), "./main.js");
  assert.equal(exportsTarget("./main.js", "./x", conditions), undefined);
  assert.equal(exportsTarget({ require: "./a.cjs", import: "./a.mjs" }, ".", conditions), "./a.mjs");
  assert.equal(exportsTarget({ browser: "./b.js", node: { import: "./n.mjs" } }, ".", conditions), "./n.mjs");
  assert.equal(exportsTarget({ ".": { types: "./i.d.ts", default: "./i.js" } }, ".", conditions), "./i.js");
  assert.equal(exportsTarget({ ".": [{ worker: "./w.js" }, "./fallback.js"] }, ".", conditions), "./fallback.js");
  const map = { "./*": "./dist/*.js", "./internal/*": null, "./feat/*.js": { import: "./esm/*.js" } };
  assert.equal(exportsTarget(map, "./util", conditions), "./dist/util.js");
  assert.equal(exportsTarget(map, "./internal/x", conditions), null);
  assert.equal(exportsTarget(map, "./feat/a/b.js", conditions), "./esm/a/b.js");
  assert.equal(exportsTarget({ ".": { require: "./r.cjs" } }, ".", conditions), undefined);
});

test("resolveImport gives the file and format `import` would load from the notebook folder", () => {
  const vegaLite = resolveImport("vega-lite", notebooks);
  assert.equal(vegaLite.format, "esm");
  assert.equal(vegaLite.file, join(projectRoot, "node_modules/vega-lite/build/index.js"));
  assert.deepEqual(resolveImport("pngjs", notebooks), {
    format: "commonjs",
    file: join(projectRoot, "node_modules/pngjs/lib/png.js"),
  });
  assert.deepEqual(resolveImport("node:fs", notebooks), { format: "builtin" });
  assert.deepEqual(resolveImport("path", notebooks), { format: "builtin" });
  assert.equal(resolveImport("vega-lite/vega-lite-schema.json", notebooks).format, "json");
  assert.throws(
    () => resolveImport("@nope/not-installed/sub", notebooks),
    (error: unknown) =>
      error instanceof PackageNotInstalledError &&
      error.packageName === "@nope/not-installed" &&
      error.message.includes(`\`npm install @nope/not-installed\` in ${projectRoot} `),
  );
});

const esmOnly = (specifier: string) => specifier === "esm-pkg";

test("compiled cells: top-level requires of ES modules await the loader; dynamic imports always go through it", () => {
  const cell = [
    `const a = __importStar(require("esm-pkg"));`,
    `const b = require("cjs-pkg");`,
    `function later() { return require("esm-pkg"); }`,
    `const c = await Promise.resolve().then(() => __importStar(require("cjs-pkg")));`,
    "const d = await Promise.resolve(`${name}`).then(s => __importStar(require(s)));",
  ].join("\n");
  const out = rewriteRequires(ts, cell, esmOnly, "/nb");
  assert.equal(out.topLevelAwait, true);
  assert.deepEqual(out.code.split("\n"), [
    `const a = __importStar((await ${LOADER}("esm-pkg", "/nb", require)));`,
    `const b = require("cjs-pkg");`,
    `function later() { return require("esm-pkg"); }`,
    `const c = await Promise.resolve().then(async () => __importStar((await ${LOADER}("cjs-pkg", "/nb", require))));`,
    "const d = await Promise.resolve(`${name}`).then(async s => __importStar((await " +
      LOADER +
      '(s, "/nb", require))));',
  ]);
  const none = rewriteRequires(ts, `const b = require("cjs-pkg");`, esmOnly, "/nb");
  assert.deepEqual(none, { code: `const b = require("cjs-pkg");`, topLevelAwait: false, preloads: [] });
});

test("compiled local files read their ES modules from the preloaded cache (they load synchronously)", () => {
  const out = rewriteRequires(ts, `const a = require("esm-pkg");\nconst b = require("x");`, esmOnly, "/nb/lib", true);
  assert.equal(out.code, `const a = ${LOADER}.preloaded("esm-pkg", "/nb/lib");\nconst b = require("x");`);
  assert.deepEqual(out.preloads, [["esm-pkg", "/nb/lib"]]);
  assert.equal(out.topLevelAwait, false);
});

test("`const m = await import(<ES module>)` gets its type spelt out, so the next cells can be declared", () => {
  const src = `const m = await import("esm-pkg");\nlet n = await import("cjs-pkg");`;
  const annotated = annotateDynamicImports(ts, src, esmOnly, "/nb");
  assert.equal(
    annotated.source,
    `const m: typeof import("esm-pkg") = await import("esm-pkg");\nlet n = await import("cjs-pkg");`,
  );
  // Positions after the annotation map back to the cell as written (diagnostics point where the user typed).
  const inserted = annotated.insertions[0].length;
  assert.equal(originalOffset(annotated.source.indexOf("await"), annotated.insertions), src.indexOf("await"));
  assert.equal(originalOffset(annotated.source.indexOf("let"), annotated.insertions), src.indexOf("let"));
  assert.equal(originalOffset("const m".length + 3, annotated.insertions), "const m".length, "inside the insertion");
  assert.equal(inserted, `: typeof import("esm-pkg")`.length);
  const untouched = `const t: object = await import("esm-pkg");\nfunction f() { const m = import("esm-pkg"); }`;
  assert.deepEqual(annotateDynamicImports(ts, untouched, esmOnly, "/nb"), { source: untouched, insertions: [] });
});

test(
  "cells import vega-lite (ES modules only, top-level await in its graph) with types, under this Node",
  { timeout: 120_000 },
  async () => {
    const { executor: executorModule, typescript } = tslabInternals();
    const cwd = process.cwd();
    process.chdir(notebooks); // tslab's converter roots its program in the current directory
    const converter = esModuleImports(typescript, notebooks).createConverter({ isJS: false, isBrowser: false });
    process.chdir(cwd);
    const logs: unknown[] = [];
    const errors: string[] = [];
    const executor = executorModule.createExecutor(
      notebooks,
      { node: converter, browser: converter, close: () => converter.close() },
      { log: (...a: unknown[]) => logs.push(a[0]), error: (...a: unknown[]) => errors.push(a.join(" ")) },
    );
    try {
      const run = async (cell: string) => assert.equal(await executor.execute(cell), true, errors.join("\n"));
      await run(`import { compile } from "vega-lite";\nconst m = await import("vega");`);
      await run(`[typeof compile({ data: { values: [] }, mark: "bar" }).spec, typeof m.View]`);
      assert.deepEqual(logs.pop(), ["object", "function"]);
      assert.equal(await executor.execute(`const x: number = compile;`), false);
      assert.match(errors.join("\n"), /is not assignable to type 'number'/);
    } finally {
      converter.close();
    }
  },
);
