/**
 * The matmul floor at the model's own shapes: a graph holding only each layer's GEMMs / convolutions
 * of a training step (forward, weight gradient, input gradient) and of inference, on random data,
 * run as one session call per step. Its time per epoch is what no implementation of the step on
 * these kernels can beat (the 1024² matMul rate overstates what small shapes reach).
 */
import { type OpId, type Out, type ThreadSettings, loadEngineAddon } from "../src/engine/native";
import { GraphBuilder, GraphSession, type GraphVariable } from "../src/engine/graph";
import { F } from "../src/engine/layers";
import { buildOptimizer } from "../src/engine/optimizer-graph";
import { inferShapes, type ModelSpec, type OptimizerSpec } from "../src/engine/spec";
import type { Lesson } from "./lessons";

/** A variable (not a constant: Grappler would fold the GEMMs of constants away at session creation). */
function input(g: GraphBuilder, shape: number[], inits: Map<GraphVariable, Float32Array>): Out {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = g.variable("in", shape);
  inits.set(
    v,
    Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
  );
  return g.read(v.handle);
}

/** Seconds per training step and per inference sample of the model's GEMMs/convolutions alone. */
export function gemmFloor(
  lesson: Lesson,
  batch: number,
  threads: { intraOp: number; interOp: number },
): { step: number; inferPerSample: number } {
  const addon = loadEngineAddon();
  if (!addon) return { step: NaN, inferPerSample: NaN };
  const g = new GraphBuilder(addon);
  const inits = new Map<GraphVariable, Float32Array>();
  const constant = (_g: GraphBuilder, shape: number[]) => input(g, shape, inits);
  const train: Out[] = [];
  const infer: Out[] = [];
  const evalBatch = 2048;
  let shape = lesson.inputShape.slice();
  lesson.layers.forEach((l, i) => {
    if (l.type === "dense") {
      const x = constant(g, [batch, shape[0]]);
      const w = constant(g, [shape[0], l.units]);
      const dz = constant(g, [batch, l.units]);
      train.push(g.op("MatMul", [x, w], [F]));
      train.push(g.op("MatMul", [x, dz], [F, ["transpose_a", "bool", true]]));
      if (i > 0) train.push(g.op("MatMul", [dz, w], [F, ["transpose_b", "bool", true]]));
      infer.push(g.op("MatMul", [constant(g, [evalBatch, shape[0]]), w], [F]));
      shape = [l.units];
    } else if (l.type === "conv2d") {
      const attrs = [F, ["strides", "ints", [1, 1, 1, 1]], ["padding", "string", "SAME"]] as const;
      const x = constant(g, [batch, ...shape]);
      const k = constant(g, [l.kernel, l.kernel, shape[2], l.filters]);
      const dz = constant(g, [batch, shape[0], shape[1], l.filters]);
      train.push(g.op("Conv2D", [x, k], [...attrs]));
      train.push(
        g.op("Conv2DBackpropFilter", [x, g.constInts([l.kernel, l.kernel, shape[2], l.filters]), dz], [...attrs]),
      );
      if (i > 0) train.push(g.op("Conv2DBackpropInput", [g.constInts([batch, ...shape]), k, dz], [...attrs]));
      infer.push(g.op("Conv2D", [constant(g, [Math.min(evalBatch, 256), ...shape]), k], [...attrs]));
      shape = [shape[0], shape[1], l.filters];
    } else if (l.type === "maxpool2d") {
      shape = [Math.ceil(shape[0] / 2), Math.ceil(shape[1] / 2), shape[2]];
    } else if (l.type === "flatten") {
      shape = [shape.reduce((a, b) => a * b, 1)];
    }
  });
  const s = new GraphSession(g, threads);
  s.setVariables(inits);
  const time = (outs: Out[], reps: number) =>
    bestOf(
      s,
      outs.map((o) => o[0]),
      reps,
    );
  const convEval = lesson.layers.some((l) => l.type === "conv2d") ? Math.min(evalBatch, 256) : evalBatch;
  return { step: time(train, 30), inferPerSample: time(infer, 5) / convEval };
}

/** Best wall time of `reps` session runs of `targets` (after 3 warm-up runs). */
function bestOf(s: GraphSession, targets: OpId[], reps: number): number {
  for (let i = 0; i < 3; i++) s.run([], [], targets);
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const start = performance.now();
    s.run([], [], targets);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

/**
 * Seconds per step of the optimizer's update alone: the engine's own apply ops (Adam, SGD) over
 * weights of the model's shapes, with given gradients. Unlike the GEMMs this cost does not shrink with
 * the batch: at batch 8 it is most of a step, whatever implementation runs it.
 */
export function updateFloor(spec: ModelSpec, optimizer: OptimizerSpec, threads: ThreadSettings): number {
  const addon = loadEngineAddon();
  if (!addon) return NaN;
  const g = new GraphBuilder(addon);
  const { weights: wspecs } = inferShapes(spec);
  const weights = wspecs.map((w, k) => g.variable(`w${k}`, w.shape));
  const gradVars = wspecs.map((w, k) => g.variable(`g${k}`, w.shape));
  const grads = wspecs.map((w, k) => (w.trainable ? g.read(gradVars[k].handle) : undefined));
  const built = buildOptimizer(
    g,
    optimizer,
    weights,
    wspecs,
    grads,
    wspecs.map(() => []),
  );
  const s = new GraphSession(g, threads);
  const values = new Map<GraphVariable, Float32Array>();
  for (const v of [...weights, ...gradVars, ...built.slots.flat()]) {
    const n = v.shape.reduce((a, b) => a * b, 1);
    values.set(
      v,
      Float32Array.from({ length: n }, (_, i) => (((i * 7919) % 1000) / 1000) * 0.01 + 0.001),
    );
  }
  values.set(built.iterations, Float32Array.of(0));
  values.set(built.learningRate, Float32Array.of(optimizer.learningRate));
  s.setVariables(values);
  return bestOf(s, built.updates, 50);
}
