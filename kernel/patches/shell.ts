/**
 * Replaces tslab's shell/control dispatch (ZmqServer.handleShellMessage) with one that routes each
 * request type to a handler: the patches' own (execute, kernel_info, is_complete, history, comm_info,
 * shutdown) and tslab's for the rest (inspect, complete). tslab answers comm_info_request with a
 * message typed complete_reply and drops history_request without a reply.
 * Every request is framed by `status: busy` / `status: idle` on iopub, as Jupyter requires.
 */
import { writeSync } from "node:fs";
import { publish, type TslabServer } from "./server";
import { WireMessage, type Sendable } from "./wire";

export type ShellHandler = (msg: WireMessage, socket: Sendable) => void | Promise<void>;

export function installShellDispatch(server: TslabServer, handlers: Record<string, ShellHandler>): void {
  const all: Record<string, ShellHandler> = {
    inspect_request: (msg, socket) => server.handleInspect(socket, msg),
    complete_request: (msg, socket) => server.handleComplete(socket, msg),
    ...handlers,
  };
  server.handleShellMessage = async (socket, ...frames) => {
    let msg: WireMessage;
    try {
      msg = WireMessage.fromRaw(server.connInfo.key, frames);
    } catch (error) {
      log(`dropped a malformed message: ${String(error)}`);
      return;
    }
    publish(server, msg, "status", { execution_state: "busy" });
    try {
      const handler = all[msg.header.msg_type];
      if (handler) await handler(msg, socket);
      else log(`unknown msg_type: ${msg.header.msg_type}`);
    } catch (error) {
      log(`${msg.header.msg_type} failed: ${error instanceof Error ? error.stack : String(error)}`);
    } finally {
      publish(server, msg, "status", { execution_state: "idle" });
    }
  };
}

/** To the kernel's own stderr (the server log): process.stderr is redirected into the running cell. */
export function log(text: string): void {
  try {
    writeSync(2, `tslab-keras kernel: ${text}\n`);
  } catch {
    // nowhere left to report
  }
}
