/**
 * `utils.plotModel(model, { showShapes, showLayerNames, rankdir })`: the model's layer graph as a picture, as
 * Keras' `plot_model` draws it (a box per layer, an arrow per connection, layers in rows by graph depth) — an
 * SVG we lay out ourselves (no graphviz). The result renders inline as a cell's last value (image/svg+xml, a
 * PNG copy for the renderers that show no SVG — GitHub's notebook view, PDF exports — and text/plain, like the
 * charts) and can be written to a file as Keras' `to_file` is: a PNG for `.png` (Keras' default "model.png"),
 * the SVG otherwise (`toFile: "model.svg"`).
 */
import { writeFileSync } from "node:fs";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/bridge";
import { svgToPNG } from "../display/png";
import type { Layer } from "../layers/extras";
import { unknownIdentifierError } from "../utils/suggest";
import { formatShape } from "./data";
import { routeEdges } from "./plot-route";
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
  /** Also write the picture to this path: PNG for a `.png` name (as Keras' `to_file`), else the SVG. */
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

/** The picture of a model: `.svg` holds the SVG text, `.png` its PNG copy; displays itself inline. */
export class ModelPlot {
  private pngBytes?: Buffer;

  constructor(
    readonly svg: string,
    readonly text: string,
  ) {}

  /** The SVG drawn as PNG (with the chart fonts, display/png.ts), made on first use. */
  get png(): Buffer {
    this.pngBytes ??= svgToPNG(this.svg);
    return this.pngBytes;
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "image/svg+xml": this.svg, "image/png": this.png.toString("base64"), "text/plain": this.text };
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
  const routes = routeEdges(
    edges.map(([from, to]) => [boxes.get(from)!, boxes.get(to)!]),
    [...boxes.values()],
    rankdir,
  );
  // The picture's extent: the boxes with their margin, and any lane an edge bent around boxes along.
  const [svgW, svgH] = rankdir === "TB" ? [width + 40, along - GAP] : [along - GAP, width + 40];
  const xs = routes.flat().map(([x]) => x);
  const ys = routes.flat().map(([, y]) => y);
  const [x0, y0] = [
    Math.floor(Math.min(0, ...xs.map((x) => x - 10))),
    Math.floor(Math.min(0, ...ys.map((y) => y - 10))),
  ];
  const [vbW, vbH] = [
    Math.ceil(Math.max(svgW, ...xs.map((x) => x + 10)) - x0),
    Math.ceil(Math.max(svgH, ...ys.map((y) => y + 10)) - y0),
  ];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${vbW}" height="${vbH}" viewBox="${x0} ${y0} ${vbW} ${vbH}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${esc(model.name)}</title>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>`,
  ];
  edges.forEach(([from, to], i) => {
    const points = routes[i];
    const ends = `class="edge" data-from="${esc(from.name)}" data-to="${esc(to.name)}"`;
    const stroke = `stroke="#333" stroke-width="1.2" marker-end="url(#arrow)"`;
    if (points.length === 2) {
      const [[x1, y1], [x2, y2]] = points;
      parts.push(
        `<line ${ends} x1="${x1.toFixed(1)}" y1="${y1.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ${stroke}/>`,
      );
    } else {
      const d = points.map(([x, y], k) => `${k === 0 ? "M" : "L"}${x.toFixed(1)},${y.toFixed(1)}`).join(" ");
      parts.push(`<path ${ends} d="${d}" fill="none" ${stroke}/>`);
    }
  });
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
  const plot = new ModelPlot(svg, text);
  if (options.toFile) writeFileSync(options.toFile, /\.png$/i.test(options.toFile) ? plot.png : svg);
  return plot;
}
