/** Runs cells on the project's kernel over the real Jupyter protocol, through drive_kernel.py. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const projectRoot = join(__dirname, "..", "..");
const python = join(projectRoot, ".venv", "bin", "python");

export interface Output {
  type: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  execution_count?: number;
  wait?: boolean;
  name?: string;
  text?: string;
  data?: Record<string, unknown>;
  transient?: { display_id?: string };
}
export interface CellResult {
  status: string;
  reply: {
    status?: string;
    execution_count?: number;
    ename?: string;
    evalue?: string;
    traceback?: string[];
    payload?: { source?: string; data?: Record<string, unknown> }[];
  };
  outputs: Output[];
  /** For a `complete_at` cell: the kernel's completions. */
  matches?: string[];
}
export interface DriveResult {
  cells: CellResult[];
  comm_info_reply_type: string;
  alive: boolean;
  /** The tail of the kernel process's own stdout/stderr. */
  kernel_log: string;
}

export interface Cell {
  code: string;
  interrupt_after?: number;
  stop_on_error?: boolean;
  /** Ask for completions at this offset instead of running the cell. */
  complete_at?: number;
}

/**
 * `timeout`: seconds each cell may take to reach idle (its status is then "timeout"). `queued`: send all
 * requests at once (as JupyterLab's Run All) instead of each after the previous reply. `cwd`: the
 * notebook's folder (the kernel's cwd; default notebooks/).
 */
export function runCells(cells: Cell[], timeout = 120, options: { queued?: boolean; cwd?: string } = {}): DriveResult {
  const { queued = false, cwd = join(projectRoot, "notebooks") } = options;
  const result = spawnSync(python, [join(__dirname, "drive_kernel.py")], {
    input: JSON.stringify({ cells, timeout, queued, cwd }),
    encoding: "utf8",
    env: { ...process.env, LESSON_SCALE: "smoke" },
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(result.status, 0, `drive_kernel.py failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as DriveResult;
}

/** A cell's text: its streams, the text/plain of its bundles and its errors' tracebacks, in order. */
export const text = (cell: CellResult) =>
  cell.outputs
    .map((o) => o.text ?? (o.data?.["text/plain"] as string | undefined) ?? o.traceback?.join("\n") ?? "")
    .join("");
