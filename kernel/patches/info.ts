/**
 * The small informational replies, complete where tslab's are not: kernel_info (status, the real tslab
 * and TypeScript versions — tslab reports TypeScript 3.7.2 — and a full language_info), comm_info
 * (tslab types its reply complete_reply), and shutdown (status and the `restart` flag echoed).
 */
import { createRequire } from "node:module";
import { reply, type TslabServer } from "./server";
import type { ShellHandler } from "./shell";
import { PROTOCOL_VERSION } from "./wire";

export function kernelInfoContent(typescriptVersion: string): Record<string, unknown> {
  const require = createRequire(__filename);
  const tslabVersion = (require("tslab/package.json") as { version: string }).version;
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "tslab",
    implementation_version: tslabVersion,
    language_info: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      // As tslab sends it: `mode` selects TypeScript in JupyterLab, name + typescript in Notebook.
      codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: `TypeScript ${typescriptVersion} on Node ${process.version} (tslab ${tslabVersion}, tslab-keras kernel)`,
    help_links: [],
  };
}

export function infoHandlers(
  server: TslabServer,
  typescriptVersion: string,
  onShutdown: () => void,
): Record<string, ShellHandler> {
  const info = kernelInfoContent(typescriptVersion);
  return {
    kernel_info_request: (msg, socket) => reply(server, socket, msg, "kernel_info_reply", info),
    comm_info_request: (msg, socket) => reply(server, socket, msg, "comm_info_reply", { status: "ok", comms: {} }),
    shutdown_request: (msg, socket) => {
      reply(server, socket, msg, "shutdown_reply", { status: "ok", restart: msg.content.restart === true });
      setImmediate(onShutdown); // after the reply and `status: idle` are queued
    },
  };
}
