/**
 * `model.summary()` in Keras 3's layout (a rich table, 88 columns):
 *
 *   Model: "sequential"
 *   ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━┓
 *   ┃ Layer (type)                         ┃ Output Shape                ┃         Param # ┃
 *   ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━┩
 *   │ dense (Dense)                        │ (None, 512)                 │         401,920 │
 *   └──────────────────────────────────────┴─────────────────────────────┴─────────────────┘
 *    Total params: 401,920 (1.53 MB)
 *    Trainable params: 401,920 (1.53 MB)
 *    Non-trainable params: 0 (0.00 B)
 */

export interface SummaryRow {
  name: string;
  className: string;
  /** e.g. "(None, 512)", or "?" when unbuilt. */
  outputShape: string;
  /** undefined when the layer is not built yet. */
  params?: number;
  /** Functional models: the layer outputs this layer reads, e.g. ["d1[0][0]", "d2[0][0]"] ("-" for inputs). */
  connectedTo?: string[];
}

export interface SummaryCounts {
  trainable: number;
  nonTrainable: number;
}

/** Cell content widths of Keras 3's Sequential table (positions .45/.80/1.0 of 88, fitted by rich). */
const SEQUENTIAL_WIDTHS = [36, 27, 15];
/** Keras 3's functional table with "Connected to" (positions .3/.56/.74/1.0 of 108, fitted by rich). */
const FUNCTIONAL_WIDTHS = [29, 25, 15, 26];

export function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

/** Keras' readable_memory_size: `2.55 MB`, `164.00 B`. */
export function readableSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

/** Word-wraps like rich: break at spaces, fold words longer than the width. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    let w = word;
    while (w.length > width) {
      if (line) {
        lines.push(line);
        line = "";
      }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

function row(widths: number[], cells: string[], align: ("left" | "right")[], edge: string, sep: string): string[] {
  const wrapped = cells.map((c, i) => wrap(c, widths[i]));
  const height = Math.max(...wrapped.map((w) => w.length));
  const out: string[] = [];
  for (let r = 0; r < height; r++) {
    const parts = wrapped.map((w, i) => {
      const t = w[r] ?? "";
      return ` ${align[i] === "right" ? t.padStart(widths[i]) : t.padEnd(widths[i])} `;
    });
    out.push(edge + parts.join(sep) + edge);
  }
  return out;
}

function rule(widths: number[], left: string, fill: string, mid: string, right: string): string {
  return left + widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
}

/** The summary's lines (no trailing newline). */
export function renderSummary(
  modelName: string,
  rows: SummaryRow[],
  counts: SummaryCounts,
  bytesPerParam = 4,
): string[] {
  const functional = rows.some((r) => r.connectedTo !== undefined);
  const w = functional ? FUNCTIONAL_WIDTHS : SEQUENTIAL_WIDTHS;
  const align: ("left" | "right")[] = ["left", "left", "right", "left"];
  const header = ["Layer (type)", "Output Shape", "Param #", ...(functional ? ["Connected to"] : [])];
  const lines = [`Model: "${modelName}"`, rule(w, "┏", "━", "┳", "┓")];
  lines.push(...row(w, header, align, "┃", "┃"));
  lines.push(rule(w, "┡", "━", "╇", "┩"));
  rows.forEach((r, i) => {
    if (i > 0) lines.push(rule(w, "├", "─", "┼", "┤"));
    const params = r.params === undefined ? "0 (unbuilt)" : thousands(r.params);
    const connected = functional ? [r.connectedTo?.length ? r.connectedTo.join(", ") : "-"] : [];
    lines.push(...row(w, [`${r.name} (${r.className})`, r.outputShape, params, ...connected], align, "│", "│"));
  });
  lines.push(rule(w, "└", "─", "┴", "┘"));
  const total = counts.trainable + counts.nonTrainable;
  const line = (label: string, n: number) => ` ${label}: ${thousands(n)} (${readableSize(n * bytesPerParam)})`;
  lines.push(
    line("Total params", total),
    line("Trainable params", counts.trainable),
    line("Non-trainable params", counts.nonTrainable),
  );
  return lines;
}
