/**
 * Each layer's forward pass (training or inference) and its hand-written backward pass, with
 * TensorFlow's own gradient kernels (ReluGrad, Conv2DBackprop*, MaxPoolGrad, FusedBatchNormGradV3, …).
 * Keras 3's math: inverted dropout (keep when u >= rate, scale 1/(1-rate)); BatchNormalization
 * normalises with the batch's biased variance and updates `moving = moving * momentum + batch * (1 - momentum)`.
 */
import { type Attr, DT, type OpId, type Out } from "./native";
import type { GraphBuilder, GraphVariable } from "./graph";
import type { ActivationName, LayerSpec, WeightSpec } from "./spec";

export const F: Attr = ["T", "type", DT.float32];

export interface Ctx {
  g: GraphBuilder;
  weightOf: (layer: number, role: string) => Out | undefined;
  training: boolean;
  seed: () => number;
  /**
   * The training step's number (int32), when the fused dropout op is available (native/dropout_op.cc):
   * dropout masks are then a function of (seed, step, element) and the backward pass re-applies the op.
   */
  dropoutStep?: Out;
}

export interface LayerTrace {
  x: Out;
  y: Out;
  pre?: Out;
  extra: Out[];
  /** Fused dropout: the same op applied to the gradient is the backward pass. */
  dropout?: (v: Out) => Out;
}

function activation(g: GraphBuilder, name: ActivationName, z: Out): Out {
  switch (name) {
    case "linear":
      return z;
    case "relu":
      return g.un("Relu", z);
    case "relu6":
      return g.un("Relu6", z);
    case "sigmoid":
      return g.un("Sigmoid", z);
    case "tanh":
      return g.un("Tanh", z);
    case "elu":
      return g.un("Elu", z);
    case "selu":
      return g.un("Selu", z);
    case "softplus":
      return g.un("Softplus", z);
    case "softmax":
      return g.un("Softmax", z);
  }
}

/** d(loss)/d(pre-activation) from d(loss)/d(output). */
function activationGrad(g: GraphBuilder, name: ActivationName, dy: Out, y: Out, z: Out): Out {
  switch (name) {
    case "linear":
      return dy;
    case "relu":
      return g.op("ReluGrad", [dy, y], [F]);
    case "relu6":
      return g.op("Relu6Grad", [dy, y], [F]);
    case "sigmoid":
      return g.op("SigmoidGrad", [y, dy], [F]);
    case "tanh":
      return g.op("TanhGrad", [y, dy], [F]);
    case "elu":
      return g.op("EluGrad", [dy, y], [F]);
    case "selu":
      return g.op("SeluGrad", [dy, y], [F]);
    case "softplus":
      return g.op("SoftplusGrad", [dy, z], [F]);
    case "softmax": {
      const s = g.op(
        "Sum",
        [g.bin("Mul", dy, y), g.constInts([-1])],
        [F, ["Tidx", "type", DT.int32], ["keep_dims", "bool", true]],
      );
      return g.bin("Mul", g.bin("Sub", dy, s), y);
    }
  }
}

/** Keras' inverted dropout by the addon's fused op: keep with probability 1 - rate, scale by 1 / (1 - rate). */
export function fusedDropout(g: GraphBuilder, x: Out, step: Out, rate: number, seed: number): Out {
  return g.op(
    "TslabKerasDropout",
    [x, step],
    [
      ["rate", "float", rate],
      ["scale", "float", 1 / (1 - rate)], // in double, then float32, as Keras computes it
      ["seed", "int", seed],
    ],
  );
}

function pool4(v: [number, number]): number[] {
  return [1, v[0], v[1], 1];
}

