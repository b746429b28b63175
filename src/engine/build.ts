/**
 * Builds one TensorFlow graph for a Sequential model: the training step (forward in training mode,
 * softmax cross-entropy from the logits, hand-written backward pass with TensorFlow's own gradient
 * kernels, optimizer updates with TensorFlow's fused Keras-equivalent apply ops, BatchNormalization's
 * moving statistics, the batch's loss and correct count) and an inference forward pass that shares the variables.
 *
 * The math is Keras 3's: inverted dropout (keep when u >= rate, scale 1/(1-rate)); BN normalises with
 * the batch's biased variance and updates `moving = moving * momentum + batch * (1 - momentum)`;
 * SGD/momentum/Nesterov (ResourceApplyKerasMomentum) and Adam/AMSGrad (ResourceApplyAdam*) match Keras'
 * update formulas; a final softmax with a cross-entropy loss is computed from the logits, exactly what
 * Keras' fit does in graph mode (keras/src/backend/tensorflow/nn.py, `_get_logits`).
 */
import { DT, type OpId, type Out } from "./native";
import type { GraphBuilder, GraphVariable } from "./graph";
import { type BackwardCtx, type Ctx, F, type LayerTrace, backwardLayer, forwardLayer } from "./layers";
import { buildOptimizer } from "./optimizer-graph";
import { type LossSpec, type ModelSpec, type OptimizerSpec, inferShapes } from "./spec";

export interface BuiltGraph {
  g: GraphBuilder;
  x: Out;
  y: Out;
  /** Target that runs one training step (weight, optimizer and BN updates). */
  train: OpId;
  /** Inference: softmax probabilities, and per-batch loss sum / correct count (for evaluate). */
  probs: Out;
  evalLossSum: Out;
  evalCorrect: Out;
  /** Model weights in Keras order. */
  weights: GraphVariable[];
  /** Optimizer slots per trainable weight (same order as the trainable weights), and the step counter. */
  slots: GraphVariable[][];
  iterations: GraphVariable;
  learningRate: GraphVariable;
  /** This batch's loss sum, correct count and sample count (fetched with every step: exact batch logs). */
  batchMetrics: [Out, Out, Out];
  /** The fused dropout op's step counter (int32), when the model uses it. */
  dropoutStep?: GraphVariable;
}

