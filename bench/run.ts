/**
 * `npm run bench [-- options]`: seconds per epoch of each lesson model for tfjs-layers' fit, this
 * library's compiled step, and (with --keras) Python Keras 3 on TensorFlow, with ratios measured in
 * the same run, the FLOP floor from a measured matMul rate, peak RSS and tensors alive after fit.
 *
 *   --quick            a fixed number of steps per epoch (--steps, default 150) instead of full epochs
 *   --keras            add the Keras row (.venv-keras/bin/python; created by scripts/golden/setup-env.sh)
 *   --models 000,002   a subset;  --rows tfjs,engine,lib,keras   a subset of rows
 *   --epochs N         epochs per row (default 4: the first is reported apart, the median of the rest)
 *   --repeat N         run every row N times, alternating rows (load drifts); each row reports its best run
 *   --threads N        force TF intra-op threads on every row (inter-op too unless --interop M); default: each
 *                      row's own default (TensorFlow/Keras: all cores; this library: its per-model choice)
 * Writes results/bench/latest.json and latest.md.
 *   --zoo              the model zoo beyond the lessons instead (bench/zoo/run.ts; with --keras, --models, --epochs)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { LESSONS, type Lesson, lessonMacs } from "./lessons";
import type { WorkerResult } from "./worker";
import { formatMarkdown, type Row, type RowResult, type ModelResult } from "./report";

const root = resolve(__dirname, "..");
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

const quick = flag("quick");
const steps = Number(option("steps") ?? 150);
const epochs = Number(option("epochs") ?? 4);
const repeat = Number(option("repeat") ?? 1);
const threadsOpt = option("threads");
/** Forced on every row, or undefined: each row runs with its own defaults (what its users get). */
const forced = threadsOpt
  ? { intraOp: Number(threadsOpt), interOp: Number(option("interop") ?? threadsOpt) }
  : undefined;

/** The environment of a row's process: TF_NUM_* only when forced (a user's own setting is removed). */
function rowEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" };
  delete env.TF_NUM_INTRAOP_THREADS;
  delete env.TF_NUM_INTEROP_THREADS;
  if (forced) {
    env.TF_NUM_INTRAOP_THREADS = String(forced.intraOp);
    env.TF_NUM_INTEROP_THREADS = String(forced.interOp);
  }
  return env;
}
const models = option("models")?.split(",") ?? LESSONS.map((l) => l.id);
const rows: Row[] =
  (option("rows")?.split(",") as Row[] | undefined) ??
  (flag("keras") ? ["tfjs", "engine", "lib", "keras"] : ["tfjs", "engine", "lib"]);

function sizes(lesson: Lesson): { train: number; val: number } {
  if (!quick) return { train: lesson.trainSamples, val: lesson.valSamples };
  const train = Math.min(lesson.trainSamples, steps * lesson.batchSize);
  return { train, val: Math.round((lesson.valSamples * train) / lesson.trainSamples) };
}