/** BN runs on NHWC tensors; a [N, C] input is viewed as [N, 1, 1, C]. */
export function forwardLayer(
  ctx: Ctx,
  l: LayerSpec,
  i: number,
  x: Out,
  inShape: number[],
  outShape: number[],
): LayerTrace {
  const { g } = ctx;
  const W = (role: string) => ctx.weightOf(i, role);
  switch (l.kind) {
    case "dense": {
      let z = g.op("MatMul", [x, W("kernel")!], [F]);
      if (l.useBias) z = g.op("BiasAdd", [z, W("bias")!], [F]);
      return { x, y: activation(g, l.activation, z), pre: z, extra: [] };
    }
    case "conv2d": {
      let z = g.op(
        "Conv2D",
        [x, W("kernel")!],
        [F, ["strides", "ints", pool4(l.strides)], ["padding", "string", l.padding.toUpperCase()]],
      );
      if (l.useBias) z = g.op("BiasAdd", [z, W("bias")!], [F]);
      return { x, y: activation(g, l.activation, z), pre: z, extra: [] };
    }
    case "activation":
      return { x, y: activation(g, l.activation, x), pre: x, extra: [] };
    case "maxpool2d": {
      const y = g.op(
        "MaxPool",
        [x],
        [
          F,
          ["ksize", "ints", pool4(l.poolSize)],
          ["strides", "ints", pool4(l.strides)],
          ["padding", "string", l.padding.toUpperCase()],
        ],
      );
      return { x, y, extra: [] };
    }
    case "flatten":
      return { x, y: g.op("Reshape", [x, g.constInts([-1, outShape[0]])], [F]), extra: [] };
    case "dropout": {
      if (!ctx.training || l.rate === 0) return { x, y: x, extra: [] };
      const step = ctx.dropoutStep;
      if (step) {
        const seed = ctx.seed();
        const dropout = (v: Out) => fusedDropout(g, v, step, l.rate, seed);
        return { x, y: dropout(x), extra: [], dropout };
      }
      const shape = g.op("Shape", [x], [F, ["out_type", "type", DT.int32]]);
      const u = g.op(
        "RandomUniform",
        [shape],
        [
          ["dtype", "type", DT.float32],
          ["T", "type", DT.int32],
          ["seed", "int", ctx.seed()],
          ["seed2", "int", ctx.seed()],
        ],
      );
      const keep = g.op("GreaterEqual", [u, g.scalar(l.rate)], [F]);
      const mask = g.bin(
        "Mul",
        g.op(
          "Cast",
          [keep],
          [
            ["SrcT", "type", DT.bool],
            ["DstT", "type", DT.float32],
          ],
        ),
        g.scalar(1 / (1 - l.rate)),
      );
      return { x, y: g.bin("Mul", x, mask), extra: [mask] };
    }
    case "batchnorm": {
      const c = inShape[inShape.length - 1];
      const flat = inShape.length === 1;
      const x4 = flat ? g.op("Reshape", [x, g.constInts([-1, 1, 1, c])], [F]) : x;
      const gamma =
        W("gamma") ??
        g.op(
          "Const",
          [],
          [
            ["value", "tensor", [DT.float32, [c], new Float32Array(c).fill(1)]],
            ["dtype", "type", DT.float32],
          ],
        );
      const beta =
        W("beta") ??
        g.op(
          "Const",
          [],
          [
            ["value", "tensor", [DT.float32, [c], new Float32Array(c)]],
            ["dtype", "type", DT.float32],
          ],
        );
      const attrs: Attr[] = [
        F,
        ["U", "type", DT.float32],
        ["epsilon", "float", l.epsilon],
        ["data_format", "string", "NHWC"],
        ["is_training", "bool", ctx.training],
      ];
      const empty = g.op(
        "Const",
        [],
        [
          ["value", "tensor", [DT.float32, [0], new Float32Array(0)]],
          ["dtype", "type", DT.float32],
        ],
      );
      const mean = ctx.training ? empty : W("moving_mean")!;
      const variance = ctx.training ? empty : W("moving_variance")!;
      const outs = g.outs("FusedBatchNormV3", [x4, gamma, beta, mean, variance], 6, attrs);
      const y = flat ? g.op("Reshape", [outs[0], g.constInts([-1, c])], [F]) : outs[0];
      // extra: x4, gamma, batch mean, reserve 1..3
      return { x, y, extra: [x4, gamma, outs[1], outs[3], outs[4], outs[5]] };
    }
  }
}

/**
 * A bias's gradient: the output gradient summed over all but the channel axis. For a convolution this
 * is a plain Sum, not BiasAddGrad: oneDNN's graph pass fuses BiasAddGrad into the filter gradient
 * (_MklConv2DBackpropFilterWithBias), which measured 7–9 % slower per step on lesson 004's CNN than
 * the filter gradient and a separate Sum (the sum is ~2 % of the convolution's time).
 */
function biasGrad(g: GraphBuilder, kind: "dense" | "conv2d", dz: Out): Out {
  if (kind === "dense") return g.op("BiasAddGrad", [dz], [F]);
  return g.op("Sum", [dz, g.constInts([0, 1, 2])], [F, ["Tidx", "type", DT.int32]]);
}

/** What the backward pass of one layer reads and writes. */
export interface BackwardCtx {
  g: GraphBuilder;
  wspecs: WeightSpec[];
  weights: GraphVariable[];
  reads: Out[];
  /** Gradient per weight (index into wspecs). */
  grads: (Out | undefined)[];
  /** Ops each weight's update must wait for (they still read the old value). */
  after: OpId[][];
  /** BatchNormalization's moving-statistics assignments. */
  statUpdates: OpId[];
}

