/**
 * A whole LSTM sequence as one TensorFlow kernel: `BlockLSTM` forward, `BlockLSTMGrad` backward (the
 * kernels behind TF 1's LSTMBlockFusedCell). The step loop runs ~15 ops per time step forward and ~30
 * backward; one kernel runs the same math without per-op overhead, eagerly and in the traced graph alike
 * (both calls go through runOp, so the tracer records them as two nodes).
 *
 * BlockLSTM orders the gates i, c, f, o; Keras' kernel is i, f, c, o, so the weights are reordered on
 * the way in (a slice/concat the tape differentiates). `BlockLSTMV2` takes Keras' order but its gradient
 * disagrees with the unrolled loop's (checked against TensorFlow 2.21), so V1 is used.
 */
import { tf } from "../tf";
import { runOp, tfDType } from "./ops";

/** Keras' i|f|c|o column blocks as BlockLSTM's i|c|f|o. */
function toICFO(a: tf.Tensor): tf.Tensor {
  const [i, f, c, o] = tf.split(a, 4, -1);
  return tf.concat([i, c, f, o], -1);
}

/** An int64 scalar (BlockLSTM's seq_len_max): tfjs has no int64 dtype, so it is a Cast made by TensorFlow. */
function int64Scalar(value: number): tf.Tensor {
  const warn = console.warn;
  console.warn = () => undefined; // tfjs-node warns that it shows int64 outputs as int32; the value stays int64
  try {
    const [out] = runOp(
      "Cast",
      [
        { name: "SrcT", type: "type", value: tfDType("int32") },
        { name: "DstT", type: "type", value: 9 /* TF_INT64 */ },
        { name: "Truncate", type: "bool", value: false },
      ],
      [tf.scalar(value, "int32")],
    );
    return out;
  } finally {
    console.warn = warn;
  }
}

const T_ATTR = () => ({ name: "T", type: "type" as const, value: tfDType("float32") });

/**
 * Runs the LSTM over time-major `x` [time, batch, features] from states h0, c0 [batch, units] with Keras'
 * kernel [features, 4·units], recurrent kernel [units, 4·units] and bias [4·units] (activation tanh,
 * recurrent activation sigmoid). Returns every step's h and c, [time, batch, units] each.
 */
export function fusedLSTM(
  x: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
): { h: tf.Tensor; c: tf.Tensor } {
  return tf.tidy(() => {
    const time = x.shape[0];
    const units = h0.shape[1] as number;
    const w = toICFO(tf.concat([kernel, recurrentKernel], 0));
    const b = toICFO(bias);
    // One tensor out (customGrad's limit): h and c stacked on the time axis, split again below.
    const run = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [xs, cPrev, hPrev, wt, bt] = args as tf.Tensor[];
      const save = args[5] as tf.GradSaveFunc;
      const seqLen = int64Scalar(time);
      const peephole = tf.zeros([units]);
      const ins = [seqLen, xs, cPrev, hPrev, wt, peephole, peephole, peephole, bt];
      const outs = runOp(
        "BlockLSTM",
        [
          { name: "forget_bias", type: "float", value: 0 },
          { name: "cell_clip", type: "float", value: -1 },
          { name: "use_peephole", type: "bool", value: false },
          T_ATTR(),
        ],
        ins,
        7,
      );
      save([...ins, ...outs]);
      const [, cs, , , , , h] = outs;
      return {
        value: tf.concat([h, cs], 0),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [hGrad, csGrad] = tf.split(dy, 2, 0);
          const grads = runOp(
            "BlockLSTMGrad",
            [{ name: "use_peephole", type: "bool", value: false }, T_ATTR()],
            [...saved, csGrad, hGrad],
            8,
          );
          const [xGrad, cPrevGrad, hPrevGrad, wGrad, , , , bGrad] = grads;
          return [xGrad, cPrevGrad, hPrevGrad, wGrad, bGrad];
        },
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const both = run(x, c0, h0, w, b);
    const [h, c] = tf.split(both, 2, 0);
    return { h, c };
  });
}
