/**
 * The two rewrites that let cells import ES modules although tslab compiles them to CommonJS:
 *
 * - In the compiled cell, each `require("<ES module>")` that a static import became is replaced by an awaited
 *   `import()` through the kernel's loader (`__tslabKerasImport__`, see imports.ts): Node cannot `require()` an
 *   ES module with top-level await anywhere in its graph (vega-lite 6), nor one exported only for "import". The
 *   bindings stay what tslab made them (`exports.vl = …`), so values still carry across cells. Every dynamic
 *   `import(x)` — which TypeScript compiles to `Promise.resolve().then(() => require(x))` — goes through the
 *   loader as well, which decides at run time.
 * - In the cell's source, `const m = await import("<ES module>")` gets the type annotation it already has
 *   (`: typeof import("<ES module>")`): without one, tslab's declaration of `m` for the next cells cannot
 *   name the module's inner types ("The inferred type of 'm' cannot be named …") and the cell fails.
 *
 * Local files compiled by tslab (a `.ts` beside the notebook) are CommonJS modules loaded synchronously: their
 * static imports of ES modules read from the loader's cache (`.preloaded`), filled by the cell before it runs.
 */
import type * as TS from "typescript";

export const LOADER = "__tslabKerasImport__";

/** Whether `specifier`, imported from a module in `fromDir`, is an ES module (so `require` will not do). */
export type IsEsModule = (specifier: string, fromDir: string) => boolean;

interface Edit {
  at: number;
  end: number;
  text: string;
}

function applyEdits(source: string, edits: Edit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}

/** Text inserted into a cell's source, at `at` (an offset in the original source). */
export interface Insertion {
  at: number;
  length: number;
}

/** `const m = await import("vega-lite")` → `const m: typeof import("vega-lite") = await import("vega-lite")`. */
export function annotateDynamicImports(
  ts: typeof TS,
  source: string,
  isEsModule: IsEsModule,
  dir: string,
): { source: string; insertions: Insertion[] } {
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: Edit[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const decl of statement.declarationList.declarations) {
      const init = decl.initializer;
      if (decl.type || !ts.isIdentifier(decl.name) || !init || !ts.isAwaitExpression(init)) continue;
      const call = init.expression;
      if (!ts.isCallExpression(call) || call.expression.kind !== ts.SyntaxKind.ImportKeyword) continue;
      const [arg] = call.arguments;
      if (call.arguments.length !== 1 || !ts.isStringLiteral(arg) || !isEsModule(arg.text, dir)) continue;
      edits.push({ at: decl.name.end, end: decl.name.end, text: `: typeof import(${JSON.stringify(arg.text)})` });
    }
  }
  return { source: applyEdits(source, edits), insertions: edits.map((e) => ({ at: e.at, length: e.text.length })) };
}

/** An offset in the annotated source → the same place in the original (inside an insertion: where it went). */
export function originalOffset(offset: number, insertions: Insertion[]): number {
  let shift = 0;
  for (const ins of [...insertions].sort((a, b) => a.at - b.at)) {
    const start = ins.at + shift;
    if (offset < start) break;
    if (offset < start + ins.length) return ins.at;
    shift += ins.length;
  }
  return offset - shift;
}

/** TypeScript's CommonJS form of `import(x)`: the arrow in `Promise.resolve(…).then(s => __importStar(require(s)))`. */
function isDynamicImportArrow(ts: typeof TS, node: TS.Node): node is TS.ArrowFunction {
  if (!ts.isArrowFunction(node) || !ts.isCallExpression(node.parent)) return false;
  const then = node.parent.expression;
  if (!ts.isPropertyAccessExpression(then) || then.name.text !== "then") return false;
  const resolve = then.expression;
  return (
    ts.isCallExpression(resolve) &&
    ts.isPropertyAccessExpression(resolve.expression) &&
    resolve.expression.name.text === "resolve" &&
    ts.isIdentifier(resolve.expression.expression) &&
    resolve.expression.expression.text === "Promise"
  );
}

function enclosingFunction(ts: typeof TS, node: TS.Node): TS.Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

export interface RewrittenModule {
  code: string;
  /** The code now awaits at its top level (the cell must run as an async function). */
  topLevelAwait: boolean;
  /** ES modules a synchronously loaded module reads from the loader's cache: [specifier, fromDir]. */
  preloads: [string, string][];
}

/**
 * Rewrites a module tslab compiled to CommonJS (`code`, from a module in `dir`). `sync`: the module is loaded
 * by `require` (a local file), so its top-level imports of ES modules read the preloaded cache instead of awaiting.
 */
export function rewriteRequires(
  ts: typeof TS,
  code: string,
  isEsModule: IsEsModule,
  dir: string,
  sync = false,
): RewrittenModule {
  const file = ts.createSourceFile("cell.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const preloads: [string, string][] = [];
  let topLevelAwait = false;
  const dirText = JSON.stringify(dir);
  const visit = (node: TS.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "require" &&
      node.arguments.length === 1
    ) {
      const [arg] = node.arguments;
      const fn = enclosingFunction(ts, node);
      const argText = arg.getText(file);
      if (fn && isDynamicImportArrow(ts, fn)) {
        edits.push({ at: fn.getStart(file), end: fn.getStart(file), text: "async " });
        edits.push({
          at: node.getStart(file),
          end: node.end,
          text: `(await ${LOADER}(${argText}, ${dirText}, require))`,
        });
      } else if (!fn && ts.isStringLiteral(arg) && isEsModule(arg.text, dir)) {
        if (sync) {
          preloads.push([arg.text, dir]);
          edits.push({ at: node.getStart(file), end: node.end, text: `${LOADER}.preloaded(${argText}, ${dirText})` });
        } else {
          topLevelAwait = true;
          edits.push({
            at: node.getStart(file),
            end: node.end,
            text: `(await ${LOADER}(${argText}, ${dirText}, require))`,
          });
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { code: applyEdits(code, edits), topLevelAwait, preloads };
}

/** The statement a cell runs first so that the local modules it loads find their ES modules imported. */
export function preloadStatement(preloads: [string, string][]): string {
  return `await ${LOADER}.preload(${JSON.stringify(preloads)});\n`;
}
