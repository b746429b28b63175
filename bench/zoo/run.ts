/**
 * `npm run bench -- --zoo [--keras] [--models a,b] [--epochs N] [--repeat R]`: seconds per epoch of every
 * zoo model (bench/zoo/models.ts) with this library's fit and, with --keras, Keras 3 on TensorFlow, one
 * process per run. With --repeat R each model's library and Keras runs alternate R times (the machine's
 * speed drifts by more than the differences measured: Keras' own epoch for one model was seen to vary
 * 3.7× between runs). Reports the median of epochs 2..N of all runs of a side (the first epoch
 * compiles/traces), the lowest and highest per-round ratio, the trainer each row ran on, and the larger
 * peak RSS of its runs. Writes results/bench/zoo.{md,json} (`--out name` for another name, so a re-run
 * of a few rows keeps the full table).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ZOO } from "./models";

const root = resolve(__dirname, "..", "..");
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const epochs = Math.max(4, Number(option("epochs") ?? 4));
const withKeras = args.includes("--keras");
const outName = option("out") ?? "zoo";
const repeat = Math.max(1, Number(option("repeat") ?? 1));
const ids = option("models")?.split(",") ?? ZOO.map((z) => z.id);
const python = join(root, ".venv-keras", "bin", "python");
if (withKeras && !existsSync(python)) throw new Error("--keras needs .venv-keras: bash scripts/golden/setup-env.sh");

interface Result {
  trainer: string;
  times: number[];
  rssMB: number;
  tensorsAfter?: number;
}

function parse(out: string, what: string): Result {
  const line = out.split("\n").find((l) => l.startsWith("ZOO_RESULT "));
  if (!line) throw new Error(`${what}: no result\n${out.slice(-2000)}`);
  return JSON.parse(line.slice("ZOO_RESULT ".length)) as Result;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" };
/** All runs of one side of a row, folded: every steady epoch, the first epochs, the largest peak RSS. */
interface Side {
  trainer: string;
  steady: number[];
  first: number[];
  rssMB: number;
  rounds: number[]; // per-run median of the steady epochs
  /** tfjs tensors left after fit, the most of any run (a leak check; the library side only). */
  tensorsAfter?: number;
}

function fold(runs: Result[]): Side {
  return {
    trainer: [...new Set(runs.map((r) => r.trainer))].join("+"),
    steady: runs.flatMap((r) => r.times.slice(1)),
    first: runs.map((r) => r.times[0]),
    rssMB: Math.max(...runs.map((r) => r.rssMB)),
    rounds: runs.map((r) => median(r.times.slice(1))),
    tensorsAfter: runs.some((r) => r.tensorsAfter !== undefined)
      ? Math.max(...runs.map((r) => r.tensorsAfter ?? 0))
      : undefined,
  };
}

function runLib(id: string): Result {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "worker.ts"), id, String(epochs)], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  return parse(r.stdout + r.stderr, `${id} lib`);
}

function runKeras(m: (typeof ZOO)[number]): Result {
  const job = { ...m, build: undefined, epochs, fitExtra: m.fitExtra?.py };
  const k = spawnSync(python, [join(__dirname, "keras_zoo.py"), JSON.stringify(job)], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  return parse(k.stdout + k.stderr, `${m.id} keras`);
}

const rows: { id: string; what: string; lib: Side; keras?: Side }[] = [];
for (const id of ids) {
  const m = ZOO.find((z) => z.id === id);
  if (!m) throw new Error(`no zoo model ${id} (have: ${ZOO.map((z) => z.id).join(", ")})`);
  const libRuns: Result[] = [];
  const kerasRuns: Result[] = [];
  for (let round = 0; round < repeat; round++) {
    libRuns.push(runLib(id));
    if (withKeras) kerasRuns.push(runKeras(m));
  }
  const lib = fold(libRuns);
  const keras = withKeras ? fold(kerasRuns) : undefined;
  rows.push({ id, what: m.what, lib, keras });
  const l = median(lib.steady);
  const kk = keras ? median(keras.steady) : undefined;
  console.log(
    `${id.padEnd(18)} ${lib.trainer.padEnd(9)} lib ${l.toFixed(3)} s/epoch` +
      (kk !== undefined ? `  keras ${kk.toFixed(3)}  lib/keras ${(l / kk).toFixed(2)}${spread(lib, keras)}` : ""),
  );
}

/** Each round's library run over the same round's Keras run. */
function roundRatios(lib: Side, keras: Side): number[] {
  return lib.rounds.map((l, i) => l / keras.rounds[i]);
}

/** The lowest and highest per-round ratio, for the progress line. */
function spread(lib: Side, keras?: Side): string {
  if (!keras || lib.rounds.length < 2) return "";
  const ratios = roundRatios(lib, keras);
  return ` (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
}

const md = [
  `# Zoo benchmark (${new Date().toISOString().slice(0, 10)}, ${epochs} epochs, median of epochs 2–${epochs}` +
    (repeat > 1 ? ` of ${repeat} alternated runs per side)` : ")"),
  "",
  "| model | trainer | lib s/epoch | keras s/epoch | lib/keras | per-round lib/keras | lib first epoch | peak RSS MB lib/keras |",
  "|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const l = median(r.lib.steady);
    const k = r.keras ? median(r.keras.steady) : undefined;
    const rounds = r.keras
      ? roundRatios(r.lib, r.keras)
          .map((v) => v.toFixed(2))
          .join(", ")
      : "—";
    return `| ${r.id}: ${r.what} | ${r.lib.trainer} | ${l.toFixed(3)} | ${k?.toFixed(3) ?? "—"} | ${k ? (l / k).toFixed(2) : "—"} | ${rounds} | ${median(r.lib.first).toFixed(2)} | ${r.lib.rssMB.toFixed(0)}/${r.keras?.rssMB.toFixed(0) ?? "—"} |`;
  }),
  "",
].join("\n");
const dir = join(root, "results", "bench");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${outName}.md`), md);
writeFileSync(join(dir, `${outName}.json`), JSON.stringify(rows, null, 2));
console.log(`\n${md}`);