/**
 * Backward through layer i: d(loss)/d(output) → d(loss)/d(input) (undefined for the first layer), and
 * the layer's weight gradients into ctx.grads. `isLast` layers receive d(loss)/d(logits) directly.
 */
export function backwardLayer(
  ctx: BackwardCtx,
  l: LayerSpec,
  i: number,
  t: LayerTrace,
  grad: Out,
  inShape: number[],
  isLast: boolean,
): Out {
  const { g, wspecs, weights, reads, after, statUpdates } = ctx;
  const needDx = i > 0;
  const index = (role: string) => wspecs.findIndex((w) => w.layer === i && w.role === role);
  const setGrad = (_layer: number, role: string, v: Out) => {
    ctx.grads[index(role)] = v;
  };
  const weightOf = (_layer: number, role: string) => {
    const k = index(role);
    return k < 0 ? undefined : reads[k];
  };
  switch (l.kind) {
    case "dense":
    case "conv2d": {
      const dz = isLast ? grad : activationGrad(g, l.activation, grad, t.y, t.pre!);
      const kernel = weightOf(i, "kernel")!;
      if (l.kind === "dense") {
        setGrad(i, "kernel", g.op("MatMul", [t.x, dz], [F, ["transpose_a", "bool", true]]));
        if (needDx) grad = g.op("MatMul", [dz, kernel], [F, ["transpose_b", "bool", true]]);
      } else {
        const cattrs: Attr[] = [
          F,
          ["strides", "ints", pool4(l.strides)],
          ["padding", "string", l.padding.toUpperCase()],
        ];
        const ks = wspecs.find((w) => w.layer === i && w.role === "kernel")!.shape;
        setGrad(i, "kernel", g.op("Conv2DBackpropFilter", [t.x, g.constInts(ks), dz], cattrs));
        if (needDx)
          grad = g.op(
            "Conv2DBackpropInput",
            [g.op("Shape", [t.x], [F, ["out_type", "type", DT.int32]]), kernel, dz],
            cattrs,
          );
      }
      if (l.useBias) setGrad(i, "bias", biasGrad(g, l.kind, dz));
      if (needDx) after[wspecs.findIndex((w) => w.layer === i && w.role === "kernel")].push(grad[0]);
      break;
    }
    case "activation":
      grad = isLast ? grad : activationGrad(g, l.activation, grad, t.y, t.pre!);
      break;
    case "maxpool2d":
      grad = g.op(
        "MaxPoolGrad",
        [t.x, t.y, grad],
        [
          F,
          ["ksize", "ints", pool4(l.poolSize)],
          ["strides", "ints", pool4(l.strides)],
          ["padding", "string", l.padding.toUpperCase()],
        ],
      );
      break;
    case "flatten":
      grad = g.op("Reshape", [grad, g.constInts([-1, ...inShape])], [F]);
      break;
    case "dropout":
      if (t.dropout) grad = t.dropout(grad);
      else if (t.extra.length > 0) grad = g.bin("Mul", grad, t.extra[0]);
      break;
    case "batchnorm": {
      const c = inShape[inShape.length - 1];
      const flat = inShape.length === 1;
      const [x4, gamma, batchMean, r1, r2, r3] = t.extra;
      const dy4 = flat ? g.op("Reshape", [grad, g.constInts([-1, 1, 1, c])], [F]) : grad;
      const bg = g.outs("FusedBatchNormGradV3", [dy4, x4, gamma, r1, r2, r3], 5, [
        F,
        ["U", "type", DT.float32],
        ["epsilon", "float", l.epsilon],
        ["data_format", "string", "NHWC"],
        ["is_training", "bool", true],
      ]);
      if (l.scale) setGrad(i, "gamma", bg[1]);
      if (l.center) setGrad(i, "beta", bg[2]);
      if (l.scale) after[wspecs.findIndex((w) => w.layer === i && w.role === "gamma")].push(bg[0][0]);
      grad = flat ? g.op("Reshape", [bg[0], g.constInts([-1, c])], [F]) : bg[0];
      // Keras: moving = moving * momentum + batch * (1 - momentum), with the batch's biased variance
      // (reserve_space_2 on CPU holds the biased variance; output 2 would be Bessel-corrected).
      for (const [role, stat] of [
        ["moving_mean", batchMean],
        ["moving_variance", r2],
      ] as const) {
        const k = wspecs.findIndex((w) => w.layer === i && w.role === role);
        const mv = reads[k];
        const upd = g.bin(
          "AddV2",
          g.bin("Mul", mv, g.scalar(l.momentum)),
          g.bin("Mul", stat, g.scalar(1 - l.momentum)),
        );
        statUpdates.push(g.assign(weights[k].handle, upd));
      }
      break;
    }
  }
  return grad;
}
