/**
 * Offline HTML: one chart as a page (`chartHTML`, `exportHTML`) and a whole executed notebook as one
 * page (`exportNotebookHTML`). vega, vega-lite and vega-embed are read from node_modules and inlined,
 * so the files open without network (no CDN).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDisplayable, JUPYTER_DISPLAY } from "./bridge";
import { markdownToHTML } from "./markdown";
import { RESULTS_MIME } from "./results";

const LIBS: [pkg: string, file: string][] = [
  ["vega", "vega.min.js"],
  ["vega-lite", "vega-lite.min.js"],
  ["vega-embed", "vega-embed.min.js"],
];
let libScripts: string | undefined;

/** Finds `<pkg>/build/<file>` on Node's module search path (the packages' exports maps hide it). */
function libFile(pkg: string, file: string): string {
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const path = join(dir, pkg, "build", file);
    if (existsSync(path)) return path;
  }
  throw new Error(`display: cannot find ${pkg}/build/${file} in node_modules (is ${pkg} installed?)`);
}

/** The three UMD builds as <script> elements (read once). */
export function inlineVegaScripts(): string {
  libScripts ??= LIBS.map(([pkg, file]) => {
    const code = readFileSync(libFile(pkg, file), "utf8").replace(/<\/script/gi, "<\\/script");
    return `<script>/* ${pkg}/build/${file} */\n${code}\n</script>`;
  }).join("\n");
  return libScripts;
}

