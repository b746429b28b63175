/**
 * The parts of tslab's ZmqServer (tslab/dist/jupyter.js) the patches use, and how they send: a reply on
 * the socket a request came in on, or a message on iopub whose parent is the request.
 */
import type { Sendable, WireMessage } from "./wire";

export interface TslabServer {
  connInfo: { key: string };
  iopub: Sendable;
  handleShellMessage(socket: Sendable, ...frames: Buffer[]): Promise<void>;
  handleInspect(socket: Sendable, msg: WireMessage): void;
  handleComplete(socket: Sendable, msg: WireMessage): void;
  /** tslab's JupyterHandlerImpl: the inspection behind inspect_request. */
  handler: {
    handleInspect(content: { code: string; cursor_pos: number; detail_level: number }): {
      found: boolean;
      data: Record<string, string>;
    };
  };
  close(): void;
}

export function reply(
  server: TslabServer,
  socket: Sendable,
  request: WireMessage,
  msgType: string,
  content: Record<string, unknown>,
): void {
  request.createReply(msgType, content).signAndSend(server.connInfo.key, socket);
}

export function publish(
  server: TslabServer,
  parent: WireMessage,
  msgType: string,
  content: Record<string, unknown>,
): void {
  parent.createReply(msgType, content).signAndSend(server.connInfo.key, server.iopub);
}
