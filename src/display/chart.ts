/**
 * Vega-Lite charts as Jupyter MIME bundles.
 *
 * A `Chart` holds a Vega-Lite spec and, once rendered, its static SVG (vega's headless view in Node).
 * Its bundle is `application/vnd.vegalite.v5+json` (JupyterLab, VS Code), `image/svg+xml` (nbviewer,
 * HTML exports), `image/png` (GitHub, nbconvert's PDF/LaTeX; drawn from the SVG by resvg, png.ts) and
 * `text/plain` (terminals, and a summary everywhere).
 *
 * Rendering is async (vega is ESM-only and its dataflow runs asynchronously), while Jupyter's display
 * protocol is sync. So the helpers that build charts (`plotHistory`, `chart().render()`) are async and
 * resolve to a Chart whose SVG is already rendered; `[JUPYTER_DISPLAY]()` then returns the full bundle
 * synchronously. A Chart that was never rendered still displays (vegalite + text/plain, no SVG).
 */
import { writeFileSync } from "node:fs";
import { JUPYTER_DISPLAY, type JupyterDisplayable, type MimeBundle } from "./bridge";
import { publish, type PublishOptions } from "./output";
import { chartHTML } from "./html-export";
import { svgToPNG } from "./png";

export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";
export const VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A Vega-Lite spec as plain JSON (we keep to features Vega-Lite 5, as bundled in JupyterLab 4, knows). */
export type VegaLiteSpec = Record<string, unknown>;

/** The slice of vega's API we use (typed locally: vega's own types are ESM-only). */
interface VegaApi {
  View: new (
    runtime: unknown,
    options: { renderer: string; logLevel?: number },
  ) => {
    toSVG(): Promise<string>;
    finalize(): void;
  };
  parse(spec: unknown): unknown;
  Error: number;
}
interface VegaLiteApi {
  compile(spec: unknown, options?: { logger?: unknown }): { spec: unknown };
}

let modules: Promise<{ vega: VegaApi; vl: VegaLiteApi }> | undefined;

/** Loads vega and vega-lite (ESM-only) once, with a dynamic import that CommonJS output preserves. */
export function loadVega(): Promise<{ vega: VegaApi; vl: VegaLiteApi }> {
  modules ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vl]) => ({
    vega: vega as unknown as VegaApi,
    vl: vl as unknown as VegaLiteApi,
  }));
  return modules;
}

/** Renders a Vega-Lite spec to an SVG string in Node (no browser, no canvas). */
export async function renderSVG(spec: VegaLiteSpec): Promise<string> {
  const { vega, vl } = await loadVega();
  const quiet = { level: () => quiet, error: () => quiet, warn: () => quiet, info: () => quiet, debug: () => quiet };
  const compiled = vl.compile(spec, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export class Chart implements JupyterDisplayable {
  private readonly spec: VegaLiteSpec;
  /** The static SVG fallback, once `render()` ran. */
  svg?: string;
  /** The same drawn as PNG (base64, as notebooks store it), once `render()` ran. */
  png?: string;
  /** A one-paragraph text summary (text/plain). */
  text: string;

  constructor(spec: VegaLiteSpec, text?: string) {
    this.spec = { $schema: VEGALITE_SCHEMA, ...spec };
    this.text = text ?? `Chart${typeof spec.title === "string" ? `: ${spec.title}` : ""} (Vega-Lite)`;
  }

  /** A copy of the Vega-Lite spec (JSON). */
  toSpec(): VegaLiteSpec {
    return structuredClone(this.spec);
  }

  toJSON(): VegaLiteSpec {
    return this.toSpec();
  }

  /** Renders the static SVG fallback and its PNG copy (once); resolves to this chart. */
  async render(): Promise<this> {
    this.svg ??= await renderSVG(this.spec);
    this.png ??= svgToPNG(this.svg).toString("base64");
    return this;
  }

  /** The SVG, rendering it if needed. */
  async toSVG(): Promise<string> {
    await this.render();
    return this.svg as string;
  }

  /** The MIME bundle: vegalite spec, SVG and PNG if rendered, text/plain. */
  bundle(): MimeBundle {
    const bundle: MimeBundle = { [VEGALITE_MIME]: this.toSpec() };
    if (this.svg) bundle["image/svg+xml"] = this.svg;
    if (this.png) bundle["image/png"] = this.png;
    bundle["text/plain"] = this.text;
    return bundle;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }

  /** Shows the chart now (a kernel output; on a terminal, its text summary). */
  show(options: PublishOptions = {}): void {
    publish(this.bundle(), options);
  }

  /** A self-contained HTML page (vega, vega-lite, vega-embed inlined; works offline). */
  toHTML(options: { title?: string } = {}): string {
    return chartHTML([this.spec], options);
  }

  /** Writes `toHTML()` to a file. */
  saveHTML(path: string, options: { title?: string } = {}): void {
    writeFileSync(path, this.toHTML(options));
  }

  /** Writes the PNG to a file (renders it if needed). */
  async savePNG(path: string): Promise<void> {
    await this.render();
    writeFileSync(path, Buffer.from(this.png as string, "base64"));
  }

  /** Writes the SVG to a file (renders it if needed). */
  async saveSVG(path: string): Promise<void> {
    writeFileSync(path, await this.toSVG());
  }
}

/** Wraps any Vega-Lite spec as a rendered Chart (SVG fallback included). */
export async function chart(spec: VegaLiteSpec, text?: string): Promise<Chart> {
  return new Chart(spec, text).render();
}
