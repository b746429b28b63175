/**
 * The arrows of plotModel's picture. An edge between neighbouring ranks is a straight arrow. An edge that skips
 * ranks (a residual shortcut, a branch that joins later) would run straight through the boxes in between and
 * look like a connection to them, so it bends around them instead: down a lane beside the skipped ranks (left
 * or right, whichever is nearer), as graphviz routes Keras' plot_model edges around nodes.
 */

export interface PlacedBox {
  x: number;
  y: number;
  w: number;
  h: number;
  depth: number;
}

export type Point = [number, number];

/** Clearance between a lane and the boxes it passes, and between two lanes on one side. */
const LANE_GAP = 14;
const LANE_STEP = 10;

/** The same box seen top-to-bottom: LR pictures are routed with x and y swapped. */
const flip = (b: PlacedBox): PlacedBox => ({ x: b.y, y: b.x, w: b.h, h: b.w, depth: b.depth });

/** Whether the segment p→q (going down) passes through box b (with a small margin). */
function crosses(p: Point, q: Point, b: PlacedBox): boolean {
  const [top, bottom] = [b.y, b.y + b.h];
  if (Math.max(p[1], q[1]) <= top || Math.min(p[1], q[1]) >= bottom) return false;
  const xAt = (y: number) => (q[1] === p[1] ? p[0] : p[0] + ((q[0] - p[0]) * (y - p[1])) / (q[1] - p[1]));
  const ys = [Math.max(top, Math.min(p[1], q[1])), Math.min(bottom, Math.max(p[1], q[1]))];
  const [lo, hi] = [Math.min(...ys.map(xAt)), Math.max(...ys.map(xAt))];
  return hi >= b.x - 4 && lo <= b.x + b.w + 4;
}

/** The points of each edge, source anchor first, target anchor last (a straight edge has two). */
export function routeEdges(edges: [PlacedBox, PlacedBox][], boxes: PlacedBox[], rankdir: "TB" | "LR"): Point[][] {
  const lr = rankdir === "LR";
  const all = lr ? boxes.map(flip) : boxes;
  const lanes = { left: 0, right: 0 };
  return edges.map(([from, to]) => {
    const [a, b] = lr ? [flip(from), flip(to)] : [from, to];
    const start: Point = [a.x + a.w / 2, a.y + a.h];
    const end: Point = [b.x + b.w / 2, b.y];
    const between = all.filter((c) => c.depth > a.depth && c.depth < b.depth);
    let points: Point[] = [start, end];
    if (between.some((c) => crosses(start, end, c))) {
      const top = Math.min(...between.map((c) => c.y)) - 6;
      const bottom = Math.max(...between.map((c) => c.y + c.h)) + 6;
      const left = Math.min(...between.map((c) => c.x)) - LANE_GAP - LANE_STEP * lanes.left;
      const right = Math.max(...between.map((c) => c.x + c.w)) + LANE_GAP + LANE_STEP * lanes.right;
      const middle = (start[0] + end[0]) / 2;
      const side = middle - left <= right - middle ? "left" : "right";
      const lane = side === "left" ? left : right;
      lanes[side] += 1;
      points = [start, [lane, top], [lane, bottom], end];
    }
    return lr ? points.map(([x, y]): Point => [y, x]) : points;
  });
}
