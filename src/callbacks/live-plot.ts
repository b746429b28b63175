/**
 * `callbacks.LivePlot`: one chart that redraws itself while fit runs — each epoch, and every N batches
 * when asked — through the bridge's display id (update_display_data), so the notebook keeps a single
 * output. At train end the chart gets its static SVG fallback. Outside a kernel it does nothing.
 */
import { bundleSender, type BundleSender } from "../display/bridge";
import { Chart } from "../display/chart";
import { lineChartSpec, summarizePanels, type Panel } from "../display/line-chart";
import { newDisplayId } from "../display/output";
import { Callback, type Logs } from "./callback";

export interface LivePlotOptions {
  /** Metrics to plot (their `val_` twins come along). Default: fit's metrics without `val_`. */
  metrics?: string | string[];
  /** Also redraw every N training batches (train curves get mid-epoch points). */
  everyNBatches?: number;
  /** "panels" (default for >1 metric) or "overlay". */
  layout?: "overlay" | "panels";
  title?: string;
  width?: number;
  height?: number;
  /** Least time between two batch-driven redraws, ms (default 250); epoch ends always redraw. */
  interval?: number;
  /** Milliseconds clock (tests). */
  clock?: () => number;
  /** Use this sender instead of the kernel's (default: the bridge's, looked up at train begin). */
  sender?: BundleSender;
}

const IGNORED = new Set(["batch", "size"]);

export class LivePlot extends Callback {
  private sender?: BundleSender;
  private displayId?: string;
  private created = false;
  private metrics: string[] = [];
  private readonly points = new Map<string, { x: number[]; y: number[] }>();
  private readonly missing = new Set<string>();
  private seenKeys: string[] = [];
  private epoch = 0;
  private lastDraw = -Infinity;
  private readonly clock: () => number;
  /** Number of bundles sent so far. */
  sends = 0;

  constructor(private readonly options: LivePlotOptions = {}) {
    super();
    this.clock = options.clock ?? (() => performance.now());
  }

  override onTrainBegin(): void {
    this.sender = this.options.sender ?? bundleSender();
    if (!this.sender) return;
    this.displayId = newDisplayId("liveplot");
    this.created = false;
    this.points.clear();
    this.missing.clear();
    this.lastDraw = -Infinity;
    const m = this.options.metrics;
    this.metrics =
      typeof m === "string" ? [m] : m ? [...m] : (this.params.metrics ?? []).filter((k) => !k.startsWith("val_"));
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onTrainBatchEnd(batch: number, logs?: Logs): void {
    const every = this.options.everyNBatches;
    if (!this.sender || !every || !logs || (batch + 1) % every !== 0) return;
    const steps = this.params.steps || batch + 1;
    const x = this.epoch + Math.min(1, (batch + 1) / steps);
    let added = false;
    for (const metric of this.metrics) {
      const v = logs[metric];
      if (typeof v === "number") {
        this.add(metric, x, v);
        added = true;
      }
    }
    const now = this.clock();
    if (added && now - this.lastDraw >= (this.options.interval ?? 250)) {
      this.lastDraw = now;
      this.draw();
    }
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    if (!this.sender) return;
    this.seenKeys = Object.keys(logs).filter((k) => !IGNORED.has(k));
    if (this.metrics.length === 0) this.metrics = this.seenKeys.filter((k) => !k.startsWith("val_"));
    for (const metric of this.metrics) {
      for (const key of [metric, `val_${metric}`]) {
        const v = logs[key];
        if (typeof v === "number") {
          // an epoch-end value replaces a mid-epoch point at the same x
          const p = this.points.get(key);
          if (p && p.x[p.x.length - 1] === epoch + 1) p.y[p.y.length - 1] = v;
          else this.add(key, epoch + 1, v);
        } else if (key === metric) this.missing.add(metric);
      }
    }
    this.lastDraw = this.clock();
    this.draw();
  }

  override async onTrainEnd(): Promise<void> {
    if (!this.sender || !this.created) return;
    const chart = this.chart();
    try {
      await chart.render();
    } catch {
      // the vegalite part still shows; a failed static render must not fail fit
    }
    this.send(chart);
  }

  private add(key: string, x: number, y: number): void {
    let p = this.points.get(key);
    if (!p) this.points.set(key, (p = { x: [], y: [] }));
    p.x.push(x);
    p.y.push(y);
  }

  private panels(): Panel[] {
    const shown = this.metrics.filter((m) => this.points.has(m));
    const toPanel = (metric: string): Panel => ({
      title: this.points.has(`val_${metric}`) ? `train and val ${metric}` : metric,
      yLabel: metric,
      series: [metric, `val_${metric}`]
        .filter((k) => this.points.has(k))
        .map((k) => ({ label: k, ...this.points.get(k)! })),
      rules: [],
    });
    const layout = this.options.layout ?? (shown.length > 1 ? "panels" : "overlay");
    if (layout === "panels" || shown.length <= 1) return shown.map(toPanel);
    const parts = shown.map(toPanel);
    return [{ yLabel: shown.join(", "), series: parts.flatMap((p) => p.series), rules: [] }];
  }

  private chart(): Chart {
    const found = this.panels();
    const panels = found.length ? found : [{ yLabel: "", series: [], rules: [] }];
    const { spec, notes } = lineChartSpec(panels, {
      title: this.options.title,
      width: this.options.width,
      height: this.options.height,
    });
    for (const m of this.missing) {
      notes.push(`no "${m}" in the logs (keys: ${this.seenKeys.join(", ") || "none"})`);
    }
    const heading = `LivePlot: epoch ${this.epoch + 1}/${this.params.epochs || "?"}`;
    return new Chart(spec, summarizePanels(panels, notes, heading));
  }

  private draw(): void {
    if (this.panels().length === 0 && this.missing.size === 0) return;
    this.send(this.chart());
  }

  private send(chart: Chart): void {
    try {
      this.sender?.send(chart.bundle(), { displayId: this.displayId, update: this.created });
      this.created = true;
      this.sends++;
    } catch {
      this.sender = undefined; // a broken display must not break training
    }
  }
}
