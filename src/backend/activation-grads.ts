/**
 * The gradients of the common activations as one TensorFlow kernel each — ReluGrad, SigmoidGrad,
 * TanhGrad …, what TensorFlow's (and so Keras') autodiff uses — instead of tfjs' compositions: tfjs
 * differentiates relu as dy · cast(step(x)) and step as select(isNaN(x), x, select(x > 0, 1, 0)), seven
 * kernels with a full-size temporary each; sigmoid and tanh take three. On a CNN's activations that is
 * most of the backward pass's memory traffic, and in a traced graph most of its nodes.
 *
 * Registered over tfjs' own gradient configs (same values), so eager training and the compiled path's
 * traced graphs both use them: both calls go through runOp, which the tracer records.
 */
import { tf } from "../tf";
import { type OpAttr, runOp, tfDType } from "./ops";

interface FusedGradient {
  kernel: string;
  /** TensorFlow's gradient op. */
  op: string;
  /** What the op takes besides dy: the activation's input (saved as 'x') or its output. */
  saves: "input" | "output";
  /** The op's inputs in its own order, from dy and the saved tensor. */
  args: (dy: tf.Tensor, saved: tf.Tensor) => tf.Tensor[];
  attrs?: (kernelAttrs: Record<string, unknown>) => OpAttr[];
}

const GRADIENTS: FusedGradient[] = [
  // From the output, as TensorFlow's own gradients (y > 0 ⇔ x > 0): the pre-activation then has one
  // consumer, so TensorFlow's remapper fuses Conv2D + bias + Relu into one kernel, and it is freed early.
  { kernel: "Relu", op: "ReluGrad", saves: "output", args: (dy, y) => [dy, y] },
  { kernel: "Relu6", op: "Relu6Grad", saves: "output", args: (dy, y) => [dy, y] },
  { kernel: "Softplus", op: "SoftplusGrad", saves: "input", args: (dy, x) => [dy, x] },
  {
    kernel: "LeakyRelu",
    op: "LeakyReluGrad",
    saves: "input",
    args: (dy, x) => [dy, x],
    attrs: (a) => [{ name: "alpha", type: "float", value: Number(a.alpha) }],
  },
  { kernel: "Sigmoid", op: "SigmoidGrad", saves: "output", args: (dy, y) => [y, dy] },
  { kernel: "Tanh", op: "TanhGrad", saves: "output", args: (dy, y) => [y, dy] },
];

let registered = false;

/** Installs the fused gradients (once per process; later calls do nothing). */
export function registerActivationGradients(): void {
  if (registered) return;
  registered = true;
  for (const g of GRADIENTS) {
    tf.registerGradient({
      kernelName: g.kernel,
      ...(g.saves === "input" ? { inputsToSave: ["x"] } : { outputsToSave: [true] }),
      gradFunc: (dy, saved, attrs) => {
        const s = saved[0];
        const opAttrs: OpAttr[] = [{ name: "T", type: "type", value: tfDType(s.dtype) }, ...(g.attrs?.(attrs) ?? [])];
        return { x: () => runOp(g.op, opAttrs, g.args(dy as tf.Tensor, s))[0] };
      },
    });
  }
}