export function escapeHTML(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** JSON that is safe inside a <script> element. */
function scriptJSON(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;font-size:13px;line-height:1.35}
pre.out{background:#fff;border-left:3px solid #ddd}pre.err{background:#fff0f0}
.cell{margin:1.2em 0}.prompt{color:#888;font:12px monospace}.vega-chart{margin:.4em 0}
table.dataframe{border-collapse:collapse;font-size:13px}table.dataframe td,table.dataframe th{padding:2px 8px;text-align:right}
table.dataframe tbody tr:nth-child(odd){background:#f5f5f5}`;

const EMBED = `<script>
for (const el of document.querySelectorAll(".vega-chart")) {
  const spec = JSON.parse(document.getElementById(el.dataset.spec).textContent);
  vegaEmbed(el, spec, { actions: false }).catch((e) => { el.textContent = "chart error: " + e; });
}
</script>`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHTML(title)}</title>
<style>${STYLE}</style>
${inlineVegaScripts()}
</head><body>
${body}
${EMBED}
</body></html>
`;
}

class ChartSlots {
  private n = 0;
  constructor(private readonly prefix = "vis") {}
  slot(spec: unknown): string {
    const id = `${this.prefix}-${this.n++}`;
    return `<div class="vega-chart" data-spec="${id}-spec"></div>\n<script type="application/json" id="${id}-spec">${scriptJSON(spec)}</script>`;
  }
}

/** A self-contained page showing Vega-Lite specs (one under another). */
export function chartHTML(specs: unknown[], options: { title?: string } = {}): string {
  const slots = new ChartSlots();
  const heading = options.title ? `<h1>${escapeHTML(options.title)}</h1>\n` : "";
  return page(options.title ?? "chart", heading + specs.map((s) => slots.slot(s)).join("\n"));
}

/**
 * `display.exportHTML(x, path?)`: an offline HTML page for a chart (or a bare Vega-Lite spec, or any
 * displayable). Returns the HTML; writes it when `path` is given.
 */
export function exportHTML(value: unknown, path?: string, options: { title?: string } = {}): string {
  let html: string;
  if (isDisplayable(value)) {
    const bundle = value[JUPYTER_DISPLAY]();
    const spec = Object.entries(bundle).find(([mime]) => VEGALITE_RE.test(mime))?.[1];
    html = spec ? chartHTML([spec], options) : page(options.title ?? "output", outputHTML(bundle, new ChartSlots()));
  } else if (typeof value === "object" && value !== null) {
    html = chartHTML([value], options);
  } else {
    throw new Error("exportHTML: expected a Chart, a displayable object or a Vega-Lite spec");
  }
  if (path) writeFileSync(path, html);
  return html;
}

const VEGALITE_RE = /^application\/vnd\.vega(lite)?\.v\d+\+json$/;
// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*[A-Za-z]/g;

function joinSource(src: unknown): string {
  return Array.isArray(src) ? src.join("") : typeof src === "string" ? src : "";
}

/** The richest output we can show offline: vegalite > html > svg > png/jpeg > text. */
function outputHTML(data: Record<string, unknown>, slots: ChartSlots): string {
  // Machine-readable results (display.report) are for the runner, not the page, as in JupyterLab.
  if (Object.keys(data).every((mime) => mime === RESULTS_MIME)) return "";
  const vl = Object.keys(data).find((m) => VEGALITE_RE.test(m));
  if (vl) return slots.slot(data[vl]);
  if (data["text/html"] !== undefined) return `<div class="html-out">${joinSource(data["text/html"])}</div>`;
  if (data["image/svg+xml"] !== undefined) return `<div>${joinSource(data["image/svg+xml"])}</div>`;
  for (const mime of ["image/png", "image/jpeg"]) {
    const b64 = joinSource(data[mime]).replace(/\s+/g, "");
    if (b64) return `<img src="data:${mime};base64,${b64}">`;
  }
  if (data["text/markdown"] !== undefined) return markdownToHTML(joinSource(data["text/markdown"]));
  if (data["text/plain"] !== undefined) {
    return `<pre class="out">${escapeHTML(joinSource(data["text/plain"]).replace(ANSI_RE, ""))}</pre>`;
  }
  return `<pre class="out">[output with ${escapeHTML(Object.keys(data).join(", ") || "no data")}]</pre>`;
}

interface NotebookOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface NotebookCell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: NotebookOutput[];
}

/** Renders one notebook (already parsed JSON) as a standalone HTML page. */
export function notebookToHTML(nb: { cells?: NotebookCell[] }, title = "notebook"): string {
  if (!Array.isArray(nb.cells)) throw new Error("exportNotebookHTML: not a Jupyter notebook (no `cells` array)");
  const slots = new ChartSlots();
  const parts: string[] = [];
  for (const cell of nb.cells) {
    const src = joinSource(cell.source);
    if (cell.cell_type === "markdown") {
      parts.push(`<div class="cell md">${markdownToHTML(src)}</div>`);
    } else if (cell.cell_type === "code") {
      const count = cell.execution_count ?? " ";
      const outs = (cell.outputs ?? []).map((o) => {
        if (o.output_type === "stream") {
          const cls = o.name === "stderr" ? "out err" : "out";
          return `<pre class="${cls}">${escapeHTML(joinSource(o.text).replace(ANSI_RE, ""))}</pre>`;
        }
        if (o.output_type === "error") {
          const tb = (o.traceback ?? [`${o.ename}: ${o.evalue}`]).join("\n").replace(ANSI_RE, "");
          return `<pre class="out err">${escapeHTML(tb)}</pre>`;
        }
        return o.data ? outputHTML(o.data, slots) : "";
      });
      parts.push(
        `<div class="cell code"><div class="prompt">In [${count}]:</div><pre>${escapeHTML(src)}</pre>\n${outs.join("\n")}</div>`,
      );
    } else {
      parts.push(`<div class="cell raw"><pre>${escapeHTML(src)}</pre></div>`);
    }
  }
  return page(title, parts.join("\n"));
}

/** Turns an executed .ipynb into one offline HTML file; vegalite outputs are drawn by inlined vega-embed. */
export function exportNotebookHTML(ipynbPath: string, outPath: string): void {
  let nb: { cells?: NotebookCell[] };
  try {
    nb = JSON.parse(readFileSync(ipynbPath, "utf8")) as typeof nb;
  } catch (e) {
    throw new Error(`exportNotebookHTML: cannot read ${ipynbPath} as JSON: ${(e as Error).message}`);
  }
  const name = ipynbPath.split(/[\\/]/).pop() ?? ipynbPath;
  writeFileSync(outPath, notebookToHTML(nb, name.replace(/\.ipynb$/, "")));
}
