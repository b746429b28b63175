/**
 * The project's Jupyter kernel: tslab's TypeScript kernel, plus what a lesson needs.
 *
 * - Quiet TensorFlow: TF_CPP_MIN_LOG_LEVEL is set before anything can load TensorFlow.
 * - Jupyter's protocol in full (kernel/patches/, installed by installProtocol): errors as `error`
 *   messages with short tracebacks, the last value as `execute_result` (rich bundles for values
 *   implementing `Symbol.for("Jupyter.display")`, Promises awaited), stop_on_error as Jupyter defines
 *   it, kernel_info / is_complete / history / comm_info, clear_output, an interrupt that ends the cell
 *   after stopping training at a batch end, and an exit when the parent process is gone.
 * - Sends on tslab's sockets queued one at a time (see serial-send.ts): tslab does not await zeromq 6's
 *   send, and an overlapping one throws EBUSY, losing outputs and the cell's idle status.
 * - Cells import ES-module-only packages, `exports` maps and local `.mjs` files, with their types (imports.ts).
 *
 * Started by the kernelspec as: node <abs>/dist/kernel/launcher.js --config-path <connection file>
 */
process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";

import * as path from "node:path";
import * as util from "node:util";
import { tslabInternals, type Converter } from "./tslab-internals";
import { expandShorthandProperties } from "./shorthand";
import { isSerialized, serializeServerSends } from "./serial-send";
import { CellRecorder, installProtocol } from "./patches/index";
import { esModuleImports } from "./imports";

function parseArgs(argv: string[]): { configPath: string } {
  const i = argv.findIndex((a) => a === "--config-path" || a === "-f");
  const configPath = i >= 0 ? argv[i + 1] : undefined;
  if (!configPath) {
    console.error("usage: launcher.js --config-path <jupyter connection file>");
    process.exit(2);
  }
  return { configPath };
}

function main(): void {
  const { configPath } = parseArgs(process.argv.slice(2));
  const { executor: executorModule, jupyter, typescript } = tslabInternals();
  const converter = esModuleImports(typescript, process.cwd()); // tslab's converter, importing ES modules
  const recorder = new CellRecorder();

  let nodeConverter: Converter | undefined;
  let browserConverter: Converter | undefined;
  const converters = {
    get node(): Converter {
      nodeConverter ??= recorder.wrapConverter(converter.createConverter({ isJS: false, isBrowser: false }));
      return nodeConverter;
    },
    get browser(): Converter {
      browserConverter ??= converter.createConverter({ isJS: false, isBrowser: true });
      return browserConverter;
    },
    close() {
      nodeConverter?.close();
      browserConverter?.close();
    },
  };
  void converters.node; // warm the TypeScript compiler before the first cell

  const executor = executorModule.createExecutor(process.cwd(), converters, recorder.console);
  // Cells run through a rewrite that works around tslab's shorthand-property bug (see shorthand.ts).
  const cellExecutor = {
    ...executor,
    execute: (src: string) => executor.execute(expandShorthandProperties(typescript, src)),
  };
  const server = new jupyter.ZmqServer(new jupyter.JupyterHandlerImpl(cellExecutor, false), path.resolve(configPath));
  installProtocol({ server, tslabJupyter: jupyter, typescript, recorder, executor: cellExecutor });
  // tslab sends without awaiting, which zeromq 6 refuses (EBUSY) while a send is pending: queue them.
  // And a PUB socket drops what exceeds its high-water mark (1000 queued messages by default) — in a
  // burst of outputs, the cell's last ones and its `status: idle`: iopub gets no limit.
  serializeServerSends(server, ["iopub", "shell", "control", "stdin", "hb"], (name, socket) => {
    if (name === "iopub") socket.sendHighWaterMark = 0;
  });

  // Keep the kernel alive whatever a cell throws asynchronously; show it in the cell instead.
  process.on("uncaughtException", (err) => console.error("Uncaught exception:", util.inspect(err)));
  process.on("unhandledRejection", (reason) => console.error("Unhandled promise rejection:", util.inspect(reason)));
  void server.init().then(() => {
    if (!isSerialized(server.iopub))
      process.emitWarning("tslab-keras: iopub sends are not serialized (tslab changed?)");
  });
}

main();
