/**
 * Every change this kernel makes to tslab's protocol handling, installed on tslab's ZmqServer in one
 * call from the launcher (one module per concern, each tested over the real protocol in test/kernel/).
 */
import type * as TS from "typescript";
import { CellRecorder, CellRunner } from "./cell-run";
import { recordCellJavaScript } from "./cell-lines";
import { installBundleSender } from "./display";
import { ExecuteQueue } from "./execute";
import { CellHistory, historyHandler } from "./history";
import { infoHandlers } from "./info";
import { installInterrupt } from "./interrupt";
import { isCompleteHandler } from "./is-complete";
import { CellOutput } from "./output";
import { watchParent } from "./parent-watch";
import type { TslabServer } from "./server";
import { installShellDispatch, log } from "./shell";

export { CellRecorder } from "./cell-run";

export interface ProtocolOptions {
  server: unknown; // tslab's ZmqServer, before init()
  tslabJupyter: object; // tslab/dist/jupyter (its display hook)
  typescript: typeof TS;
  recorder: CellRecorder; // whose console the executor was created with
  executor: { execute(src: string): Promise<boolean>; interrupt(): void };
}

export function installProtocol(options: ProtocolOptions): void {
  const server = options.server as TslabServer;
  const output = new CellOutput(server, options.tslabJupyter);
  installBundleSender(output);
  const runner = new CellRunner(options.recorder, options.executor);
  runner.cellLine = recordCellJavaScript();
  const history = new CellHistory();
  const executeQueue = new ExecuteQueue(server, runner, output, history);
  const shutdown = () => {
    server.close();
    setTimeout(() => process.exit(0), 1000); // after the queued replies are sent
  };
  installShellDispatch(server, {
    ...executeQueue.handlers(),
    ...infoHandlers(server, options.typescript.version, shutdown),
    ...isCompleteHandler(server, options.typescript),
    ...historyHandler(server, history),
  });
  installInterrupt(() => runner.interrupt());
  watchParent(() => {
    log("the process that started this kernel is gone: exiting");
    process.exit(0);
  });
}
