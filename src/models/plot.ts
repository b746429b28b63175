/**
 * `utils.plotModel(model, { showShapes, showLayerNames, rankdir })`: the model's layer graph as a picture, as
 * Keras' `plot_model` draws it (a box per layer, an arrow per connection, layers in rows by graph depth) — an
 * SVG we lay out ourselves (no graphviz). The result renders inline as a cell's last value (image/svg+xml
 * plus text/plain, like the charts) and can be written to a file (`toFile: "model.svg"`).
 */
import { writeFileSync } from "node:fs";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/bridge";
import type { Layer } from "../layers/extras";
import { unknownIdentifierError } from "../utils/suggest";
import { formatShape } from "./data";
import type { LayerGraph } from "./graph";

export interface PlotModelOptions {
  /** Show each layer's input and output shapes (Keras' default false). */
  showShapes?: boolean;
  /** Show the layer's name next to its class (Keras 3's default false). */
  showLayerNames?: boolean;
  /** Show the output dtype (default false). */
  showDtype?: boolean;
  /** "TB" (top to bottom, default) or "LR" (left to right). */
  rankdir?: "TB" | "LR";
  /** Also write the SVG to this path. */
  toFile?: string;
}

interface Plottable {
  name: string;
  layers: Layer[];
  layerGraph?: () => LayerGraph;
}

interface Box {
  id: string;
  lines: string[];
  depth: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

const OPTION_KEYS = ["showShapes", "showLayerNames", "showDtype", "rankdir", "toFile"];
const CHAR_W = 7.2;
const LINE_H = 17;
const GAP = 36;

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function shapeText(shape: unknown): string {
  if (!Array.isArray(shape)) return "?";
  return Array.isArray(shape[0])
    ? (shape as (number | null)[][]).map((s) => formatShape(s)).join(", ")
    : formatShape(shape as (number | null)[]);
}

/** The picture of a model: `.svg` holds the SVG text; displays itself inline. */
export class ModelPlot {
  constructor(
    readonly svg: string,
    readonly text: string,
  ) {}

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg, "text/plain": this.text };
  }

  toString(): string {
    return this.text;
  }
}

/** The nodes and edges to draw: a functional model's graph, or a Sequential model's chain. */
function graphOf(model: Plottable): { nodes: { layer: Layer; depth: number }[]; edges: [Layer, Layer][] } {
  if (model.layerGraph) {
    const g = model.layerGraph();
    const depth = new Map<Layer, number>();
    for (const n of g.nodes) depth.set(n.layer, Math.max(depth.get(n.layer) ?? 0, n.depth));
    const edges: [Layer, Layer][] = [];
    for (const n of g.nodes) {
      for (const t of n.inputs) {
        if (!edges.some(([a, b]) => a === t.sourceLayer && b === n.layer)) edges.push([t.sourceLayer, n.layer]);
      }
    }
    return { nodes: g.layers.map((l) => ({ layer: l, depth: depth.get(l) ?? 0 })), edges };
  }
  const layers = model.layers;
  return {
    nodes: layers.map((layer, i) => ({ layer, depth: i })),
    edges: layers.slice(1).map((l, i) => [layers[i], l] as [Layer, Layer]),
  };
}

function labelOf(layer: Layer, o: PlotModelOptions): string[] {
  const cls = layer.getClassName();
  const lines = [o.showLayerNames ? `${layer.name} (${cls})` : cls];
  if (o.showShapes) {
    // The shapes of the layer's first call (tfjs keeps them on its inbound node).
    const node = (layer as unknown as { inboundNodes?: { inputShapes?: unknown }[] }).inboundNodes?.[0];
    const input = cls === "InputLayer" ? undefined : node?.inputShapes;
    if (input !== undefined) lines.push(`Input shape: ${shapeText(input)}`);
    let output: unknown;
    try {
      output = layer.outputShape;
    } catch {
      output = undefined;
    }
    lines.push(`Output shape: ${shapeText(output)}`);
  }
  if (o.showDtype) lines.push(`Output dtype: ${String((layer as unknown as { dtype?: string }).dtype ?? "float32")}`);
  return lines;
}

