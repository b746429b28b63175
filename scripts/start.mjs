#!/usr/bin/env node
// `npm start`: JupyterLab on the lessons in notebooks/, bound to 127.0.0.1, with a fresh token.
import { existsSync } from "node:fs";

const parent = process.ppid; // before anything slow: see the parent watch below
import { startLab } from "./lab.mjs";
import { notebooksDir, venvBin } from "./setup/paths.mjs";
import { join } from "node:path";

if (!existsSync(join(venvBin, "jupyter"))) {
  console.error(
    "JupyterLab is not installed in .venv/: run `npm install` (or `npm run doctor` to see what is missing).",
  );
  process.exit(1);
}
const portArg = process.argv.find((a) => a.startsWith("--port="));
const lab = await startLab({ rootDir: notebooksDir, port: portArg ? Number(portArg.slice(7)) : 8888 });
console.log(`\n  tslab-keras lessons: ${lab.url}\n  (kernel "TypeScript (tslab-keras)"; Ctrl+C stops the server)\n`);
// Ctrl+C, SIGTERM or a closed terminal stop JupyterLab (SIGTERM: it shuts its kernels down; SIGKILL after
// 5 s), and this script exits once it has. `npm start` runs this script under `sh -c`, which dies on
// npm's SIGTERM without passing it on: a change of parent process is treated as the same request.
let stopping;
const stop = () => (stopping ??= lab.stop().then(() => process.exit(0)));
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500).unref();
lab.child.once("exit", (code) => {
  if (!stopping) process.exit(code ?? 1); // JupyterLab stopped by itself: nothing left to serve
});
