/** The benchmark's one table (Markdown), from the results bench/run.ts collects. */
import type { WorkerResult } from "./worker";

export type Row = "tfjs" | "engine" | "lib" | "keras";

export interface RowResult extends WorkerResult {
  /** Epoch seconds of every run of this row. */
  runs?: number[][];
  firstEpoch: number;
  medianEpoch: number;
  samplesPerSecond: number;
}

export interface ModelResult {
  id: string;
  title: string;
  batchSize: number;
  trainSamples: number;
  valSamples: number;
  /** 6·MACs per training sample + 2·MACs per validation sample at the 1024² matMul rate. */
  floorSeconds: number;
  /** Seconds per epoch of the model's GEMMs/convolutions alone at its shapes (bench/floor.ts). */
  gemmFloorSeconds?: number;
  /** Seconds per epoch of the optimizer's update ops alone (bench/floor.ts). */
  updateFloorSeconds?: number;
  rows: Partial<Record<Row, RowResult | { error: string }>>;
}

export interface Report {
  date: string;
  quick: boolean;
  steps?: number;
  epochs: number;
  repeat?: number;
  /** Forced on every row (--threads), or undefined: each row's own default. */
  threads?: { intraOp: number; interOp: number };
  matmulGflops: number;
  cores: number;
  models: ModelResult[];
}

const ok = (r: RowResult | { error: string } | undefined): r is RowResult => r !== undefined && !("error" in r);
const f = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d));

export function formatMarkdown(report: Report): string {
  const threads = report.threads
    ? `threads forced on every row: intra ${report.threads.intraOp} / inter ${report.threads.interOp}`
    : "threads: each row's default (tfjs and Keras/TensorFlow: all cores; the library: its per-model choice, column 'lib threads')";
  const head =
    `Benchmark ${report.date} — ${report.quick ? `quick: ${report.steps} steps per epoch` : "full epochs"}, ${report.epochs} epochs × ${report.repeat ?? 1} runs per row ` +
    `(steady state: median of epochs 2…${report.epochs}, best of the runs; first epoch apart), ${threads}, ` +
    `${report.cores} cores, matMul ${report.matmulGflops.toFixed(1)} GFLOPS (1024²).\n` +
    "Rows: tfjs = plain tfjs-layers `model.fit` (before); lib = this library's `Sequential.fit` (what a lesson runs: the compiled engine); " +
    "engine = the compiled step driven directly (src/engine); keras = Keras 3 on TensorFlow CPU, same data and batch size. " +
    "Floors: GEMM = 6·MACs per training sample (+2·MACs per validation sample) at the 1024² matMul rate; shapes = the model's own " +
    "GEMMs/convolutions alone at its shapes; update = the optimizer's update ops alone (per step, whatever the batch) (bench/floor.ts). " +
    "Tensors after fit = growth of `tf.memory().numTensors` during fit (in brackets: of which the optimizer's state, kept for the next fit as Keras keeps its optimizer variables).\n\n";
  const withEngine = report.models.some((m) => m.rows.engine !== undefined);
  const cols = [
    "model",
    "batch",
    "samples (train/val)",
    "tfjs s/ep",
    "lib s/ep",
    "keras s/ep",
    "**lib/keras**",
    "tfjs/keras",
    "1st epoch lib / keras",
    "lib samples/s",
    "floor s/ep: GEMM / shapes / update",
    "**lib/GEMM floor**",
    "lib/(shapes + update)",
    "lib threads",
    "peak RSS MB tfjs/lib/keras",
    "tensors after fit tfjs/lib",
    ...(withEngine ? ["engine s/ep (engine/keras)"] : []),
  ];
  const lines = [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`];
  for (const m of report.models) {
    const { tfjs: t, engine: e, lib: l, keras: k } = m.rows;
    const s = (r: typeof t) => (ok(r) ? r.medianEpoch : undefined);
    const ratio = (a: number | undefined, b: number | undefined) =>
      a !== undefined && b !== undefined ? f(a / b) : "–";
    const err = [t, e, l, k].filter((r) => r && "error" in r).map((r) => (r as { error: string }).error.slice(0, 60));
    const shapesAndUpdate =
      m.gemmFloorSeconds !== undefined && m.updateFloorSeconds !== undefined
        ? m.gemmFloorSeconds + m.updateFloorSeconds
        : undefined;
    const tensors = (r: typeof t) =>
      ok(r) ? `${r.tensorsAfterFit}${r.optimizerTensors !== undefined ? ` (${r.optimizerTensors})` : ""}` : "–";
    const cells = [
      m.id,
      String(m.batchSize),
      `${m.trainSamples}/${m.valSamples}`,
      f(s(t), 3),
      f(s(l), 3),
      f(s(k), 3),
      `**${ratio(s(l), s(k))}**`,
      ratio(s(t), s(k)),
      `${ok(l) ? f(l.firstEpoch, 3) : "–"} / ${ok(k) ? f(k.firstEpoch, 3) : "–"}`,
      ok(l) ? f(l.samplesPerSecond, 0) : "–",
      `${f(m.floorSeconds, 3)} / ${f(m.gemmFloorSeconds, 3)} / ${f(m.updateFloorSeconds, 3)}`,
      `**${ratio(s(l), m.floorSeconds)}**`,
      ratio(s(l), shapesAndUpdate),
      ok(l) ? (l.threads ?? "–") : "–",
      [t, l, k].map((r) => (ok(r) ? f(r.peakRssMB, 0) : "–")).join("/"),
      `${tensors(t)}/${tensors(l)}`,
      ...(withEngine ? [`${f(s(e), 3)} (${ratio(s(e), s(k))})`] : []),
    ];
    lines.push(`| ${cells.join(" | ")} |` + (err.length ? ` ${err.join("; ")}` : ""));
  }
  return head + lines.join("\n") + "\n";
}