export function buildGraph(
  g: GraphBuilder,
  spec: ModelSpec,
  optimizer: OptimizerSpec,
  loss: LossSpec,
  seed: () => number,
  /** Build dropout with the addon's fused op (see `hasFusedDropout`), else from TensorFlow's ops. */
  fusedDropout: boolean,
): BuiltGraph {
  const { shapes, weights: wspecs } = inferShapes(spec);
  const last = spec.layers[spec.layers.length - 1];
  const endsInSoftmax =
    last !== undefined && (last.kind === "dense" || last.kind === "activation") && last.activation === "softmax";
  if (!endsInSoftmax) throw new Error("engine: the model must end in a softmax for a cross-entropy loss");
  const classes = shapes[shapes.length - 1][0];

  const weights = wspecs.map((w) => g.variable(`w${w.layer}_${w.role}`, w.shape));
  const reads = weights.map((w) => g.read(w.handle));
  const weightOf = (layer: number, role: string) => {
    const k = wspecs.findIndex((w) => w.layer === layer && w.role === role);
    return k < 0 ? undefined : reads[k];
  };

  const x = g.placeholder("x", DT.float32, [-1, ...spec.inputShape]);
  const sparse = loss === "sparse_categorical_crossentropy";
  const y = sparse ? g.placeholder("y", DT.int32, [-1]) : g.placeholder("y", DT.float32, [-1, classes]);

  // ---- forward, training mode
  // The fused dropout op's step counter: read once per step, incremented after the read.
  const counter =
    fusedDropout && spec.layers.some((l) => l.kind === "dropout" && l.rate > 0) ? dropoutCounter(g) : undefined;
  const train: Ctx = { g, weightOf, training: true, seed, dropoutStep: counter?.step };
  const traces: LayerTrace[] = [];
  let h = x;
  spec.layers.forEach((l, i) => {
    const t = forwardLayer(train, l, i, h, i === 0 ? spec.inputShape : shapes[i - 1], shapes[i]);
    traces.push(t);
    h = t.y;
  });
  const logits = traces[traces.length - 1].pre!;

  // ---- loss from logits; per-sample loss and d(loss)/d(logits) in one kernel
  const ce = sparse
    ? g.outs("SparseSoftmaxCrossEntropyWithLogits", [logits, y], 2, [F, ["Tlabels", "type", DT.int32]])
    : g.outs("SoftmaxCrossEntropyWithLogits", [logits, y], 2, [F]);
  const n = g.op(
    "Cast",
    [g.op("Size", [ce[0]], [F, ["out_type", "type", DT.int32]])],
    [
      ["SrcT", "type", DT.int32],
      ["DstT", "type", DT.float32],
    ],
  );
  const lossSum = g.op("Sum", [ce[0], g.constInts([0])], [F, ["Tidx", "type", DT.int32], ["keep_dims", "bool", false]]);
  const correct = correctCount(g, logits, y, sparse);
  let grad: Out = g.bin("RealDiv", ce[1], n);

  // ---- backward
  const bctx: BackwardCtx = {
    g,
    wspecs,
    weights,
    reads,
    grads: weights.map(() => undefined),
    after: weights.map(() => []),
    statUpdates: [],
  };
  for (let i = spec.layers.length - 1; i >= 0; i--) {
    const inShape = i === 0 ? spec.inputShape : shapes[i - 1];
    grad = backwardLayer(bctx, spec.layers[i], i, traces[i], grad, inShape, i === spec.layers.length - 1);
  }
  const statUpdates = bctx.statUpdates;

  // ---- optimizer
  const { updates, slots, iterations, learningRate } = buildOptimizer(
    g,
    optimizer,
    weights,
    wspecs,
    bctx.grads,
    bctx.after,
  );

  // The batch's loss sum, correct count and size are fetched with the step (the host keeps the epoch's sums).
  const trainOp = g.opId("NoOp", [], [], {
    name: "train_step",
    control: [...updates, ...statUpdates, ...(counter ? [counter.increment] : [])],
  });

  // ---- inference
  const infer: Ctx = { g, weightOf, training: false, seed };
  let hi = x;
  let preLast: Out = x;
  spec.layers.forEach((l, i) => {
    const t = forwardLayer(infer, l, i, hi, i === 0 ? spec.inputShape : shapes[i - 1], shapes[i]);
    hi = t.y;
    if (i === spec.layers.length - 1) preLast = t.pre!;
  });
  const ceEval = sparse
    ? g.outs("SparseSoftmaxCrossEntropyWithLogits", [preLast, y], 2, [F, ["Tlabels", "type", DT.int32]])
    : g.outs("SoftmaxCrossEntropyWithLogits", [preLast, y], 2, [F]);
  const evalLossSum = g.op(
    "Sum",
    [ceEval[0], g.constInts([0])],
    [F, ["Tidx", "type", DT.int32], ["keep_dims", "bool", false]],
  );
  const evalCorrect = correctCount(g, preLast, y, sparse);

  return {
    g,
    x,
    y,
    train: trainOp,
    batchMetrics: [lossSum, correct, n],
    probs: hi,
    evalLossSum,
    evalCorrect,
    weights,
    slots,
    iterations,
    learningRate,
    dropoutStep: counter?.variable,
  };
}

/** Whether the engine addon registered its fused dropout op (an older addon or libtensorflow may not). */
export function hasFusedDropout(g: GraphBuilder): boolean {
  return typeof g.addon.fusedDropout === "function" && g.addon.fusedDropout() === "";
}

/** An int32 step counter: the value read this step, and its increment (ordered after the read). */
function dropoutCounter(g: GraphBuilder): { step: Out; increment: OpId; variable: GraphVariable } {
  const variable = g.variable("dropout/step", [], DT.int32);
  const step = g.read(variable.handle, DT.int32, "dropout/step/value");
  const increment = g.opId(
    "AssignAddVariableOp",
    [variable.handle, g.scalar(1, DT.int32)],
    [["dtype", "type", DT.int32]],
    {
      control: [step[0]],
    },
  );
  return { step, increment, variable };
}

function correctCount(g: GraphBuilder, logits: Out, y: Out, sparse: boolean): Out {
  const axis = g.scalar(1, DT.int32);
  const argmax = (t: Out) =>
    g.op("ArgMax", [t, axis], [F, ["Tidx", "type", DT.int32], ["output_type", "type", DT.int32]]);
  const truth = sparse ? y : argmax(y);
  const eq = g.op("Equal", [argmax(logits), truth], [["T", "type", DT.int32]]);
  const f = g.op(
    "Cast",
    [eq],
    [
      ["SrcT", "type", DT.bool],
      ["DstT", "type", DT.float32],
    ],
  );
  return g.op("Sum", [f, g.constInts([0])], [F, ["Tidx", "type", DT.int32], ["keep_dims", "bool", false]]);
}
