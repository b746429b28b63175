/**
 * Runs one cell through tslab's executor and says what happened, instead of letting tslab print it:
 * tslab writes the checker's diagnostics and a thrown error to its console's `error` and hands the last
 * value to its `log`, then returns only true/false. The console given to tslab's executor here records
 * them for the running cell, and the node converter's `convert` is wrapped to keep the diagnostics'
 * codes and positions. A Promise as the last value is awaited (so `plotHistory(h)` without `await`
 * still shows its chart). An interrupt ends the cell's await with KeyboardInterrupt.
 */
import type { CellDiagnostic } from "./errors";

export type CellOutcome =
  | { status: "ok"; hasValue: boolean; value?: unknown }
  | { status: "error"; diagnostics: CellDiagnostic[] }
  | { status: "error"; thrown: unknown }
  | { status: "interrupted"; message: string };

interface Recording {
  diagnostics: CellDiagnostic[];
  thrown: { value: unknown } | undefined;
  last: { value: unknown } | undefined;
}

interface TslabDiagnostic {
  start: { line: number; character: number };
  messageText: string;
  code: number;
  category: number;
  fileName?: string;
}
interface ConvertResult {
  diagnostics: TslabDiagnostic[];
}
export interface ConverterLike {
  convert(prevDecl: string, src: string): ConvertResult;
}

const DIAGNOSTIC_FORMAT = "%s%d:%d - %s"; // tslab's executor printDiagnostics

export class CellRecorder {
  private current: Recording | undefined;

  /** The console to give tslab's createExecutor: records for the running cell, else prints. */
  readonly console = {
    log: (...args: unknown[]) => {
      if (this.current && args.length === 1) this.current.last = { value: args[0] };
      else console.log(...args);
    },
    error: (...args: unknown[]) => {
      if (this.current && args[0] === DIAGNOSTIC_FORMAT) return; // recorded with codes by wrapConverter
      if (this.current && args.length === 1) this.current.thrown = { value: args[0] };
      else console.error(...args);
    },
  };

  /** Wraps a converter's convert to record its diagnostics (with codes) for the running cell. */
  wrapConverter<C extends ConverterLike>(converter: C): C {
    const convert = converter.convert.bind(converter);
    converter.convert = (prevDecl, src) => {
      const result = convert(prevDecl, src);
      if (this.current) {
        this.current.diagnostics = result.diagnostics.map((d) => ({
          line: d.start.line,
          character: d.start.character,
          messageText: d.messageText,
          code: d.code,
          category: d.category,
          fileName: d.fileName,
        }));
      }
      return result;
    };
    return converter;
  }

  /** Runs `execute` (tslab's executor.execute) with recording on. */
  async record(execute: () => Promise<boolean>): Promise<{ ok: boolean } & Recording> {
    const recording: Recording = { diagnostics: [], thrown: undefined, last: undefined };
    this.current = recording;
    let ok: boolean;
    try {
      ok = await execute();
    } catch (error) {
      recording.thrown = { value: error };
      ok = false;
    } finally {
      this.current = undefined;
    }
    return { ok, ...recording };
  }
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === "object" || typeof v === "function") &&
  v !== null &&
  typeof (v as PromiseLike<unknown>).then === "function";

/** What tslab and V8 throw when an interrupt ends a cell: tslab's abandoned await, vm's breakOnSigint. */
function isInterruptError(value: unknown): value is Error {
  return (
    value instanceof Error &&
    (value.message === "Interrupted asynchronously" ||
      (value as NodeJS.ErrnoException).code === "ERR_SCRIPT_EXECUTION_INTERRUPTED")
  );
}

export class CellRunner {
  /** Maps a line of the JavaScript tslab ran to the cell's line (0-based), when known (cell-lines.ts). */
  cellLine: ((jsLine: number, cellSource: string) => number | undefined) | undefined;
  private rejectWait: ((reason: unknown) => void) | undefined;
  private interrupted = false;

  constructor(
    private readonly recorder: CellRecorder,
    private readonly executor: { execute(src: string): Promise<boolean>; interrupt(): void },
  ) {}

  /** Jupyter's interrupt when no training loop can stop cooperatively: abandon the cell's await. */
  interrupt(): void {
    this.interrupted = true;
    this.executor.interrupt();
    this.rejectWait?.(new Error("Interrupted asynchronously"));
  }

  async run(source: string): Promise<CellOutcome> {
    this.interrupted = false;
    const result = await this.recorder.record(() => this.executor.execute(source));
    if (!result.ok) {
      if (result.diagnostics.length > 0) return { status: "error", diagnostics: result.diagnostics };
      const thrown = result.thrown?.value;
      if (isInterruptError(thrown) && (this.interrupted || thrown.message !== "Interrupted asynchronously"))
        return { status: "interrupted", message: "interrupted" };
      return { status: "error", thrown };
    }
    // A `//@module` cell registers its module whatever its diagnostics: show them, as tslab did.
    for (const d of result.diagnostics) {
      process.stderr.write(
        `${d.fileName ? `${d.fileName} ` : ""}${d.line + 1}:${d.character + 1} - ${d.messageText}\n`,
      );
    }
    if (!result.last) return { status: "ok", hasValue: false };
    let value = result.last.value;
    if (isThenable(value)) {
      try {
        value = await new Promise((resolve, reject) => {
          this.rejectWait = reject;
          Promise.resolve(value).then(resolve, reject);
        });
      } catch (error) {
        if (isInterruptError(error) && this.interrupted) return { status: "interrupted", message: "interrupted" };
        return { status: "error", thrown: error };
      } finally {
        this.rejectWait = undefined;
      }
      if (value === undefined || value === null) return { status: "ok", hasValue: false };
    }
    return { status: "ok", hasValue: true, value };
  }
}
