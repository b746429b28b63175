/**
 * `plotHistory`: Keras' `history.history` curves against (1-based) epoch, as the lessons draw them with
 * matplotlib — train and `val_` curves, a dashed test-score rule, several models in one chart, or loss
 * and accuracy as panels side by side. Structural input only: display never imports training code.
 */
import { Chart } from "./chart";
import { lineChartSpec, summarizePanels, type Panel, type Series, type YScale } from "./line-chart";

/** `history.history`: each reported name → one number per finished epoch. */
export type HistoryRecord = Record<string, ArrayLike<number>>;
/** fit's return value (`{ history, epoch }`) or its bare `.history` record. */
export type HistoryLike = { history: HistoryRecord; epoch?: ArrayLike<number> } | HistoryRecord;

export interface PlotHistoryOptions {
  /** Which metrics to plot (their `val_` twins come along). Default: every key without `val_`. */
  metrics?: string | string[];
  /** Plot the `val_` twins (default true). */
  validation?: boolean;
  /** "panels": one chart per metric side by side; "overlay": all in one. Default: panels if >1 metric. */
  layout?: "overlay" | "panels";
  /**
   * Test score(s) drawn as dashed horizontal rules. One model: a number (for the first metric) or
   * `{ metric: score }`. Several models: `{ model: score }` or `{ model: { metric: score } }`.
   */
  testScore?: number | Record<string, number | Record<string, number>>;
  /** Label of the test rule (default `test <metric>`; prefixed with the model name for several models). */
  testLabel?: string;
  title?: string;
  /** Per-panel titles (panels layout). */
  titles?: string[];
  xLabel?: string;
  /** y axis title (overlay; panels use each metric's name). */
  yLabel?: string;
  width?: number;
  height?: number;
  /**
   * The y axis: "linear" (default) or "log", as matplotlib's `plt.yscale("log")` — for losses that span
   * orders of magnitude (a diverging learning rate beside converging ones). Per metric in panels:
   * `{ loss: "log" }`. Values ≤ 0 cannot be drawn on a log scale: they are left out, with a note.
   */
  yScale?: YScale | Record<string, YScale>;
  /** Render the SVG and PNG copies (default true). */
  render?: boolean;
}

interface Model {
  name?: string;
  record: HistoryRecord;
  epoch?: ArrayLike<number>;
}

function isSeriesRecord(v: unknown): v is HistoryRecord {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const values = Object.values(v);
  return values.every((x) => Array.isArray(x) || ArrayBuffer.isView(x));
}

function asModel(v: unknown, name?: string): Model | undefined {
  if (isSeriesRecord(v)) return { name, record: v };
  if (typeof v === "object" && v !== null && isSeriesRecord((v as { history?: unknown }).history)) {
    const h = v as { history: HistoryRecord; epoch?: ArrayLike<number> };
    return { name, record: h.history, epoch: h.epoch };
  }
  return undefined;
}

const SHAPE_HINT =
  "expected a History (fit's return value), its `.history` record, or { name: history, … } for several models";

/** One model (a History or its record) or several (`{ vanilla: h1, dropout: h2 }`). */
export function normalizeHistories(input: unknown, who = "plotHistory"): Model[] {
  const single = asModel(input);
  if (single) return [single];
  if (typeof input !== "object" || input === null || Object.keys(input).length === 0) {
    throw new Error(`${who}: ${SHAPE_HINT}; got ${input === null ? "null" : typeof input}`);
  }
  return Object.entries(input).map(([name, h]) => {
    const m = asModel(h, name);
    if (!m) throw new Error(`${who}: model "${name}" is not a history; ${SHAPE_HINT}`);
    return m;
  });
}

function keysText(record: HistoryRecord): string {
  const keys = Object.keys(record);
  return keys.length ? keys.join(", ") : "(none)";
}

function missingMetric(metric: string, m: Model): Error {
  const keys = Object.keys(m.record);
  const alias: Record<string, string> = {
    accuracy: "acc",
    acc: "accuracy",
    val_accuracy: "val_acc",
    val_acc: "val_accuracy",
  };
  const hint = alias[metric] && keys.includes(alias[metric]) ? ` — did you mean "${alias[metric]}"?` : "";
  const of = m.name ? ` of model "${m.name}"` : "";
  return new Error(
    `plotHistory: no metric "${metric}" in the history${of}; available keys: ${keysText(m.record)}${hint}`,
  );
}

function epochs(m: Model, n: number): number[] {
  const e = m.epoch;
  if (e && e.length === n) return Array.from(e, (v) => v + 1);
  return Array.from({ length: n }, (_, i) => i + 1);
}

function series(m: Model, key: string, label: string): Series {
  const y = Array.from(m.record[key], Number);
  return { label, x: epochs(m, y.length), y };
}

function testScoreFor(
  options: PlotHistoryOptions,
  models: Model[],
  metric: string,
  metricIndex: number,
): number | undefined {
  const t = options.testScore;
  if (t === undefined) return undefined;
  if (typeof t === "number") return metricIndex === 0 ? t : undefined;
  if (models.length === 1) {
    const v = t[metric];
    if (v !== undefined && typeof v !== "number") throw new Error(`plotHistory: testScore.${metric} must be a number`);
    return v;
  }
  return undefined;
}

function modelTestScore(
  options: PlotHistoryOptions,
  model: Model,
  metric: string,
  metricIndex: number,
): number | undefined {
  const t = options.testScore;
  if (typeof t !== "object" || model.name === undefined) return undefined;
  const v = t[model.name];
  if (typeof v === "number") return metricIndex === 0 ? v : undefined;
  return v?.[metric];
}

