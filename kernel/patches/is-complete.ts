/**
 * is_complete from TypeScript's parser: `complete` when the cell parses, `incomplete` (with the indent
 * for the next line) when the only problems are at the very end of the input — an unclosed block,
 * bracket, template literal or comment — and `invalid` otherwise. tslab calls `1 +* ;` complete.
 */
import type * as TS from "typescript";
import { reply, type TslabServer } from "./server";
import type { ShellHandler } from "./shell";

export type IsComplete = { status: "complete" } | { status: "invalid" } | { status: "incomplete"; indent: string };

interface ParsedFile extends TS.SourceFile {
  parseDiagnostics?: TS.DiagnosticWithLocation[];
}

const message = (ts: typeof TS, d: TS.Diagnostic) => ts.flattenDiagnosticMessageText(d.messageText, "\n");

export function isComplete(ts: typeof TS, code: string): IsComplete {
  if (code.trim() === "") return { status: "complete" };
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS) as ParsedFile;
  const diagnostics = file.parseDiagnostics ?? [];
  if (diagnostics.length === 0) return { status: "complete" };
  const end = code.length;
  const atEnd = (d: TS.Diagnostic) =>
    (d.start ?? -1) + (d.length ?? 0) >= end &&
    (/ expected\.$/.test(message(ts, d)) || /^Unterminated template literal/.test(message(ts, d)));
  if (!diagnostics.every(atEnd)) return { status: "invalid" };
  return { status: "incomplete", indent: nextIndent(code) };
}

/** The last line's indentation, one level (2 spaces) deeper after an opening bracket. */
function nextIndent(code: string): string {
  const last = /[^\n]*$/.exec(code)?.[0] ?? "";
  const current = /^\s*/.exec(last)?.[0] ?? "";
  return /[{[(]\s*$/.test(last) ? `${current}  ` : current;
}

export function isCompleteHandler(server: TslabServer, ts: typeof TS): Record<string, ShellHandler> {
  return {
    is_complete_request: (msg, socket) =>
      reply(server, socket, msg, "is_complete_reply", isComplete(ts, String(msg.content.code ?? ""))),
  };
}
