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
  floorSeconds: number;
  /** Seconds per epoch of the model's GEMMs/convolutions alone at its shapes (bench/floor.ts). */
  gemmFloorSeconds?: number;
  rows: Partial<Record<Row, RowResult | { error: string }>>;
}

export interface Report {
  date: string;
  quick: boolean;
  steps?: number;
  epochs: number;
  repeat?: number;
  threads: { intraOp: number; interOp: number };
  matmulGflops: number;
  cores: number;
  models: ModelResult[];
}

const ok = (r: RowResult | { error: string } | undefined): r is RowResult => r !== undefined && !("error" in r);
const f = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d));

export function formatMarkdown(report: Report): string {
  const head =
    `Benchmark ${report.date} — ${report.quick ? `quick: ${report.steps} steps per epoch` : "full epochs"}, ${report.epochs} epochs × ${report.repeat ?? 1} runs per row ` +
    `(steady state: median of epochs 2…${report.epochs}, best of the runs; first epoch apart), threads intra ${report.threads.intraOp} / inter ${report.threads.interOp}, ` +
    `${report.cores} cores, matMul ${report.matmulGflops.toFixed(1)} GFLOPS.\n` +
    "Rows: tfjs = plain tfjs-layers `model.fit` (before); engine = this library's compiled training step (src/engine, after); " +
    "lib = this library's `Sequential.fit` (Keras API; fast once fit calls the engine); keras = Keras 3 on TensorFlow CPU. " +
    "Tensors after fit = growth of `tf.memory().numTensors` during fit. Floors: 6·MACs per training sample " +
    "(+2·MACs per validation sample) at the best 1024² matMul rate, and the time of the model's own GEMMs/convolutions " +
    "alone at its shapes (bench/floor.ts).\n\n";
  const cols = [
    "model",
    "batch",
    "samples (train/val)",
    "tfjs s/ep",
    "engine s/ep",
    "lib s/ep",
    "keras s/ep",
    "**engine/keras**",
    "lib/keras",
    "tfjs/keras",
    "engine 1st ep",
    "keras 1st ep",
    "engine samples/s",
    "floor s/ep (1024² rate / model shapes)",
    "engine/floor (1024² / shapes)",
    "peak RSS MB tfjs/engine/lib/keras",
    "tensors after fit tfjs/engine/lib",
  ];
  const lines = [`| ${cols.join(" | ")} |`, `|${cols.map(() => "---").join("|")}|`];
  for (const m of report.models) {
    const { tfjs: t, engine: e, lib: l, keras: k } = m.rows;
    const s = (r: typeof t) => (ok(r) ? r.medianEpoch : undefined);
    const ratio = (a: number | undefined, b: number | undefined) =>
      a !== undefined && b !== undefined ? f(a / b) : "–";
    const err = [t, e, l, k].filter((r) => r && "error" in r).map((r) => (r as { error: string }).error.slice(0, 60));
    lines.push(
      `| ${m.id} | ${m.batchSize} | ${m.trainSamples}/${m.valSamples} | ${f(s(t), 3)} | ${f(s(e), 3)} | ${f(s(l), 3)} | ${f(s(k), 3)} | ` +
        `**${ratio(s(e), s(k))}** | ${ratio(s(l), s(k))} | ${ratio(s(t), s(k))} | ` +
        `${ok(e) ? f(e.firstEpoch, 3) : "–"} | ${ok(k) ? f(k.firstEpoch, 3) : "–"} | ${ok(e) ? f(e.samplesPerSecond, 0) : "–"} | ${f(m.floorSeconds, 3)} / ${f(m.gemmFloorSeconds, 3)} | ${ratio(s(e), m.floorSeconds)} / ${ratio(s(e), m.gemmFloorSeconds)} | ` +
        `${[t, e, l, k].map((r) => (ok(r) ? f(r.peakRssMB, 0) : "–")).join("/")} | ${[t, e, l].map((r) => (ok(r) ? String(r.tensorsAfterFit) : "–")).join("/")} |` +
        (err.length ? ` ${err.join("; ")}` : ""),
    );
  }
  return head + lines.join("\n") + "\n";
}
