/**
 * history_request over this session's cells (tslab sends no reply): `tail` (the last n), `range`
 * (session, start, stop exclusive; session 0 or this session's number) and `search` (a glob matched
 * against the whole input, as IPython's GLOB; `unique` keeps one entry per input), each entry
 * [session, line, input] or, with `output`, [session, line, [input, output text or null]].
 */
import { reply, type TslabServer } from "./server";
import type { ShellHandler } from "./shell";

export const SESSION = 1;

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

export class CellHistory {
  private readonly entries: Entry[] = [];

  record(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
  }

  /** The text/plain of the cell's execute_result, for `output: true`. */
  setOutput(line: number, output: string): void {
    const entry = [...this.entries].reverse().find((e) => e.line === line);
    if (entry) entry.output = output;
  }

  query(content: Record<string, unknown>): unknown[] {
    const n = typeof content.n === "number" ? content.n : undefined;
    let found: Entry[];
    switch (content.hist_access_type) {
      case "tail":
        found = n === undefined ? this.entries : this.entries.slice(-n);
        break;
      case "range": {
        const session = typeof content.session === "number" ? content.session : 0;
        if (session !== 0 && session !== SESSION) return [];
        const start = typeof content.start === "number" ? content.start : 0;
        const stop = typeof content.stop === "number" ? content.stop : Infinity;
        found = this.entries.filter((e) => e.line >= start && e.line < stop);
        break;
      }
      case "search": {
        const pattern = globToRegExp(typeof content.pattern === "string" ? content.pattern : "*");
        found = this.entries.filter((e) => pattern.test(e.input));
        if (content.unique === true)
          found = found.filter((e, i) => !found.slice(i + 1).some((l) => l.input === e.input));
        if (n !== undefined) found = found.slice(-n);
        break;
      }
      default:
        found = [];
    }
    const output = content.output === true;
    return found.map((e) => [SESSION, e.line, output ? [e.input, e.output] : e.input]);
  }
}

/** A shell glob (`*`, `?`, `[...]`) matching a whole string. */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[" && glob.indexOf("]", i + 1) > i + 1) {
      const close = glob.indexOf("]", i + 1);
      const body = glob
        .slice(i + 1, close)
        .replace(/^!/, "^")
        .replace(/\\/g, "\\\\");
      out += `[${body}]`;
      i = close;
    } else out += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

export function historyHandler(server: TslabServer, history: CellHistory): Record<string, ShellHandler> {
  return {
    history_request: (msg, socket) =>
      reply(server, socket, msg, "history_reply", { status: "ok", history: history.query(msg.content) }),
  };
}
