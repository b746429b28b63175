/**
 * plotModel's picture beyond the node/edge checks in models-functional: a PNG copy in the display bundle and
 * for `toFile: "….png"` (Keras' plot_model writes PNG), and edges that skip ranks (a residual shortcut, a
 * branch joining later) routed around the boxes in between instead of through them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { Input, Model, layers, utils } from "../../src/index";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The lesson's graph: a residual block and a side branch concatenated, two heads. */
function branchy(): Model {
  const x = Input({ shape: [8], name: "x" });
  const stem = layers.Dense(6, { name: "stem" })(x);
  const block = layers.Dense(6, { name: "block" })(stem);
  const sum = layers.Add({ name: "sum" })([stem, block]);
  const side = layers.Dense(2, { name: "side" })(x);
  const cat = layers.Concatenate({ name: "cat" })([sum, side]);
  return new Model({
    inputs: x,
    outputs: [layers.Dense(3, { name: "head_a" })(cat), layers.Dense(1, { name: "head_b" })(cat)],
  });
}

interface Rect {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

function rects(svg: string): Rect[] {
  return [
    ...svg.matchAll(/data-layer="([^"]+)">\n<rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"/g),
  ].map((m) => ({ name: m[1], x: +m[2], y: +m[3], w: +m[4], h: +m[5] }));
}

function edgePolylines(svg: string): { from: string; to: string; points: [number, number][] }[] {
  const lines = [
    ...svg.matchAll(
      /data-from="([^"]+)" data-to="([^"]+)" x1="([\d.-]+)" y1="([\d.-]+)" x2="([\d.-]+)" y2="([\d.-]+)"/g,
    ),
  ].map((m) => ({
    from: m[1],
    to: m[2],
    points: [
      [+m[3], +m[4]],
      [+m[5], +m[6]],
    ] as [number, number][],
  }));
  const paths = [...svg.matchAll(/data-from="([^"]+)" data-to="([^"]+)" d="([^"]+)"/g)].map((m) => ({
    from: m[1],
    to: m[2],
    points: m[3].split(" ").map((p) => p.slice(1).split(",").map(Number) as [number, number]),
  }));
  return [...lines, ...paths];
}

/** Whether segment p→q passes through the inside of rect r (sampled along the segment). */
function hits(p: [number, number], q: [number, number], r: Rect): boolean {
  for (let t = 0; t <= 1; t += 0.01) {
    const [x, y] = [p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t];
    if (x > r.x + 1 && x < r.x + r.w - 1 && y > r.y + 1 && y < r.y + r.h - 1) return true;
  }
  return false;
}

for (const rankdir of ["TB", "LR"] as const) {
  test(`${rankdir}: no edge runs through a box other than its own ends; shortcuts bend around`, () => {
    const m = branchy();
    const svg = utils.plotModel(m, { showShapes: true, showLayerNames: true, rankdir }).svg;
    const boxes = rects(svg);
    assert.equal(boxes.length, 8);
    const edges = edgePolylines(svg);
    assert.equal(edges.length, 9);
    for (const e of edges) {
      for (const r of boxes.filter((b) => b.name !== e.from && b.name !== e.to)) {
        for (let i = 1; i < e.points.length; i++) {
          assert.ok(!hits(e.points[i - 1], e.points[i], r), `${e.from}->${e.to} crosses ${r.name}`);
        }
      }
    }
    // stem→sum skips block's rank and x→side does not skip; side→cat skips two ranks: both shortcuts bend
    const bent = edges.filter((e) => e.points.length > 2).map((e) => `${e.from}->${e.to}`);
    assert.deepEqual(bent.sort(), ["side->cat", "stem->sum"]);
    // every point lies inside the picture's viewBox
    const [x0, y0, w, h] = /viewBox="([\d.-]+) ([\d.-]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.slice(1).map(Number);
    for (const [x, y] of edges.flatMap((e) => e.points)) assert.ok(x >= x0 && x <= x0 + w && y >= y0 && y <= y0 + h);
    m.dispose();
  });
}

test("the display bundle has a PNG copy; toFile writes PNG for .png (Keras' default) and SVG otherwise", () => {
  const m = branchy();
  const plot = utils.plotModel(m, { showShapes: true });
  const bundle = (plot as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  const png = Buffer.from(bundle["image/png"], "base64");
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
  const width = Number(/^<svg [^>]*width="(\d+)"/.exec(plot.svg)![1]);
  assert.equal(png.readUInt32BE(16), width); // IHDR: drawn at the SVG's own size
  assert.equal(bundle["image/svg+xml"], plot.svg);
  const dir = mkdtempSync(join(tmpdir(), "plot-model-"));
  try {
    utils.plotModel(m, { toFile: join(dir, "model.png") });
    assert.ok(readFileSync(join(dir, "model.png")).subarray(0, 8).equals(PNG_SIGNATURE));
    utils.plotModel(m, { toFile: join(dir, "model.svg") });
    assert.match(readFileSync(join(dir, "model.svg"), "utf8"), /^<svg /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    m.dispose();
  }
});