function runRow(lesson: Lesson, row: Row | "floor"): WorkerResult | { error: string } {
  const { train, val } = sizes(lesson);
  const env = rowEnv();
  let result;
  if (row === "keras") {
    const python = join(root, ".venv-keras", "bin", "python");
    if (!existsSync(python)) return { error: "no .venv-keras (bash scripts/golden/setup-env.sh)" };
    const job = { lesson, epochs, trainSamples: train, valSamples: val, threads: forced };
    result = spawnSync(python, [join(root, "bench", "keras_bench.py"), JSON.stringify(job)], {
      env,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
  } else {
    const job = { lesson: lesson.id, row, epochs, trainSamples: train, valSamples: val, threads: forced };
    result = spawnSync(process.execPath, ["--import", "tsx", join(root, "bench", "worker.ts"), JSON.stringify(job)], {
      env,
      encoding: "utf8",
      maxBuffer: 1 << 26,
      cwd: root,
    });
  }
  const line = (result.stdout ?? "").split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (!line)
    return { error: (result.stderr ?? "").trim().split("\n").slice(-3).join(" | ") || `exit ${result.status}` };
  return JSON.parse(line.slice("BENCH_RESULT ".length)) as WorkerResult;
}

/** GFLOPS of a 1024² float32 matMul on this backend, best of 15 (other processes only slow it down). */
function measureMatmul(): number {
  const code = `
    const { tf } = require(${JSON.stringify(join(root, "src", "tf"))});
    const a = tf.randomNormal([1024, 1024]), b = tf.randomNormal([1024, 1024]);
    tf.matMul(a, b).dataSync();
    const t = [];
    for (let i = 0; i < 15; i++) { const s = performance.now(); const c = tf.matMul(a, b); c.dataSync(); c.dispose(); t.push(performance.now() - s); }
    t.sort((x, y) => x - y);
    console.log("MATMUL " + (2 * 1024 ** 3 / (t[0] / 1000) / 1e9));`;
  const env = rowEnv();
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { env, encoding: "utf8", cwd: root });
  const line = r.stdout.split("\n").find((l) => l.startsWith("MATMUL "));
  return line ? Number(line.slice(7)) : NaN;
}

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Each run's steady state is the median of its epochs after the first; a row's value is its best run
 * (other processes on a shared machine only ever add time, so the fastest run is the least disturbed).
 */
export function aggregate(rs: WorkerResult[], train: number): RowResult {
  const perRun = rs.map((r) => median(r.epochSeconds.length > 1 ? r.epochSeconds.slice(1) : r.epochSeconds));
  const best = perRun.indexOf(Math.min(...perRun));
  const s = perRun[best];
  return {
    ...rs[best],
    firstEpoch: Math.min(...rs.map((r) => r.epochSeconds[0])),
    medianEpoch: s,
    samplesPerSecond: train / s,
    peakRssMB: Math.max(...rs.map((r) => r.peakRssMB)),
    runs: rs.map((r) => r.epochSeconds),
  };
}

function main(): void {
  const gflops = measureMatmul();
  console.log(
    `matMul 1024²: ${gflops.toFixed(1)} GFLOPS; threads ${forced ? `intra ${forced.intraOp}, inter ${forced.interOp}` : "each row's default"}; ${quick ? `quick (${steps} steps/epoch)` : "full epochs"}, ${epochs} epochs`,
  );
  const results: ModelResult[] = [];
  for (const id of models) {
    const lesson = LESSONS.find((l) => l.id === id);
    if (!lesson) throw new Error(`unknown model ${id}`);
    const { train, val } = sizes(lesson);
    const macs = lessonMacs(lesson);
    const floorSeconds = (6 * macs * train + 2 * macs * val) / (gflops * 1e9);
    const entry: ModelResult = {
      id,
      title: lesson.title,
      batchSize: lesson.batchSize,
      trainSamples: train,
      valSamples: val,
      floorSeconds,
      rows: {},
    };
    const floorRun = runRow(lesson, "floor");
    entry.gemmFloorSeconds = "error" in floorRun ? NaN : floorRun.epochSeconds[0];
    entry.updateFloorSeconds = "error" in floorRun ? NaN : floorRun.updateSeconds;
    const runs = new Map<Row, WorkerResult[]>();
    for (let rep = 0; rep < repeat; rep++) {
      for (const row of rows) {
        const r = runRow(lesson, row);
        if ("error" in r) {
          entry.rows[row] = { error: r.error };
          console.log(`  ${id} ${row}: ERROR ${r.error}`);
          continue;
        }
        console.log(
          `  ${id} ${row}: epochs ${r.epochSeconds.map((t) => t.toFixed(3)).join(" ")} s, RSS ${r.peakRssMB.toFixed(0)} MB, loss ${r.loss.toFixed(4)}`,
        );
        runs.set(row, [...(runs.get(row) ?? []), r]);
      }
    }
    for (const [row, rs] of runs) entry.rows[row] = aggregate(rs, train);
    results.push(entry);
  }
  const report = {
    date: new Date().toISOString(),
    quick,
    steps: quick ? steps : undefined,
    epochs,
    repeat,
    threads: forced,
    matmulGflops: gflops,
    cores: cpus().length,
    models: results,
  };
  const md = formatMarkdown(report);
  console.log(`\n${md}`);
  const dir = join(root, "results", "bench");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "latest.json"), JSON.stringify(report, null, 2) + "\n");
  writeFileSync(join(dir, "latest.md"), md);
  console.log(`saved ${join("results", "bench", "latest.json")} and latest.md`);
}

// --zoo: the model zoo beyond the lessons has its own runner (bench/zoo/run.ts).
if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (flag("zoo")) require("./zoo/run");
  else main();
}
