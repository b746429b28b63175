/**
 * The Vega-Lite spec behind `plotHistory` and `LivePlot`: curves against epoch in one or more panels,
 * optional dashed horizontal rules (test scores), honest gaps for NaN values.
 *
 * Gaps: non-finite points are dropped from the data, and every run of finite points gets its own
 * `segment` (the `detail` channel), so a line breaks where a value is missing in Vega-Lite 5
 * (JupyterLab) and 6 (our SVG render) alike. The gaps are also listed in `notes`.
 */
import type { VegaLiteSpec } from "./chart";

/** matplotlib's default colour cycle (tab10): the seeds' blue train, orange val, green test. */
export const PALETTE = [
  "#1f77b4",
  "#ff7f0e",
  "#2ca02c",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#7f7f7f",
  "#bcbd22",
  "#17becf",
];

export interface Series {
  label: string;
  /** Epoch numbers as plotted (1-based; fractional for mid-epoch points). */
  x: number[];
  y: number[];
}

export interface Rule {
  label: string;
  value: number;
}

export interface Panel {
  title?: string;
  yLabel: string;
  series: Series[];
  rules: Rule[];
  /** Legend (and colour) order of the labels; default: series, then rules. */
  order?: string[];
}

export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  width?: number;
  height?: number;
  /** y scale of every panel, or per panel (by its y label); "log" drops values ≤ 0 with a note. */
  yScale?: YScale | Record<string, YScale>;
}

/** matplotlib's `plt.yscale("linear" | "log")`. */
export type YScale = "linear" | "log";

function panelYScale(panel: Panel, opts: LineChartOptions): YScale {
  const scale = typeof opts.yScale === "object" ? opts.yScale[panel.yLabel] : opts.yScale;
  return scale ?? "linear";
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3);
}

function listEpochs(xs: number[]): string {
  const shown = xs.slice(0, 8).map((x) => String(Math.round(x * 100) / 100));
  return shown.join(", ") + (xs.length > 8 ? `, … (${xs.length} in all)` : "");
}

function panelSpec(panel: Panel, opts: LineChartOptions, notes: string[]): VegaLiteSpec {
  const log = panelYScale(panel, opts) === "log";
  const rows: Record<string, unknown>[] = [];
  let isolated = false;
  let maxX = 1;
  for (const s of panel.series) {
    let segment = 0;
    let runLength = 0;
    const bad: number[] = [];
    const nonPositive: number[] = [];
    for (let i = 0; i < s.y.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (Number.isFinite(x)) maxX = Math.max(maxX, x);
      const offLog = log && typeof y === "number" && Number.isFinite(y) && y <= 0;
      if (offLog) nonPositive.push(x);
      if (typeof y !== "number" || !Number.isFinite(y) || !Number.isFinite(x) || offLog) {
        if (!offLog) bad.push(x);
        if (runLength === 1) isolated = true;
        if (runLength > 0) segment++;
        runLength = 0;
        continue;
      }
      rows.push({ epoch: x, value: y, series: s.label, segment: `${s.label}#${segment}` });
      runLength++;
    }
    if (runLength === 1) isolated = true;
    if (nonPositive.length)
      notes.push(`${s.label}: ≤ 0 at epoch ${listEpochs(nonPositive)}, not drawn on the log scale`);
    if (bad.length === s.y.length && bad.length > 0) {
      notes.push(`${s.label}: every value is NaN/infinite, no curve drawn`);
    } else if (bad.length) {
      notes.push(`${s.label}: NaN/infinite at epoch ${listEpochs(bad)}, shown as a gap`);
    }
  }
  const rules = panel.rules.filter((r) => {
    if (Number.isFinite(r.value) && (!log || r.value > 0)) return true;
    notes.push(`${r.label}: value is ${r.value}, rule not drawn${log ? " on the log scale" : ""}`);
    return false;
  });
  const present = [...panel.series.map((s) => s.label), ...rules.map((r) => r.label)];
  const labels = panel.order ? panel.order.filter((l) => present.includes(l)) : present;
  const color = {
    field: "series",
    type: "nominal",
    title: null,
    scale: { domain: labels, range: labels.map((_, i) => PALETTE[i % PALETTE.length]) },
    legend: { symbolType: "stroke", labelLimit: 260 },
  };
  const x = {
    field: "epoch",
    type: "quantitative",
    title: opts.xLabel ?? "epoch",
    scale: { zero: false, nice: false },
    axis: { tickMinStep: 1 },
  };
  const y = {
    field: "value",
    type: "quantitative",
    title: log ? `${panel.yLabel} (log scale)` : panel.yLabel,
    scale: log ? { type: "log" } : { zero: false },
  };
  const points = isolated || rows.length / Math.max(1, panel.series.length) <= 60;
  const layer: VegaLiteSpec[] = [
    {
      data: { values: rows },
      mark: { type: "line", point: points, strokeWidth: 2 },
      encoding: {
        x,
        y,
        color,
        detail: { field: "segment", type: "nominal" },
        tooltip: [
          { field: "series", type: "nominal" },
          { field: "epoch", type: "quantitative" },
          { field: "value", type: "quantitative", format: ".4f" },
        ],
      },
    },
  ];
  if (rules.length) {
    const ruleRows = rules.map((r) => ({
      series: r.label,
      value: r.value,
      epoch: maxX,
      text: `${r.label}: ${formatNumber(r.value)}`,
    }));
    layer.push({
      data: { values: ruleRows },
      mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 1.5, opacity: 0.8 },
      encoding: { y: { field: "value", type: "quantitative" }, color },
    });
    layer.push({
      data: { values: ruleRows },
      mark: { type: "text", align: "right", baseline: "bottom", dy: -3, fontSize: 11 },
      encoding: {
        x: { field: "epoch", type: "quantitative" },
        y: { field: "value", type: "quantitative" },
        text: { field: "text", type: "nominal" },
        color,
      },
    });
  }
  const spec: VegaLiteSpec = { width: opts.width ?? 400, height: opts.height ?? 260, layer };
  if (panel.title) spec.title = panel.title;
  return spec;
}

