#!/usr/bin/env node
// `npm run kernel:install -- [--user | --sys-prefix | --prefix DIR] [--jupyter PATH]`
// Registers "TypeScript (tslab-keras)" with another Jupyter installation (default: the `jupyter` on PATH,
// per-user). The project's own .venv gets it from `npm install` already.
import { installKernel } from "./setup/kernelspec.mjs";

const args = process.argv.slice(2);
const value = (flag) => {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
};
const jupyterBin = value("--jupyter") ?? "jupyter";
const where = args.includes("--sys-prefix")
  ? ["--sys-prefix"]
  : value("--prefix")
    ? ["--prefix", value("--prefix")]
    : ["--user"];
try {
  const result = installKernel({ jupyterBin, where });
  console.log(
    `kernel "TypeScript (tslab-keras)" registered with ${jupyterBin} (${where.join(" ")}): ${result.dir ?? "done"}`,
  );
} catch (error) {
  console.error(`could not register the kernel with ${jupyterBin}: ${error.message}`);
  process.exit(1);
}
