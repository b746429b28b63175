/**
 * Imports in cells over the real Jupyter protocol: ES-module-only packages (vega-lite 6, vega 6, and a fixture
 * exported only for "import" with top-level await, which no `require` can load), a package with an `exports`
 * map of conditions and subpath patterns, a CommonJS package, Node built-ins, the user's own `.mjs` and `.ts`
 * files beside the notebook, and a missing package — with types checked, completions, values across cells.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runCells, text, type CellResult } from "./drive";

const projectRoot = resolve(__dirname, "..", "..");
const ok = (cell: CellResult, what: string) => assert.equal(cell.status, "ok", `${what}: ${text(cell)}`);
/** The last line a cell shows; a string value's execute_result is its repr ('…'), read here without the quotes. */
const lastLine = (cell: CellResult) =>
  text(cell)
    .trim()
    .split("\n")
    .pop()
    ?.replace(/^'(.*)'$/, "$1");

test(
  "vega-lite and vega (ES modules only) import statically and dynamically, with types, completions and values across cells",
  { timeout: 180_000 },
  () => {
    const importLine = `import * as vl from "vega-lite";`;
    const { cells, alive } = runCells([
      { code: `${importLine}\nimport { compile } from "vega-lite";\nimport * as vega from "vega";\ntypeof vl.compile` },
      { code: `const m = await import("vega-lite");\nm.compile === compile` },
      // The next cells see the bindings (values and types) of the earlier ones.
      {
        code: `const spec = compile({ data: { values: [{ a: 1 }] }, mark: "bar", encoding: { x: { field: "a", type: "quantitative" } } }).spec;\nconst view = new vega.View(vega.parse(spec), { renderer: "none" });\n(await view.toSVG()).startsWith("<svg")`,
      },
      { code: `const wrong: number = vl.version;` },
      { code: `compile({ mark: "no-such-mark" });` },
      { code: `${importLine}\nvl.comp`, complete_at: importLine.length + 8 },
      { code: `m.norm`, complete_at: 6 },
      {
        code: `import { readFileSync } from "node:fs";\nimport * as os from "node:os";\ntypeof readFileSync + " " + typeof os.cpus`,
      },
    ]);
    assert.equal(alive, true);
    ok(cells[0], "static imports");
    assert.equal(lastLine(cells[0]), "function");
    ok(cells[1], "dynamic import");
    assert.equal(lastLine(cells[1]), "true", "the dynamic import is the same module instance");
    ok(cells[2], "values across cells");
    assert.equal(lastLine(cells[2]), "true", "vega rendered the compiled vega-lite spec to SVG");
    assert.equal(cells[3].status, "error");
    assert.match(text(cells[3]), /1:7 - error TS2322: Type 'string' is not assignable to type 'number'/);
    assert.equal(cells[4].status, "error", "vega-lite's types check the spec");
    assert.match(text(cells[4]), /"no-such-mark"/);
    assert.ok(cells[5].matches?.includes("compile"), `completions of vl.: ${cells[5].matches}`);
    assert.ok(cells[6].matches?.includes("normalize"), `completions of m.: ${cells[6].matches}`);
    ok(cells[7], "node built-ins");
    assert.equal(lastLine(cells[7]), "function function");
  },
);

/** A notebook folder with its own package.json and node_modules, and the user's files beside the notebook. */
function notebookFolder(): string {
  const root = mkdtempSync(join(tmpdir(), "tslab-keras-imports-"));
  const files: Record<string, string> = {
    "package.json": `{ "name": "my-lessons", "private": true }`,
    // ES module exported only for "import", with top-level await: `require` cannot load it on any Node.
    "node_modules/esm-only/package.json": `{ "name": "esm-only", "type": "module", "exports": { ".": { "types": "./index.d.ts", "import": "./index.js" } } }`,
    "node_modules/esm-only/index.js": `const ready = await Promise.resolve(42);\nexport const answer = ready;\nexport function greet(name) { return "hello " + name; }\nexport default "esm default";`,
    "node_modules/esm-only/index.d.ts": `export declare const answer: number;\nexport declare function greet(name: string): string;\ndeclare const d: string;\nexport default d;`,
    // Conditions (import / require) and a subpath pattern, no `main`: tslab's own resolution finds nothing.
    "node_modules/dual/package.json": `{ "name": "dual", "exports": { ".": { "types": "./types/index.d.ts", "import": "./esm/index.mjs", "require": "./cjs/index.cjs" }, "./tools/*": { "types": "./types/tools/*.d.ts", "default": "./tools/*.js" } } }`,
    "node_modules/dual/esm/index.mjs": `export const flavor = "esm";`,
    "node_modules/dual/cjs/index.cjs": `exports.flavor = "cjs";`,
    "node_modules/dual/types/index.d.ts": `export declare const flavor: "esm" | "cjs";`,
    "node_modules/dual/tools/add.js": `exports.add = (a, b) => a + b;`,
    "node_modules/dual/types/tools/add.d.ts": `export declare function add(a: number, b: number): number;`,
    // CommonJS: `module.exports =` a function with properties, typed with `export =`.
    "node_modules/classic/package.json": `{ "name": "classic", "main": "lib/main.js", "types": "lib/main.d.ts" }`,
    "node_modules/classic/lib/main.js": `module.exports = function classic(x) { return x + 1; };\nmodule.exports.label = "classic";`,
    "node_modules/classic/lib/main.d.ts": `declare function classic(x: number): number;\ndeclare namespace classic { const label: string; }\nexport = classic;`,
    // The user's own files beside the notebook.
    "helpers.mjs": `export const double = (x) => x * 2;\nexport default function triple(x) { return x * 3; }`,
    "stats.js": `export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;`,
    "shapes.ts": `import { greet } from "esm-only";\nexport const hello = (who: string): string => greet(who) + "!";`,
  };
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
  }
  return root;
}

