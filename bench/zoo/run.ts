/**
 * `npm run bench -- --zoo [--keras] [--models a,b] [--epochs N]`: seconds per epoch of every zoo model
 * (bench/zoo/models.ts) with this library's fit and, with --keras, Keras 3 on TensorFlow, one process
 * per row, rows alternated. Reports the median of epochs 2..N (the first compiles/traces), the trainer
 * each row ran on, and peak RSS. Writes results/bench/zoo.{md,json} (`--out name` for another name, so a
 * re-run of a few rows keeps the full table).
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
const rows: { id: string; what: string; lib: Result; keras?: Result }[] = [];
for (const id of ids) {
  const m = ZOO.find((z) => z.id === id);
  if (!m) throw new Error(`no zoo model ${id} (have: ${ZOO.map((z) => z.id).join(", ")})`);
  const libRun = spawnSync(process.execPath, ["--import", "tsx", join(__dirname, "worker.ts"), id, String(epochs)], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 20 * 60_000,
  });
  const lib = parse(libRun.stdout + libRun.stderr, `${id} lib`);
  let keras: Result | undefined;
  if (withKeras) {
    const job = { ...m, build: undefined, epochs, fitExtra: m.fitExtra?.py };
    const k = spawnSync(python, [join(__dirname, "keras_zoo.py"), JSON.stringify(job)], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 20 * 60_000,
    });
    keras = parse(k.stdout + k.stderr, `${id} keras`);
  }
  rows.push({ id, what: m.what, lib, keras });
  const l = median(lib.times.slice(1));
  const kk = keras ? median(keras.times.slice(1)) : undefined;
  console.log(
    `${id.padEnd(18)} ${lib.trainer.padEnd(9)} lib ${l.toFixed(3)} s/epoch` +
      (kk !== undefined ? `  keras ${kk.toFixed(3)}  lib/keras ${(l / kk).toFixed(2)}` : ""),
  );
}

const md = [
  `# Zoo benchmark (${new Date().toISOString().slice(0, 10)}, ${epochs} epochs, median of epochs 2–${epochs})`,
  "",
  "| model | trainer | lib s/epoch | keras s/epoch | lib/keras | lib first epoch | peak RSS MB lib/keras |",
  "|---|---|---|---|---|---|---|",
  ...rows.map((r) => {
    const l = median(r.lib.times.slice(1));
    const k = r.keras ? median(r.keras.times.slice(1)) : undefined;
    return `| ${r.id}: ${r.what} | ${r.lib.trainer} | ${l.toFixed(3)} | ${k?.toFixed(3) ?? "—"} | ${k ? (l / k).toFixed(2) : "—"} | ${r.lib.times[0].toFixed(2)} | ${r.lib.rssMB.toFixed(0)}/${r.keras?.rssMB.toFixed(0) ?? "—"} |`;
  }),
  "",
].join("\n");
const dir = join(root, "results", "bench");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${outName}.md`), md);
writeFileSync(join(dir, `${outName}.json`), JSON.stringify(rows, null, 2));
console.log(`\n${md}`);
