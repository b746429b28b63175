/**
 * Keras 3's progress bar, as `ProgbarLogger` prints it:
 *
 *   Epoch 3/25
 *   375/375 ━━━━━━━━━━━━━━━━━━━━ 3s 5ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790
 *
 * verbose 1: the bar grows in place; verbose 2: one line per epoch (`375/375 - 3s - 5ms/step - …`).
 * In a kernel each epoch is ONE output, updated through the bridge's display id (throttled to
 * `interval` ms, plus the final state). On a terminal: `\r` updates on a TTY; on a pipe only the final
 * line of each epoch. Per-batch logs may be missing or partial (lazily computed running means): the bar
 * shows what it gets.
 */
import { bundleSender, type BundleSender } from "../display/bridge";
import { newDisplayId } from "../display/output";
import { Callback, type Logs } from "./callback";

export interface ProgbarOptions {
  /** Milliseconds clock (inject a fake one in tests). Default: performance.now. */
  clock?: () => number;
  /** Least time between two in-place updates, ms (default 100; the final state is always shown). */
  interval?: number;
  /** Where text goes outside a kernel (default process.stdout); `isTTY` picks `\r` updates. */
  stream?: { write(text: string): unknown; isTTY?: boolean };
  /** Bar width in characters (default 20, as Keras). */
  width?: number;
  /** Use this sender instead of the kernel's (default: the bridge's, looked up at train begin). */
  sender?: BundleSender;
}

const IGNORED = new Set(["batch", "size"]);

/** Keras' number format: 4 decimals, or `1.2340e-04` for tiny values. */
export function formatMetricValue(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Math.abs(v) > 1e-3) return v.toFixed(4);
  return v.toExponential(4).replace(/e([+-])(\d)$/, "e$10$2");
}

/** Keras' per-step time: ` 5ms/step`, ` 950us/step`, ` 2s/step`. */
export function formatStepTime(seconds: number, unit = "step"): string {
  if (seconds >= 1 || seconds === 0) return ` ${seconds.toFixed(0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${(seconds * 1e3).toFixed(0)}ms/${unit}`;
  return ` ${(seconds * 1e6).toFixed(0)}us/${unit}`;
}

function formatEta(eta: number): string {
  if (eta > 3600)
    return `${Math.floor(eta / 3600)}:${pad2(Math.floor((eta % 3600) / 60))}:${pad2(Math.floor(eta % 60))}`;
  if (eta > 60) return `${Math.floor(eta / 60)}:${pad2(Math.floor(eta % 60))}`;
  return `${Math.floor(eta)}s`;
}
const pad2 = (n: number) => String(n).padStart(2, "0");

/** Keras 3 prints metrics alphabetically, `val_` ones last. */
export function sortMetricNames(names: string[]): string[] {
  const own = names.filter((n) => !n.startsWith("val_")).sort();
  const val = names.filter((n) => n.startsWith("val_")).sort();
  return [...own, ...val];
}

interface Rendered {
  text: string;
  /** The same with ANSI colours (terminal) … */
  ansi: string;
  /** … and as HTML (notebook). */
  html: string;
}

/**
 * The notebook line is Keras' line unchanged, kept on one line: JupyterLab's outputs wrap `pre` text, and a
 * bar with four metrics (about 120 characters) broke after `val_accuracy` at the default width (1280 px
 * with the file browser open). No wrapping (a narrow window scrolls sideways instead) and a code font
 * 10 % smaller than the notebook's fit 120 characters in that width.
 */
export const PRE_STYLE =
  "margin:0;white-space:pre;overflow-x:auto;font-size:calc(var(--jp-code-font-size, 13px) * 0.9)";

const escapeHTML = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One bar's state: counts, timing (Keras' step-time estimate) and the latest metric values. */
export class ProgressBar {
  private start: number;
  private afterFirstStep?: number;
  private perStep = 0;
  readonly values = new Map<string, number>();
  current = 0;

  constructor(
    readonly target: number,
    private readonly clock: () => number,
    private readonly width = 20,
  ) {
    this.start = clock();
  }

  /** Records progress (`current` steps done) and merges whatever numeric logs came with it. */
  update(current: number, logs?: Logs): void {
    this.current = current;
    if (logs) {
      for (const [k, v] of Object.entries(logs)) if (!IGNORED.has(k) && typeof v === "number") this.values.set(k, v);
    }
    const now = this.clock();
    if (current > 0) {
      this.perStep =
        this.afterFirstStep !== undefined && current > 1
          ? (now - this.afterFirstStep) / (current - 1) / 1000
          : (now - this.start) / current / 1000;
      if (current === 1) this.afterFirstStep = now;
    }
  }

  private metrics(): string {
    return sortMetricNames([...this.values.keys()])
      .map((k) => ` - ${k}: ${formatMetricValue(this.values.get(k)!)}`)
      .join("");
  }

  private count(): string {
    const digits = String(this.target).length;
    return `${String(this.current).padStart(digits)}/${this.target}`;
  }