const badColumnCell = `const again = await import("esm-only"); const bad: string = again.answer;`;

test(
  "a notebook folder's own node_modules: ES-module-only, exports-map and CommonJS packages, local .mjs, .ts and .js files, a missing package",
  { timeout: 180_000 },
  () => {
    const root = notebookFolder();
    try {
      const { cells, alive } = runCells(
        [
          { code: `import banner, { answer, greet } from "esm-only";\n[banner, answer, greet("cell")].join(", ")` },
          { code: `const e = await import("esm-only");\ne.answer + 1` },
          { code: `const s: string = answer;` },
          { code: `import { flavor } from "dual";\nimport { add } from "dual/tools/add";\nflavor + " " + add(2, 3)` },
          { code: `const d = await import("dual");\nd.flavor` },
          {
            code: `import classic from "classic";\nimport * as ns from "classic";\nclassic(1) + " " + classic.label + " " + ns.label`,
          },
          { code: `import triple, { double } from "./helpers.mjs";\ndouble(2) + triple(2)` },
          { code: `const t: string = double(2);` },
          { code: `import { hello } from "./shapes";\nhello("ts")` },
          { code: `import * as d3 from "d3";` },
          { code: `const name = "d3-scale";\nawait import(name);` },
          { code: `greet("again") + " " + flavor + " " + e.answer` },
          { code: badColumnCell },
          { code: `import { mean } from "./stats.js";\nmean([1, 2, 6])` },
        ],
        120,
        { cwd: root },
      );
      assert.equal(alive, true);
      ok(cells[0], "ES-module-only package");
      assert.equal(lastLine(cells[0]), "esm default, 42, hello cell");
      ok(cells[1], "its dynamic import");
      assert.equal(lastLine(cells[1]), "43");
      assert.equal(cells[2].status, "error");
      assert.match(text(cells[2]), /Type 'number' is not assignable to type 'string'/);
      ok(cells[3], "exports map");
      assert.equal(lastLine(cells[3]), "esm 5", "import resolves the 'import' condition and the ./tools/* pattern");
      ok(cells[4], "exports map, dynamically");
      assert.equal(lastLine(cells[4]), "esm");
      ok(cells[5], "CommonJS package");
      assert.equal(lastLine(cells[5]), "2 classic classic");
      ok(cells[6], "local .mjs");
      assert.equal(lastLine(cells[6]), "10");
      assert.equal(cells[7].status, "error", "the .mjs file's types are inferred and checked");
      assert.match(text(cells[7]), /Type 'number' is not assignable to type 'string'/);
      ok(cells[8], "local .ts importing an ES-module-only package");
      assert.equal(lastLine(cells[8]), "hello ts!");
      assert.equal(cells[9].status, "error");
      assert.match(
        text(cells[9]),
        new RegExp(
          `Cannot find module 'd3': the package 'd3' is not installed; install it with \`npm install d3\` in ${root}`,
        ),
      );
      assert.equal(cells[10].status, "error");
      assert.match(text(cells[10]), /Cannot find package 'd3-scale'.*`npm install d3-scale`/);
      ok(cells[11], "values across cells");
      assert.equal(lastLine(cells[11]), "hello again esm 42");
      assert.equal(cells[12].status, "error");
      // The kernel annotates `again`'s type; the error still points where the user typed.
      assert.match(
        text(cells[12]),
        new RegExp(`, 1:${badColumnCell.indexOf("bad") + 1} - error TS2322: Type 'number' is not assignable`),
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);

test(
  "a lesson folder outside the project with tslab-keras installed (a class's copy, a porter's folder): the library's inferred types carry across cells",
  { timeout: 180_000 },
  () => {
    const root = mkdtempSync(join(tmpdir(), "tslab-keras-lesson-"));
    try {
      mkdirSync(join(root, "node_modules"));
      symlinkSync(projectRoot, join(root, "node_modules", "tslab-keras"), "dir");
      const { cells, alive } = runCells(
        [
          {
            code: `import { Sequential, layers } from "tslab-keras";\nconst model = new Sequential([layers.Input([2]), layers.Dense(1)]);\nmodel.compile({ optimizer: "sgd", loss: "mse" });\nconst history = await model.fit([[1, 2], [3, 4]], [[1], [2]], { epochs: 2, verbose: 0 });\nconst layer = model.layers[0];\nconst optimizer = model.optimizer;`,
          },
          { code: `history.history.loss.length + " " + layer.name + " " + optimizer?.getConfig().learning_rate` },
        ],
        120,
        { cwd: root },
      );
      assert.equal(alive, true);
      ok(cells[0], "a fit's History, a layer and an optimizer as inferred types");
      ok(cells[1], "the next cell uses them");
      assert.equal(lastLine(cells[1]), "2 dense 0.01");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
);
