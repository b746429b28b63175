/**
 * execute_request as Jupyter defines it, replacing tslab's handler:
 * - execute_input, then the cell's outputs, then its last value as `execute_result` (execution_count,
 *   text/plain, and the whole bundle of a value implementing Symbol.for("Jupyter.display")), or an
 *   `error` message; the execute_reply carries ename / evalue / traceback on error.
 * - Requests run one at a time, in order. After an error, the requests already queued are aborted
 *   (status "aborted") only when the failed request and the queued one both asked for stop_on_error
 *   (the default): with stop_on_error=False they run. tslab instead aborted every request arriving
 *   within 200 ms of any error, so nbclient's allow_errors runs lost the cells after an error.
 * - execution_count counts requests with store_history (not silent ones); history records them.
 * - A cell `name?` answers with the pager payload (pager.ts) instead of running.
 */
import * as util from "node:util";
import { isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "../../src/display/bridge";
import type { CellRunner } from "./cell-run";
import { diagnosticsError, interruptError, thrownError, type CellError } from "./errors";
import type { CellHistory } from "./history";
import type { CellOutput } from "./output";
import { pageFor, pagerTarget } from "./pager";
import { reply, type TslabServer } from "./server";
import type { ShellHandler } from "./shell";
import type { Sendable, WireMessage } from "./wire";

interface Request {
  msg: WireMessage;
  socket: Sendable;
  stopOnError: boolean;
  aborted: boolean;
}

function looksLikeTensor(value: unknown): value is { toString(): string } {
  const v = value as { shape?: unknown; dataSync?: unknown; dtype?: unknown };
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray(v.shape) &&
    typeof v.dataSync === "function" &&
    typeof v.dtype === "string"
  );
}

/** The MIME bundle of a cell's last value. */
export function resultBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    const bundle = value[JUPYTER_DISPLAY]();
    return "text/plain" in bundle ? bundle : { ...bundle, "text/plain": util.inspect(value) };
  }
  if (looksLikeTensor(value)) return { "text/plain": value.toString() };
  return { "text/plain": util.inspect(value) };
}

export class ExecuteQueue {
  private count = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly waiting = new Set<Request>();

  constructor(
    private readonly server: TslabServer,
    private readonly runner: CellRunner,
    private readonly output: CellOutput,
    private readonly history: CellHistory,
  ) {}

  handlers(): Record<string, ShellHandler> {
    return { execute_request: (msg, socket) => this.enqueue(msg, socket) };
  }

  /** Resolves once this request's reply is sent (the shell dispatch then publishes `idle`). */
  enqueue(msg: WireMessage, socket: Sendable): Promise<void> {
    const request: Request = { msg, socket, stopOnError: msg.content.stop_on_error !== false, aborted: false };
    this.waiting.add(request);
    const done = this.chain.then(() => {
      this.waiting.delete(request);
      return request.aborted ? this.abort(request) : this.execute(request);
    });
    this.chain = done.catch(() => {});
    return done;
  }

  private abort({ msg, socket }: Request): void {
    reply(this.server, socket, msg, "execute_reply", { status: "aborted", execution_count: this.count });
  }

  private async execute(request: Request): Promise<void> {
    const { msg, socket } = request;
    const code = typeof msg.content.code === "string" ? msg.content.code : "";
    const silent = msg.content.silent === true;
    const storeHistory = !silent && msg.content.store_history !== false;
    if (storeHistory) this.count++;
    const count = this.count;
    this.output.begin(msg, silent);
    this.output.publish("execute_input", { code, execution_count: count });
    if (storeHistory) this.history.record(count, code);

    const target = pagerTarget(code);
    const page = target === undefined ? undefined : pageFor(this.server, target);
    if (page && !page.found) this.output.publish("stream", { name: "stdout", text: page.message });
    const error = page ? undefined : await this.run(code, count, storeHistory);
    if (!error) {
      reply(this.server, socket, msg, "execute_reply", {
        status: "ok",
        execution_count: count,
        user_expressions: {},
        payload: page?.found ? page.payload : [],
      });
      return;
    }
    this.output.publish("error", { ...error });
    reply(this.server, socket, msg, "execute_reply", { status: "error", execution_count: count, ...error });
    if (request.stopOnError) for (const queued of this.waiting) if (queued.stopOnError) queued.aborted = true;
  }

  /** Runs the cell and publishes its result; returns its error, if any. */
  private async run(code: string, count: number, storeHistory: boolean): Promise<CellError | undefined> {
    const label = `Cell In[${count}]`;
    const outcome = await this.runner.run(code);
    if (outcome.status === "interrupted") return interruptError(outcome.message);
    if (outcome.status === "error") {
      return "diagnostics" in outcome
        ? diagnosticsError(outcome.diagnostics, code, label)
        : thrownError(outcome.thrown, { source: code, label, cellLine: (line) => this.runner.cellLine?.(line, code) });
    }
    if (!outcome.hasValue) return undefined;
    let data: MimeBundle;
    try {
      data = resultBundle(outcome.value);
    } catch (thrown) {
      return thrownError(thrown, { source: code, label });
    }
    this.output.publish("execute_result", { execution_count: count, data, metadata: {} });
    if (storeHistory && typeof data["text/plain"] === "string") this.history.setOutput(count, data["text/plain"]);
    return undefined;
  }
}
