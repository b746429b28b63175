#!/usr/bin/env node
// `npm run reproduce [000 001 …]`: runs the lesson notebooks at full scale (the seeds' exact settings),
// headless through scripts/run_notebooks.py, one lesson at a time; keeps the executed notebooks and an
// offline HTML export of each; writes the results beside the seeds' numbers.
//
//   results/reproduction/notebooks/<name>.ipynb          executed notebook (+ <name>.results.json)
//   results/reproduction/html/<name>.html                offline HTML export
//   results/reproduction/README.md, results.json         the table: ours vs the seed's, Δ in points, ±1.5
//
// Options:
//   --from DIR     do not run anything: build the table (and HTML) from notebooks already executed in DIR,
//                  e.g. `--from test-results/notebooks` after `npm test` (smoke scale, so quick to check)
//   --out DIR      where to write (default results/reproduction)
//   --scale S      LESSON_SCALE for the runs (default full)
//   --timeout S    seconds per cell (default 14400: 004's training cell is one cell of ~30 epochs)
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { notebooksDir, projectRoot, venvPython } from "./setup/paths.mjs";
import { LESSONS } from "./reproduce/seeds.mjs";
import { collect, markdown, resultsJSON } from "./reproduce/table.mjs";

function parseArgs(argv) {
  const args = { lessons: [], from: undefined, out: "results/reproduction", scale: "full", timeout: 14400 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--from") args.from = value();
    else if (a === "--out") args.out = value();
    else if (a === "--scale") args.scale = value();
    else if (a === "--timeout") args.timeout = Number(value());
    else if (a === "--help" || a === "-h") args.help = true;
    else if (/^\d{3}$/.test(a)) args.lessons.push(a);
    else throw new Error(`unknown argument ${a} (lessons are 000…004; options --from, --out, --scale, --timeout)`);
  }
  for (const l of args.lessons)
    if (!(l in LESSONS)) throw new Error(`no lesson ${l}; known: ${Object.keys(LESSONS).join(" ")}`);
  if (!["smoke", "full"].includes(args.scale)) throw new Error(`--scale must be smoke or full, got ${args.scale}`);
  if (args.lessons.length === 0) args.lessons = Object.keys(LESSONS);
  return args;
}

function notebookFor(lesson) {
  const found = readdirSync(notebooksDir).filter((f) => f.startsWith(`${lesson}-`) && f.endsWith(".ipynb"));
  if (found.length !== 1) throw new Error(`expected one notebooks/${lesson}-*.ipynb, found ${found.length}`);
  return join(notebooksDir, found[0]);
}

function run(cmd, args, env) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: projectRoot, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("close", (code) => done(code ?? 1));
    child.on("error", (error) => {
      console.error(String(error));
      done(1);
    });
  });
}

async function exportHTML(executedDir, htmlDir, lessons) {
  const modulePath = join(projectRoot, "dist/src/display/html-export.js");
  if (!existsSync(modulePath)) {
    console.warn(`(no HTML export: ${relative(projectRoot, modulePath)} is missing — run \`npm run build\`)`);
    return;
  }
  const { exportNotebookHTML } = await import(pathToFileURL(modulePath).href);
  mkdirSync(htmlDir, { recursive: true });
  for (const f of readdirSync(executedDir)) {
    if (!f.endsWith(".ipynb") || !lessons.includes(f.slice(0, 3))) continue;
    const out = join(htmlDir, f.replace(/\.ipynb$/, ".html"));
    exportNotebookHTML(join(executedDir, f), out);
    console.log(`html: ${relative(projectRoot, out)}`);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log("usage: npm run reproduce -- [000 001 …] [--from DIR] [--out DIR] [--scale full|smoke] [--timeout S]");
    return 0;
  }
  const out = resolve(projectRoot, args.out);
  const executedDir = join(out, "notebooks");
  const runs = {};
  let failed = 0;

  if (args.from) {
    const from = resolve(projectRoot, args.from);
    if (!existsSync(from)) throw new Error(`--from ${args.from}: no such folder`);
    console.log(`building the table from ${relative(projectRoot, from) || from} (nothing is run)`);
    // Copy the executed notebooks (and their results) beside the table, which links to them.
    if (resolve(from) !== resolve(executedDir)) {
      mkdirSync(executedDir, { recursive: true });
      for (const f of readdirSync(from)) {
        if (args.lessons.includes(f.slice(0, 3)) && /\.(ipynb|results\.json)$/.test(f))
          copyFileSync(join(from, f), join(executedDir, f));
      }
    }
    const lessons = collect(executedDir, { lessons: args.lessons });
    await exportHTML(executedDir, join(out, "html"), args.lessons);
    return write(out, lessons, `npm run reproduce -- --from ${args.from}`);
  }

  if (!existsSync(venvPython)) throw new Error(".venv is missing: run `npm install` first");
  mkdirSync(executedDir, { recursive: true });
  for (const lesson of args.lessons) {
    const notebook = notebookFor(lesson);
    console.log(`\n=== ${lesson}: ${relative(projectRoot, notebook)} (LESSON_SCALE=${args.scale}) ===`);
    const started = Date.now();
    const code = await run(
      venvPython,
      [
        join(projectRoot, "scripts/run_notebooks.py"),
        "--out",
        executedDir,
        "--timeout",
        String(args.timeout),
        notebook,
      ],
      { LESSON_SCALE: args.scale },
    );
    runs[lesson] = { exitCode: code, seconds: (Date.now() - started) / 1000 };
    if (code !== 0) failed++;
    console.log(`${lesson}: ${code === 0 ? "ok" : "FAILED"} in ${runs[lesson].seconds.toFixed(0)} s`);
  }
  await exportHTML(executedDir, join(out, "html"), args.lessons);
  // The table covers every lesson executed so far in `out`, so reproducing one lesson keeps the others' rows.
  const previous = collect(executedDir);
  const lessons = previous.map((l) => (runs[l.lesson] ? collect(executedDir, { lessons: [l.lesson], runs })[0] : l));
  write(out, lessons, `npm run reproduce${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}`);
  return failed ? 1 : 0;
}

function write(out, lessons, command) {
  mkdirSync(out, { recursive: true });
  const generated = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  writeFileSync(join(out, "results.json"), JSON.stringify(resultsJSON(lessons, { generated }), null, 2) + "\n");
  writeFileSync(join(out, "README.md"), markdown(lessons, { generated, command }));
  const rows = lessons.flatMap((l) => l.rows).filter((r) => r.within !== null);
  console.log(
    `\n${relative(projectRoot, join(out, "README.md"))}: ${rows.filter((r) => r.within).length} of ${rows.length} results within tolerance`,
  );
  return lessons.some((l) => l.status !== "ok") ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`reproduce: ${error.message}`);
    process.exit(2);
  },
);