/** One chart (a single panel) or panels side by side (`hconcat`), plus notes about gaps and skips. */
export function lineChartSpec(panels: Panel[], opts: LineChartOptions = {}): { spec: VegaLiteSpec; notes: string[] } {
  const notes: string[] = [];
  let spec: VegaLiteSpec;
  if (panels.length === 1) {
    const panel = { ...panels[0], title: opts.title ?? panels[0].title };
    spec = panelSpec(panel, opts, notes);
  } else {
    const width = opts.width ?? 320;
    const height = opts.height ?? 240;
    spec = {
      hconcat: panels.map((p) => panelSpec(p, { ...opts, width, height }, notes)),
      resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    };
    if (opts.title) spec.title = opts.title;
  }
  if (notes.length) {
    const title = spec.title;
    spec.title = { text: typeof title === "string" ? title : " ", subtitle: notes, subtitleColor: "#a33" };
  }
  return { spec, notes };
}

/** A text/plain summary of the curves: first, last and best value of each series. */
export function summarizePanels(panels: Panel[], notes: string[], heading: string): string {
  const lines = [heading];
  const series = panels.flatMap((p) => p.series);
  const rules = panels.flatMap((p) => p.rules);
  const width = Math.max(8, ...series.map((s) => s.label.length), ...rules.map((r) => r.label.length));
  for (const s of series) {
    const finite = s.y.map((y, i): [number, number] => [s.x[i], y]).filter(([, y]) => Number.isFinite(y));
    if (!finite.length) {
      lines.push(`  ${s.label.padEnd(width)}  (no finite values)`);
      continue;
    }
    const lowerIsBetter = /loss|error/i.test(s.label);
    const best = finite.reduce((b, c) => ((lowerIsBetter ? c[1] < b[1] : c[1] > b[1]) ? c : b));
    const first = finite[0][1];
    const last = finite[finite.length - 1][1];
    lines.push(
      `  ${s.label.padEnd(width)}  ${formatNumber(first)} → ${formatNumber(last)}` +
        `  (${lowerIsBetter ? "min" : "max"} ${formatNumber(best[1])} at epoch ${Math.round(best[0] * 100) / 100})`,
    );
  }
  for (const r of rules) lines.push(`  ${r.label.padEnd(width)}  ${formatNumber(r.value)} (dashed rule)`);
  for (const n of notes) lines.push(`  note: ${n}`);
  return lines.join("\n");
}
