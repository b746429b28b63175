/**
 * IPython's `name?`: a cell that is only an expression followed by `?` (never valid TypeScript) shows
 * what Shift+Tab's inspection shows — the expression's type and documentation — as the pager payload of
 * the execute_reply (JupyterLab prints it under the cell), instead of a syntax error.
 */
import type { TslabServer } from "./server";

/** The `Math.max` of a cell `Math.max?` (a name or a chain of member names), or undefined. */
export function pagerTarget(code: string): string | undefined {
  const m = /^\s*([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)\s*\?\s*$/.exec(code);
  return m?.[1];
}

export type PagerResult =
  | { found: true; payload: { source: "page"; data: Record<string, string>; start: 0 }[] }
  | { found: false; message: string };

/** The inspection of `target` as Jupyter's pager payload, or IPython's "not found" line. */
export function pageFor(server: TslabServer, target: string): PagerResult {
  const info = server.handler.handleInspect({ code: target, cursor_pos: target.length, detail_level: 0 });
  // TypeScript's quick info for a name it does not know is the bare type "any" (a declared `any` names itself).
  const text = info.found ? (info.data["text/plain"] ?? "").trim() : "";
  if (text === "" || text === "any") return { found: false, message: `Object \`${target}\` not found.\n` };
  return { found: true, payload: [{ source: "page", data: info.data, start: 0 }] };
}
