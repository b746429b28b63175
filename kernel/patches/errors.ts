/**
 * A cell's error as Jupyter shows errors: `ename`, `evalue` and a short traceback that starts at the
 * cell's line ("Cell In[3], line 2" and that line of source), then the frames of the code it called
 * (tslab, vm and Node internals left out), and ends with "Name: message" — at most about 12 lines.
 * TypeScript's checker errors come with the cell's line and column and a caret under the spot.
 */
import * as util from "node:util";

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface CellDiagnostic {
  line: number; // 0-based, in the cell
  character: number; // 0-based
  messageText: string;
  code: number;
  category: number; // TypeScript's DiagnosticCategory: 0 warning, 1 error, 2 suggestion, 3 message
  fileName?: string; // set when the problem is in another file the cell imports
}

const MAX_DIAGNOSTICS = 3;
const MAX_FRAMES = 6;

function sourceLine(source: string, line: number): string | undefined {
  return source.split("\n")[line];
}

/** "Cell In[3], line 2" and the line itself, marked as IPython marks it. */
function cellLocation(label: string, source: string, line: number): string[] {
  const text = sourceLine(source, line);
  return [`${label}, line ${line + 1}`, ...(text === undefined ? [] : [`----> ${line + 1} ${text}`])];
}

export function diagnosticsError(diagnostics: CellDiagnostic[], source: string, label: string): CellError {
  const errors = diagnostics.filter((d) => d.category === 1);
  const shown = errors.length > 0 ? errors : diagnostics;
  const first = shown[0];
  const where = (d: CellDiagnostic) =>
    (d.fileName ? `${d.fileName}:` : `${label}, `) + `${d.line + 1}:${d.character + 1}`;
  const traceback: string[] = [];
  let previous: CellDiagnostic | undefined;
  let count = 0;
  for (const d of shown) {
    // tslab splits a message chain into entries at the same position: indent its continuation.
    if (
      previous &&
      previous.line === d.line &&
      previous.character === d.character &&
      previous.fileName === d.fileName
    ) {
      traceback.push(`    ${d.messageText}`);
      continue;
    }
    if (++count > MAX_DIAGNOSTICS) {
      traceback.push(`... and ${shown.length - traceback.length} more`);
      break;
    }
    traceback.push(`${where(d)} - error TS${d.code}: ${d.messageText}`);
    const text = d.fileName ? undefined : sourceLine(source, d.line);
    if (text !== undefined)
      traceback.push(
        `  ${d.line + 1} | ${text}`,
        `  ${" ".repeat(String(d.line + 1).length)} | ${" ".repeat(d.character)}^`,
      );
    previous = d;
  }
  const evalue = `${first.messageText} (${first.fileName ? `${first.fileName} ` : ""}line ${first.line + 1}, column ${first.character + 1})`;
  traceback.push(`TSError: ${evalue}`);
  return { ename: "TSError", evalue, traceback };
}

interface Frame {
  text: string; // "fit (/.../training.js:12:3)"
  file: string;
  line: number;
  column: number;
}

function parseFrame(line: string): Frame | undefined {
  const m = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/.exec(line);
  if (!m) return undefined;
  // The library's layers and models are callable Proxies, and V8 names a method called through a Proxy
  // "Proxy.predict": print it as "predict", the name the user wrote.
  const text = line
    .trim()
    .slice(3)
    .replace(/^Proxy\./, "");
  return { text, file: m[2], line: Number(m[3]), column: Number(m[4]) };
}

const CELL_FILE = "evalmachine.<anonymous>";

/** Frames a user never wrote or called: Node's own, vm's, tslab's and this kernel's. */
function isInternal(file: string): boolean {
  return (
    file.startsWith("node:") ||
    !file.includes("/") ||
    /[\\/]node_modules[\\/](tslab|@tslab)[\\/]/.test(file) ||
    /[\\/]dist[\\/]kernel[\\/]/.test(file) ||
    /[\\/]kernel[\\/]patches[\\/]/.test(file)
  );
}

export interface ThrownContext {
  source: string;
  label: string;
  /** The cell line (0-based) of a line (1-based) in the JavaScript tslab ran, if known. */
  cellLine?: (jsLine: number) => number | undefined;
}

/** Error names that mean the user stopped the cell (Jupyter's ■). */
export const KEYBOARD_INTERRUPT = "KeyboardInterrupt";

export function interruptError(message: string): CellError {
  return { ename: KEYBOARD_INTERRUPT, evalue: message, traceback: [`${KEYBOARD_INTERRUPT}: ${message}`] };
}

export function thrownError(value: unknown, context: ThrownContext): CellError {
  if (!(value instanceof Error)) {
    const evalue = util.inspect(value);
    return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const ename = value.name || value.constructor?.name || "Error";
  const evalue = value.message;
  if (ename === KEYBOARD_INTERRUPT) return interruptError(evalue);
  const frames = (value.stack ?? "")
    .split("\n")
    .map(parseFrame)
    .filter((f): f is Frame => f !== undefined);
  const cellAt = frames.findIndex((f) => f.file === CELL_FILE);
  const traceback: string[] = [];
  if (cellAt >= 0) {
    const line = context.cellLine?.(frames[cellAt].line);
    traceback.push(...(line === undefined ? [`${context.label}`] : cellLocation(context.label, context.source, line)));
  }
  // Deeper frames (called from the cell), outermost first as Python prints them.
  const called = (cellAt >= 0 ? frames.slice(0, cellAt) : frames).filter(
    (f) => f.file !== CELL_FILE && !isInternal(f.file),
  );
  const kept = called.slice(0, MAX_FRAMES).reverse();
  if (called.length > MAX_FRAMES) traceback.push(`  ... ${called.length - MAX_FRAMES} more frames`);
  traceback.push(...kept.map((f) => `  at ${f.text}`));
  traceback.push(evalue ? `${ename}: ${evalue}` : ename);
  return { ename, evalue, traceback };
}
