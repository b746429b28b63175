/**
 * Cell line numbers for runtime errors. tslab runs a cell as JavaScript compiled from it (types
 * erased, blank lines dropped, top-level names rewritten to `exports.x`, extra export lines), so a
 * stack's line is a line of that JavaScript. tslab compiles without source maps and its TypeScript
 * module's functions cannot be wrapped (getters), so the JavaScript that vm runs is recorded here
 * and its lines are aligned to the cell's: an order-keeping alignment that maximises shared tokens
 * (names, numbers, strings) between the two, which the compiler's output preserves line by line.
 */
import vm from "node:vm"; // the module object itself (tslab calls vm.runInThisContext on it)

const PREFIX = /^\((?:async )?function\(exports, require\) \{ /;
const IGNORED = new Set(["exports", "require", "await", "const", "let", "var", "async", "function", "__tslab__"]);

function tokens(line: string): Set<string> {
  const found = line.match(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|[A-Za-z_$][\w$]*|\d+(?:\.\d+)?/g) ?? [];
  return new Set(found.map((t) => t.replace(/^['"`]|['"`]$/g, "")).filter((t) => !IGNORED.has(t)));
}

/** For each JavaScript line, the cell line (0-based) it came from. */
export function alignLines(jsLines: string[], cellLines: string[]): number[] {
  const cellTokens = cellLines.map(tokens);
  const n = jsLines.length;
  const m = cellLines.length;
  if (m === 0) return jsLines.map(() => 0);
  // best[i][j]: the best total similarity of JS lines 0..i with line i mapped to cell line j (non-decreasing).
  const best: Float64Array[] = [];
  const from: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const js = tokens(jsLines[i]);
    const row = new Float64Array(m);
    const back = new Int32Array(m);
    let prefixBest = -Infinity;
    let prefixAt = 0;
    for (let j = 0; j < m; j++) {
      if (i > 0 && best[i - 1][j] > prefixBest) {
        prefixBest = best[i - 1][j];
        prefixAt = j;
      }
      let shared = 0;
      for (const t of js) if (cellTokens[j].has(t)) shared++;
      const similarity = js.size === 0 ? 0 : shared / js.size - 1e-6 * j; // ties: the earliest line
      row[j] = similarity + (i > 0 ? prefixBest : 0);
      back[j] = prefixAt;
    }
    best.push(row);
    from.push(back);
  }
  const out = new Array<number>(n);
  let j = best[n - 1].indexOf(Math.max(...best[n - 1]));
  for (let i = n - 1; i >= 0; i--) {
    out[i] = j;
    j = from[i][j];
  }
  return out;
}

/**
 * Records the JavaScript of each cell tslab hands to vm.runInThisContext; returns the mapper from a
 * JavaScript line (1-based, as in stacks) to the cell's line (0-based) for the latest cell and `source`.
 */
export function recordCellJavaScript(): (jsLine: number, cellSource: string) => number | undefined {
  let latest: string[] | undefined;
  const mutableVm = vm as { runInThisContext: typeof vm.runInThisContext };
  const run = vm.runInThisContext;
  mutableVm.runInThisContext = ((code: string, options?: vm.RunningScriptOptions | string) => {
    if (typeof code === "string" && PREFIX.test(code)) latest = code.replace(PREFIX, "").split("\n");
    return run(code, options);
  }) as typeof vm.runInThisContext;
  return (jsLine, cellSource) => {
    if (!latest || jsLine < 1 || jsLine > latest.length) return undefined;
    return alignLines(latest, cellSource.split("\n"))[jsLine - 1];
  };
}