  /** verbose 1: `375/375 ━━━━ 3s 5ms/step - …` (ETA instead of elapsed time until finalized). */
  line(finalize: boolean): Rendered {
    const elapsed = (this.clock() - this.start) / 1000;
    const done = this.target > 0 ? Math.min(this.width, Math.floor((this.width * this.current) / this.target)) : 0;
    const time = finalize
      ? `${elapsed.toFixed(0)}s`
      : formatEta(this.perStep * Math.max(0, this.target - this.current));
    const info = ` ${time}${formatStepTime(this.perStep)}${this.metrics()}`;
    const count = this.count();
    const [bar, rest] = ["━".repeat(done), "━".repeat(this.width - done)];
    return {
      text: `${count} ${bar}${"─".repeat(this.width - done)}${info}`,
      ansi: `\x1b[1m${count}\x1b[0m \x1b[32m${bar}\x1b[0m\x1b[37m${rest}\x1b[0m${info}`,
      html: `<b>${count}</b> <span style="color:#3c3">${bar}</span><span style="color:#bbb">${rest}</span>${escapeHTML(info)}`,
    };
  }

  /** verbose 2: `375/375 - 3s - 5ms/step - …`. */
  summary(): Rendered {
    const elapsed = (this.clock() - this.start) / 1000;
    const text = `${this.count()} - ${elapsed.toFixed(0)}s -${formatStepTime(this.perStep)}${this.metrics()}`;
    return { text, ansi: text, html: escapeHTML(text) };
  }
}

/** Keras' ProgbarLogger: fit adds it for verbose 1 and 2 and calls setParams({ epochs, steps, verbose, metrics }). */
export class ProgbarLogger extends Callback {
  private readonly clock: () => number;
  private readonly interval: number;
  private bar?: ProgressBar;
  private sender?: BundleSender;
  private displayId?: string;
  private header = "";
  private lastShown = -Infinity;
  private prevWidth = 0;
  private inFit = false;
  private created = false;
  /** Number of bundles sent / terminal writes so far (for tests and curiosity). */
  sends = 0;

  constructor(private readonly options: ProgbarOptions = {}) {
    super();
    this.clock = options.clock ?? (() => performance.now());
    this.interval = options.interval ?? 100;
  }

  private get stream() {
    return this.options.stream ?? process.stdout;
  }

  override onTrainBegin(): void {
    this.inFit = true;
    this.sender = this.options.sender ?? bundleSender();
  }

  override onTrainEnd(): void {
    this.inFit = false;
  }

  override onEpochBegin(epoch: number): void {
    this.begin(this.params.epochs > 1 ? `Epoch ${epoch + 1}/${this.params.epochs}` : "");
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    this.step(batch, logs);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    this.finish(logs);
  }

  // evaluate() outside fit gets its own bar (as Keras 3 shows one).
  override onTestBegin(): void {
    if (this.inFit) return;
    this.sender = this.options.sender ?? bundleSender();
    this.begin("");
  }
  override onTestBatchEnd(batch: number, logs?: Logs): void {
    if (!this.inFit) this.step(batch, logs);
  }
  override onTestEnd(logs?: Logs): void {
    if (!this.inFit) this.finish(logs);
  }

  private begin(header: string): void {
    if (this.params.verbose === 0) return;
    this.bar = new ProgressBar(this.params.steps, this.clock, this.options.width ?? 20);
    this.header = header;
    this.lastShown = -Infinity;
    this.prevWidth = 0;
    this.created = false;
    if (this.sender) {
      this.displayId = newDisplayId("progbar");
      if (header) this.emit(undefined);
    } else if (header) {
      this.stream.write(`${header}\n`);
      this.sends++;
    }
  }

  private step(batch: number, logs?: Logs): void {
    const bar = this.bar;
    if (!bar || this.params.verbose !== 1) return;
    const now = this.clock();
    const show =
      !(now - this.lastShown < this.interval && batch + 1 < bar.target) && (this.sender || this.stream.isTTY);
    // Batch logs are read from the device when accessed: only read them for a line that is shown.
    bar.update(batch + 1, show ? logs : undefined);
    if (!show) return; // a pipe gets the final line only
    this.lastShown = now;
    this.emit(bar.line(false));
  }

  private finish(logs?: Logs): void {
    const bar = this.bar;
    if (!bar) return;
    bar.update(bar.target, logs);
    this.emit(this.params.verbose === 2 ? bar.summary() : bar.line(true), true);
    this.bar = undefined;
  }

  private emit(line: Rendered | undefined, final = false): void {
    this.sends++;
    if (this.sender) {
      const text = [this.header, line?.text].filter(Boolean).join("\n");
      const html = [this.header && escapeHTML(this.header), line?.html].filter(Boolean).join("\n");
      const bundle = { "text/plain": text, "text/html": `<pre style="${PRE_STYLE}">${html}</pre>` };
      this.sender.send(bundle, { displayId: this.displayId, update: this.created });
      this.created = true;
      return;
    }
    if (!line) return;
    if (this.stream.isTTY && this.params.verbose === 1) {
      const width = line.text.length;
      const padding = " ".repeat(Math.max(0, this.prevWidth - width));
      this.prevWidth = width;
      this.stream.write(`\r${line.ansi}${padding}${final ? "\n" : ""}`);
    } else if (final) {
      this.stream.write(`${line.text}\n`);
    }
  }
}
