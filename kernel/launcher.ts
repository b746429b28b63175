/**
 * The project's Jupyter kernel: tslab's TypeScript kernel, plus what a lesson needs.
 *
 * - Quiet TensorFlow: TF_CPP_MIN_LOG_LEVEL is set before anything can load TensorFlow.
 * - Rich display of a cell's last value: a value implementing `Symbol.for("Jupyter.display")` is sent
 *   as its full MIME bundle (tslab alone prints it with console.log); tensors print as tensors.
 * - A bundle sender on globalThis (see src/display/bridge.ts) so the library — whichever copy of tslab
 *   it sees — can send multi-MIME bundles and update them in place.
 * - Sends on tslab's sockets queued one at a time (see serial-send.ts): tslab does not await zeromq 6's
 *   send, and an overlapping one throws EBUSY, losing outputs and the cell's idle status.
 * - Cells import ES-module-only packages, `exports` maps and local `.mjs` files, with their types (imports.ts).
 * - Interrupt that really stops training: while a training loop runs, SIGINT asks it to stop at the end
 *   of the current batch (src/callbacks/interrupt.ts) instead of abandoning the cell's await.
 *
 * Started by the kernelspec as: node <abs>/dist/kernel/launcher.js --config-path <connection file>
 */
process.env.TF_CPP_MIN_LOG_LEVEL ??= "2";

import * as path from "node:path";
import * as util from "node:util";
import { BUNDLE_SENDER, isDisplayable, JUPYTER_DISPLAY, type BundleSender } from "../src/display/bridge";
import { interruptToken } from "../src/callbacks/interrupt";
import { tslabInternals, type Converter } from "./tslab-internals";
import { expandShorthandProperties } from "./shorthand";
import { isSerialized, serializeServerSends } from "./serial-send";
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

/** Publishes the bundle sender that the display layer looks up on globalThis. */
function installBundleSender(jupyter: ReturnType<typeof tslabInternals>["jupyter"]): void {
  const sender: BundleSender = {
    send(bundle, options = {}) {
      const write = jupyter.lastWriteDisplayData;
      if (!write) return; // no cell has run yet: nowhere to send
      const content: Record<string, unknown> = { data: bundle, metadata: options.metadata ?? {} };
      if (options.displayId) content.transient = { display_id: options.displayId };
      write(content, options.update === true);
    },
  };
  (globalThis as Record<symbol, unknown>)[BUNDLE_SENDER] = sender;
}

function looksLikeTensor(value: unknown): value is { toString(verbose?: boolean): string } {
  const v = value as { shape?: unknown; dataSync?: unknown; dtype?: unknown };
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray(v.shape) &&
    typeof v.dataSync === "function" &&
    typeof v.dtype === "string"
  );
}

/** How a cell's last value is shown (tslab hands it to console.log). */
function showLastValue(value: unknown, sender: BundleSender): void {
  try {
    if (isDisplayable(value)) {
      sender.send(value[JUPYTER_DISPLAY]());
      return;
    }
    if (looksLikeTensor(value)) {
      console.log(value.toString());
      return;
    }
  } catch (error) {
    console.error(error);
    return;
  }
  console.log(value);
}

function main(): void {
  const { configPath } = parseArgs(process.argv.slice(2));
  const { executor: executorModule, jupyter, typescript } = tslabInternals();
  const converter = esModuleImports(typescript, process.cwd()); // tslab's converter, importing ES modules

  installBundleSender(jupyter);
  const sender = (globalThis as Record<symbol, BundleSender>)[BUNDLE_SENDER];

  let nodeConverter: Converter | undefined;
  let browserConverter: Converter | undefined;
  const converters = {
    get node(): Converter {
      nodeConverter ??= converter.createConverter({ isJS: false, isBrowser: false });
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

  const executor = executorModule.createExecutor(process.cwd(), converters, {
    log: (...args: unknown[]) => (args.length === 1 ? showLastValue(args[0], sender) : console.log(...args)),
    error: (...args: unknown[]) => console.error(...args),
  });
  // Cells run through a rewrite that works around tslab's shorthand-property bug (see shorthand.ts).
  const cellExecutor = {
    ...executor,
    execute: (src: string) => executor.execute(expandShorthandProperties(typescript, src)),
  };
  const server = new jupyter.ZmqServer(new jupyter.JupyterHandlerImpl(cellExecutor, false), path.resolve(configPath));
  // tslab sends without awaiting, which zeromq 6 refuses (EBUSY) while a send is pending: queue them.
  // And a PUB socket drops what exceeds its high-water mark (1000 queued messages by default) — in a
  // burst of outputs, the cell's last ones and its `status: idle`: iopub gets no limit.
  serializeServerSends(server, ["iopub", "shell", "control", "stdin", "hb"], (name, socket) => {
    if (name === "iopub") socket.sendHighWaterMark = 0;
  });

  const token = interruptToken();
  process.on("SIGINT", () => {
    if (token.active > 0 && !token.requested) {
      token.requested = true; // the loop stops after this batch; the cell then ends normally
      return;
    }
    token.requested = false;
    executor.interrupt(); // nothing to stop cooperatively (or asked twice): abandon the await
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
