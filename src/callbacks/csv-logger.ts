/**
 * Keras 3's CSVLogger: one row per epoch — `epoch` (0-based), then the log keys sorted by name (with
 * `val_` twins added as "NA" when there is no validation) — written and flushed at each epoch end.
 * Numbers are written as Python writes floats (`repr`), e.g. 0.30000001192092896.
 *
 *   new callbacks.CSVLogger("training.log", { separator: ",", append: false })
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Logs } from "./callback";
import { Callback } from "./callback";
import { pyRepr } from "./format";
import { callbackOptions } from "./monitor";

export interface CSVLoggerArgs {
  /** Column separator. Defaults to ",". */
  separator?: string;
  /** Append to an existing file (no second header) instead of overwriting it. Defaults to false. */
  append?: boolean;
}

/** Python's csv module, minimal quoting: a field with the separator, a quote or a newline is quoted. */
function csvField(value: string, sep: string): string {
  return value.includes(sep) || value.includes('"') || /[\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export class CSVLogger extends Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys?: string[];
  private writeHeader = true;
  private open = false;

  constructor(filename: string, args: CSVLoggerArgs = {}) {
    super();
    if (typeof filename !== "string" || filename === "") {
      throw new Error("CSVLogger needs a filename, e.g. new callbacks.CSVLogger('training.log')");
    }
    const o = callbackOptions("CSVLogger", args, ["separator", "append"]);
    this.filename = filename;
    this.separator = o.separator ?? ",";
    this.append = o.append ?? false;
  }

  override onTrainBegin(): void {
    const dir = dirname(this.filename);
    if (dir && dir !== ".") mkdirSync(dir, { recursive: true });
    if (this.append && existsSync(this.filename)) {
      const firstLine = readFileSync(this.filename, "utf8").split("\n")[0];
      this.writeHeader = firstLine.length === 0;
    } else {
      this.writeHeader = true;
      writeFileSync(this.filename, "");
    }
    this.keys = undefined;
    this.open = true;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (!this.open) return;
    if (this.keys === undefined) {
      const keys = Object.keys(logs).sort();
      if (!keys.some((k) => k.startsWith("val_")) && keys.length > 0) keys.push(...keys.map((k) => `val_${k}`));
      this.keys = keys;
    }
    const sep = this.separator;
    let text = "";
    if (this.writeHeader) {
      text += ["epoch", ...this.keys].map((k) => csvField(k, sep)).join(sep) + "\n";
      this.writeHeader = false;
    }
    const cells = this.keys.map((k) => {
      const v = logs[k];
      return v === undefined ? "NA" : typeof v === "number" ? pyRepr(v) : String(v);
    });
    text += [String(epoch), ...cells].map((c) => csvField(c, sep)).join(sep) + "\n";
    appendFileSync(this.filename, text);
  }

  override onTrainEnd(): void {
    this.open = false;
  }
}
