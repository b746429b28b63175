#!/usr/bin/env node
// `npm start`: JupyterLab on the lessons in notebooks/, bound to 127.0.0.1, with a fresh token.
import { existsSync } from "node:fs";
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
const stop = () => lab.stop().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