/** Keras' `plot_model(model, show_shapes=False, show_layer_names=False, rankdir="TB")`. */
export function plotModel(model: Plottable, options: PlotModelOptions = {}): ModelPlot {
  if (!model || !Array.isArray(model.layers)) {
    throw new Error(
      "plotModel expects a model (Sequential or Model), e.g. utils.plotModel(model, { showShapes: true }).",
    );
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw unknownIdentifierError("plotModel option", key, OPTION_KEYS);
  }
  const rankdir = (options.rankdir ?? "TB").toUpperCase();
  if (rankdir !== "TB" && rankdir !== "LR")
    throw new Error(`plotModel: rankdir must be "TB" or "LR", got '${options.rankdir}'`);
  const { nodes, edges } = graphOf(model);
  if (nodes.length === 0) throw new Error("plotModel: the model has no layers yet; add some first.");
  const boxes = new Map<Layer, Box>();
  nodes.forEach(({ layer, depth }, i) => {
    const lines = labelOf(layer, options);
    const w = Math.ceil(Math.max(...lines.map((l) => l.length)) * CHAR_W) + 24;
    boxes.set(layer, { id: `node${i}`, lines, depth, x: 0, y: 0, w, h: lines.length * LINE_H + 14 });
  });
  // Rows (TB) or columns (LR) by depth; boxes of one rank side by side, centred.
  const ranks = new Map<number, Box[]>();
  for (const b of boxes.values()) ranks.set(b.depth, [...(ranks.get(b.depth) ?? []), b]);
  const order = [...ranks.keys()].sort((a, b) => a - b);
  const across = (bs: Box[]) => bs.reduce((s, b) => s + (rankdir === "TB" ? b.w : b.h), 0) + GAP * (bs.length - 1);
  const width = Math.max(...order.map((d) => across(ranks.get(d)!)));
  let along = 20;
  for (const d of order) {
    const bs = ranks.get(d)!;
    let pos = 20 + (width - across(bs)) / 2;
    const thick = Math.max(...bs.map((b) => (rankdir === "TB" ? b.h : b.w)));
    for (const b of bs) {
      if (rankdir === "TB") [b.x, b.y, pos] = [pos, along + (thick - b.h) / 2, pos + b.w + GAP];
      else [b.x, b.y, pos] = [along + (thick - b.w) / 2, pos, pos + b.h + GAP];
    }
    along += thick + GAP + 8;
  }
  const [svgW, svgH] = rankdir === "TB" ? [width + 40, along - GAP] : [along - GAP, width + 40];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(svgW)}" height="${Math.ceil(svgH)}" viewBox="0 0 ${Math.ceil(svgW)} ${Math.ceil(svgH)}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(model.name)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>`,
  ];
  for (const [from, to] of edges) {
    const a = boxes.get(from)!;
    const b = boxes.get(to)!;
    const [x1, y1, x2, y2] =
      rankdir === "TB"
        ? [a.x + a.w / 2, a.y + a.h, b.x + b.w / 2, b.y]
        : [a.x + a.w, a.y + a.h / 2, b.x, b.y + b.h / 2];
    parts.push(
      `<line class="edge" data-from="${esc(from.name)}" data-to="${esc(to.name)}" x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"/>`,
    );
  }
  for (const [layer, b] of boxes) {
    parts.push(`<g class="node" id="${b.id}" data-layer="${esc(layer.name)}">`);
    parts.push(
      `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w}" height="${b.h}" rx="4" fill="#e8f0fe" stroke="#333"/>`,
    );
    b.lines.forEach((line, i) => {
      const weight = i === 0 ? ' font-weight="bold"' : "";
      parts.push(
        `<text x="${(b.x + b.w / 2).toFixed(1)}" y="${(b.y + 7 + LINE_H * (i + 0.75)).toFixed(1)}" text-anchor="middle"${weight}>${esc(line)}</text>`,
      );
    });
    parts.push("</g>");
  }
  parts.push("</svg>");
  const svg = parts.join("\n");
  const text = [
    `Model "${model.name}": ${nodes.length} layers, ${edges.length} connections`,
    ...nodes.map(({ layer }) => {
      const into = edges.filter(([, to]) => to === layer).map(([from]) => from.name);
      return `  ${boxes.get(layer)!.lines.join(" | ")}${into.length ? `  <- ${into.join(", ")}` : ""}`;
    }),
  ].join("\n");
  if (options.toFile) writeFileSync(options.toFile, svg);
  return new ModelPlot(svg, text);
}
