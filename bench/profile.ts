/**
 * Where a compiled step's time goes: `npm run bench:profile -- --models 002,004 [--steps 20]`.
 * Runs traced steps (TensorFlow's FULL_TRACE step stats) and prints per-op-type time, kernel counts
 * and the step's wall time; compares with tfjs-layers' eager `trainOnBatch` kernel count.
 */
import { tf } from "../src/tf";
import { createTrainStep } from "../src/engine/train-step";
import { describeModel, describeOptimizer, readModelWeights } from "../src/engine/describe";
import { LESSONS } from "./lessons";
import { makeData } from "./synthetic";
import { buildTfjsModel, optimizerFor } from "./tfjs-model";

/** Minimal protobuf reader: yields [field, wireType, value] (value: number or a byte slice). */
function* fields(buf: Uint8Array): Generator<[number, number, number | Uint8Array]> {
  let i = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wt = key & 7;
    if (wt === 0) yield [field, wt, varint()];
    else if (wt === 2) {
      const len = varint();
      yield [field, wt, buf.subarray(i, i + len)];
      i += len;
    } else if (wt === 1) i += 8;
    else if (wt === 5) i += 4;
    else throw new Error(`wire type ${wt}`);
  }
}

interface NodeStat {
  label: string;
  start: number;
  micros: number;
}

/** RunMetadata.step_stats(1).dev_stats(1).node_stats(2) → {timeline_label(8), all_start_micros(2), all_end_rel_micros(5)} */
function nodeStats(metadata: Uint8Array): NodeStat[] {
  const out: NodeStat[] = [];
  for (const [f1, , stepStats] of fields(metadata)) {
    if (f1 !== 1 || !(stepStats instanceof Uint8Array)) continue;
    for (const [f2, , dev] of fields(stepStats)) {
      if (f2 !== 1 || !(dev instanceof Uint8Array)) continue;
      for (const [f3, , node] of fields(dev)) {
        if (f3 !== 2 || !(node instanceof Uint8Array)) continue;
        const s: NodeStat = { label: "", start: 0, micros: 0 };
        for (const [f, , v] of fields(node)) {
          if (f === 8 && v instanceof Uint8Array) s.label = Buffer.from(v).toString();
          if (f === 2 && typeof v === "number") s.start = v;
          if (f === 5 && typeof v === "number") s.micros = v;
        }
        out.push(s);
      }
    }
  }
  return out;
}

const opType = (label: string) => /= ([\w_]+)/.exec(label)?.[1] ?? (label.split(" ")[0] || "?");

async function profile(id: string, steps: number): Promise<void> {
  const lesson = LESSONS.find((l) => l.id === id);
  if (!lesson) throw new Error(`unknown model ${id}`);
  const model = buildTfjsModel(lesson);
  const spec = describeModel(model);
  const os = describeOptimizer(optimizerFor(lesson));
  if (typeof spec === "string" || typeof os === "string") throw new Error(`${String(spec)} ${String(os)}`);
  const step = createTrainStep(spec, os, lesson.loss)!;
  step.setWeights(readModelWeights(model));
  const n = lesson.batchSize * steps;
  const d = makeData(lesson, n, 1);
  step.trainEpoch(d.x, d.y, n, lesson.batchSize); // warm-up
  let t = performance.now();
  step.trainEpoch(d.x, d.y, n, lesson.batchSize);
  const untraced = (performance.now() - t) / steps;
  step.session.tracing = true;
  t = performance.now();
  step.trainEpoch(d.x, d.y, n, lesson.batchSize);
  step.session.tracing = false;
  const byType = new Map<string, { micros: number; count: number }>();
  let kernels = 0;
  let wall = 0;
  const traces = step.session.traces.splice(0);
  const stepTraces = traces.filter((tr) => nodeStats(tr).length > 5);
  for (const tr of stepTraces) {
    const stats = nodeStats(tr).filter((s) => !/^(_SOURCE|_SINK)/.test(s.label) && s.label !== "");
    kernels += stats.length;
    const start = Math.min(...stats.map((s) => s.start));
    wall += Math.max(...stats.map((s) => s.start + s.micros)) - start;
    for (const s of stats) {
      const k = opType(s.label);
      const e = byType.get(k) ?? { micros: 0, count: 0 };
      e.micros += s.micros;
      e.count++;
      byType.set(k, e);
    }
  }
  const ns = stepTraces.length;
  console.log(
    `\n${id} (${lesson.title}): ${untraced.toFixed(3)} ms/step untraced; traced: ${(kernels / ns).toFixed(0)} kernels/step, ` +
      `kernel wall ${(wall / ns / 1000).toFixed(3)} ms/step`,
  );
  const rows = [...byType.entries()].sort((a, b) => b[1].micros - a[1].micros);
  const total = rows.reduce((a, [, v]) => a + v.micros, 0);
  for (const [k, v] of rows.slice(0, 14)) {
    console.log(
      `  ${k.padEnd(34)} ${(v.micros / ns / 1000).toFixed(3).padStart(8)} ms  ${((100 * v.micros) / total).toFixed(1).padStart(5)}%  ×${(v.count / ns).toFixed(0)}`,
    );
  }
  // tfjs-layers eager: kernels per trainOnBatch
  const m2 = buildTfjsModel(lesson);
  const sparse = lesson.loss === "sparse_categorical_crossentropy";
  m2.compile({
    optimizer: optimizerFor(lesson),
    loss: sparse ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const xb = tf.tensor(d.x.subarray(0, (d.x.length / n) * lesson.batchSize), [lesson.batchSize, ...lesson.inputShape]);
  const yb = sparse
    ? tf.tensor(Float32Array.from(d.y.subarray(0, lesson.batchSize)), [lesson.batchSize, 1])
    : tf.tensor(d.y.subarray(0, lesson.batchSize * lesson.classes), [lesson.batchSize, lesson.classes]);
  await m2.trainOnBatch(xb, yb);
  const info = await tf.profile(async () => {
    await m2.trainOnBatch(xb, yb);
  });
  console.log(`  tfjs-layers trainOnBatch: ${info.kernels.length} kernels/step (eager, each dispatched from JS)`);
  tf.dispose([xb, yb]);
}

const args = process.argv.slice(2);
const opt = (k: string) => {
  const i = args.indexOf(`--${k}`);
  return i >= 0 ? args[i + 1] : undefined;
};
async function main(): Promise<void> {
  for (const id of (opt("models") ?? "002,002-bn,000,001,003,004").split(","))
    await profile(id, Number(opt("steps") ?? 20));
}

void main();