/** Builds the panels (sync) — the data side of `plotHistory`. */
export function historyPanels(
  input: unknown,
  options: PlotHistoryOptions = {},
): { panels: Panel[]; models: Model[]; metrics: string[] } {
  const models = normalizeHistories(input);
  for (const m of models) {
    const lengths = Object.values(m.record).map((v) => v.length);
    if (lengths.length === 0 || lengths.every((n) => n === 0)) {
      const of = m.name ? ` for model "${m.name}"` : "";
      throw new Error(
        `plotHistory: the history${of} is empty — no epochs recorded (keys: ${keysText(m.record)}). Did fit run?`,
      );
    }
  }
  const requested = typeof options.metrics === "string" ? [options.metrics] : options.metrics;
  const first = models[0].record;
  let metrics = requested ?? Object.keys(first).filter((k) => !k.startsWith("val_"));
  if (metrics.length === 0) metrics = Object.keys(first);
  for (const metric of metrics) {
    for (const m of models) if (!(metric in m.record)) throw missingMetric(metric, m);
  }
  const withVal = options.validation ?? true;
  const multi = models.length > 1;
  if (multi && typeof options.testScore === "number") {
    throw new Error(
      "plotHistory: with several models, testScore must be { model: score } (or { model: { metric: score } })",
    );
  }
  const layout = options.layout ?? (metrics.length > 1 ? "panels" : "overlay");

  const panelFor = (metric: string, index: number): Panel => {
    const panel: Panel = { yLabel: metric, series: [], rules: [], order: [] };
    for (const m of models) {
      const prefix = multi ? `${m.name} ` : "";
      const own = [series(m, metric, `${prefix}${metric}`)];
      const val = `val_${metric}`;
      if (withVal && !metric.startsWith("val_") && val in m.record) own.push(series(m, val, `${prefix}${val}`));
      panel.series.push(...own);
      panel.order!.push(...own.map((s) => s.label));
      const score = multi ? modelTestScore(options, m, metric, index) : testScoreFor(options, models, metric, index);
      if (score !== undefined) {
        const label = `${prefix}${options.testLabel ?? `test ${metric}`}`;
        panel.rules.push({ label, value: Number(score) });
        panel.order!.push(label);
      }
    }
    return panel;
  };

  let panels: Panel[];
  if (layout === "panels") {
    panels = metrics.map((metric, i) => {
      const p = panelFor(metric, i);
      const hasVal = p.series.some((s) => s.label.includes("val_"));
      p.title = options.titles?.[i] ?? (hasVal ? `train and val ${metric}` : metric);
      return p;
    });
  } else {
    const parts = metrics.map(panelFor);
    panels = [
      {
        yLabel: options.yLabel ?? metrics.join(", "),
        series: parts.flatMap((p) => p.series),
        rules: parts.flatMap((p) => p.rules),
        order: parts.flatMap((p) => p.order ?? []),
      },
    ];
  }
  return { panels, models, metrics };
}

function checkYScale(yScale: PlotHistoryOptions["yScale"], metrics: string[]): void {
  if (yScale === undefined) return;
  const entries = typeof yScale === "object" ? Object.entries(yScale) : [["", yScale] as const];
  for (const [metric, scale] of entries) {
    if (scale !== "linear" && scale !== "log") {
      throw new Error(
        `plotHistory: yScale${metric ? `.${metric}` : ""} must be "linear" or "log", got ${JSON.stringify(scale)}`,
      );
    }
    if (metric && !metrics.includes(metric)) {
      throw new Error(
        `plotHistory: yScale names metric "${metric}", which is not plotted (plotted: ${metrics.join(", ")})`,
      );
    }
  }
}

/** The chart of `plotHistory`, not yet rendered (sync; its bundle has no SVG until `render()`). */
export function historyChart(
  input: HistoryLike | Record<string, HistoryLike>,
  options: PlotHistoryOptions = {},
): Chart {
  const { panels, models, metrics } = historyPanels(input, options);
  checkYScale(options.yScale, metrics);
  const names = models.map((m) => m.name).filter((n): n is string => n !== undefined);
  const title = options.title ?? (names.length > 1 ? names.join(" vs. ") : undefined);
  const { spec, notes } = lineChartSpec(panels, {
    title,
    xLabel: options.xLabel,
    width: options.width,
    height: options.height,
    // One panel (overlay): a per-metric yScale applies through its first metric.
    yScale: panels.length === 1 && typeof options.yScale === "object" ? options.yScale[metrics[0]] : options.yScale,
  });
  spec.description = `Training history: ${metrics.join(", ")} by epoch`;
  const n = Math.max(...panels.flatMap((p) => p.series.map((s) => s.y.length)));
  const heading =
    `${title ? `${title}: ` : ""}${metrics.join(" and ")} vs epoch, ${n} epoch${n === 1 ? "" : "s"}` +
    (names.length > 1 ? ` (models: ${names.join(", ")})` : "");
  return new Chart(spec, summarizePanels(panels, notes, heading));
}

/**
 * Plots a training history (Keras' `history.history`) against 1-based epochs. Async: resolves to a Chart
 * whose static SVG is already rendered, so it displays fully as a cell's last value:
 *
 *   await plotHistory(history, { metrics: "accuracy", testScore: 0.881, testLabel: "test accuracy" })
 *   await plotHistory({ vanilla: h1, dropout: h2 }, { metrics: "accuracy", testScore: { vanilla: 0.88, dropout: 0.86 } })
 *   await plotHistory(history, { metrics: ["loss", "acc"], layout: "panels" })
 */
export async function plotHistory(
  history: HistoryLike | Record<string, HistoryLike>,
  options: PlotHistoryOptions = {},
): Promise<Chart> {
  const c = historyChart(history, options);
  return options.render === false ? c : c.render();
}
