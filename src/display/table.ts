/**
 * `table(history)`: records as a table, like `pd.DataFrame(history.history)` — an index column 0..n-1,
 * columns in the history's key order, numbers to 6 significant digits with one decimal count per column
 * (as pandas prints them). Bundle: text/html and an aligned text/plain table.
 */
import { JUPYTER_DISPLAY, type JupyterDisplayable, type MimeBundle } from "./bridge";
import { escapeHTML } from "./html-export";
import { publish } from "./output";

type Cell = number | string | boolean | null | undefined;
/** Column-wise (`{ loss: [...], acc: [...] }`, a History) or row-wise (`[{ loss, acc }, ...]`) data. */
export type TableInput =
  Record<string, ArrayLike<Cell>> | { history: Record<string, ArrayLike<Cell>> } | Record<string, Cell>[];

export interface TableOptions {
  /** Rows shown before the middle is elided ("..."), as pandas does (default 60). */
  maxRows?: number;
  /** Significant digits (default 6). */
  precision?: number;
}

function isColumnRecord(v: unknown): v is Record<string, ArrayLike<Cell>> {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((x) => Array.isArray(x) || ArrayBuffer.isView(x))
  );
}

function toColumns(input: unknown): { names: string[]; columns: Cell[][] } {
  if (Array.isArray(input)) {
    const names: string[] = [];
    for (const row of input) {
      if (typeof row !== "object" || row === null) throw new Error("table: rows must be objects ({ column: value })");
      for (const k of Object.keys(row)) if (!names.includes(k)) names.push(k);
    }
    return { names, columns: names.map((k) => input.map((row: Record<string, Cell>) => row[k])) };
  }
  const record = isColumnRecord(input)
    ? input
    : isColumnRecord((input as { history?: unknown } | null)?.history)
      ? (input as { history: Record<string, ArrayLike<Cell>> }).history
      : undefined;
  if (!record) throw new Error("table: expected a History, a { column: values[] } record or an array of row objects");
  const names = Object.keys(record);
  return { names, columns: names.map((k) => Array.from(record[k])) };
}

/** Formats a numeric column like pandas: shortest decimals that keep `precision` significant digits. */
function formatColumn(values: Cell[], precision: number): string[] {
  const nums = values.filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  const useExp = nums.some((v) => Math.abs(v) >= 1e6 || (v !== 0 && Math.abs(v) < 1e-4));
  let decimals = 0;
  if (!useExp) {
    for (const v of nums) {
      const s = Number(v.toPrecision(precision)).toString();
      const dot = s.indexOf(".");
      if (dot >= 0) decimals = Math.max(decimals, s.length - dot - 1);
    }
  }
  return values.map((v) => {
    if (v === undefined || v === null || (typeof v === "number" && Number.isNaN(v))) return "NaN";
    if (typeof v !== "number") return String(v);
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (useExp) return v.toExponential(precision - 1).replace(/e([+-])(\d)$/, "e$10$2");
    return v.toFixed(decimals);
  });
}

export class Table implements JupyterDisplayable {
  readonly names: string[];
  readonly rows: number;
  private readonly cells: string[][];

  constructor(
    input: TableInput,
    private readonly options: TableOptions = {},
  ) {
    const { names, columns } = toColumns(input);
    this.names = names;
    this.rows = Math.max(0, ...columns.map((c) => c.length));
    const padded = columns.map((c) => Array.from({ length: this.rows }, (_, i) => c[i]));
    this.cells = padded.map((c) => formatColumn(c, options.precision ?? 6));
  }

  /** Row indices shown (undefined marks the elided middle). */
  private shownRows(): (number | undefined)[] {
    const max = this.options.maxRows ?? 60;
    const all = Array.from({ length: this.rows }, (_, i) => i);
    if (this.rows <= max) return all;
    const half = Math.max(1, Math.floor(max / 2));
    return [...all.slice(0, half), undefined, ...all.slice(this.rows - half)];
  }

  toHTML(): string {
    const head = `<thead><tr style="text-align: right;"><th></th>${this.names.map((n) => `<th>${escapeHTML(n)}</th>`).join("")}</tr></thead>`;
    const body = this.shownRows()
      .map((i) =>
        i === undefined
          ? `<tr><th>...</th>${this.names.map(() => "<td>...</td>").join("")}</tr>`
          : `<tr><th>${i}</th>${this.cells.map((c) => `<td>${escapeHTML(c[i])}</td>`).join("")}</tr>`,
      )
      .join("\n");
    const dims = `<p>${this.rows} rows × ${this.names.length} columns</p>`;
    return `<div><table border="1" class="dataframe">\n${head}\n<tbody>\n${body}\n</tbody>\n</table>${this.rows > (this.options.maxRows ?? 60) ? dims : ""}</div>`;
  }

  toString(): string {
    const rows = this.shownRows();
    const index = rows.map((i) => (i === undefined ? "..." : String(i)));
    const indexWidth = Math.max(0, ...index.map((s) => s.length));
    const cols = this.names.map((name, c) => {
      const vals = rows.map((i) => (i === undefined ? "..." : this.cells[c][i]));
      const w = Math.max(name.length, ...vals.map((v) => v.length));
      return { head: name.padStart(w), vals: vals.map((v) => v.padStart(w)) };
    });
    const lines = [[" ".repeat(indexWidth), ...cols.map((c) => c.head)].join("  ")];
    rows.forEach((_, r) => lines.push([index[r].padEnd(indexWidth), ...cols.map((c) => c.vals[r])].join("  ")));
    if (this.names.length === 0) return `Empty table (${this.rows} rows, no columns)`;
    if (rows.length < this.rows) lines.push("", `[${this.rows} rows x ${this.names.length} columns]`);
    return lines.join("\n");
  }

  bundle(): MimeBundle {
    return { "text/html": this.toHTML(), "text/plain": this.toString() };
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }

  show(): void {
    publish(this.bundle());
  }
}

/** `table(history)`: like `pd.DataFrame(history.history)`; displays as an HTML table. */
export function table(input: TableInput, options: TableOptions = {}): Table {
  return new Table(input, options);
}
