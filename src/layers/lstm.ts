/**
 * Keras' `LSTM(units, activation="tanh", recurrent_activation="sigmoid", unit_forget_bias=True, …)`.
 * Gates in Keras' kernel order i, f, c, o: c_t = f·c_{t-1} + i·tanh(z_c), h_t = o·tanh(c_t).
 * (tfjs' LSTM defaults to hard_sigmoid; this one follows Keras 3.)
 */
import { tf } from "../tf";
import { fusedLSTM } from "../backend/fused-lstm";
import { activationFn, activationName } from "./activation-fns";
import { initializer } from "./common";
import { register } from "./base";
import { type RNNOptions, RecurrentLayer, rnnOptions } from "./rnn";

export interface LSTMOptions extends RNNOptions {
  recurrentActivation?: string | null;
  /** Adds 1 to the forget gate's bias at initialization (Keras' default true). */
  unitForgetBias?: boolean;
}

const OWN = ["recurrentActivation", "unitForgetBias"];

export class LSTMLayer extends RecurrentLayer {
  static className = "LSTM";
  protected readonly gates = 4;
  protected readonly stateCount = 2;
  readonly unitForgetBias: boolean;
  private readonly recurrentActivationName: string;
  private readonly recurrentActivation: (x: tf.Tensor) => tf.Tensor;

  constructor(o: LSTMOptions) {
    const opts = rnnOptions("LSTM", o, undefined, OWN);
    super("LSTM", opts);
    this.unitForgetBias = opts.unitForgetBias ?? true;
    this.recurrentActivationName = activationName(
      opts.recurrentActivation === undefined ? "sigmoid" : opts.recurrentActivation,
    );
    this.recurrentActivation = activationFn(this.recurrentActivationName);
  }

  protected override initialBias(): tf.Tensor | undefined {
    if (!this.unitForgetBias) return undefined;
    const init = initializer(this.options.biasInitializer, "zeros") as { apply(shape: number[]): tf.Tensor };
    return tf.tidy(() => tf.concat([init.apply([this.units]), tf.ones([this.units]), init.apply([2 * this.units])]));
  }

  protected step(xw: tf.Tensor, states: tf.Tensor[], hIns: tf.Tensor[]): tf.Tensor[] {
    const z = tf.add(xw, this.recurrent(hIns, 0, 4));
    const [zi, zf, zc, zo] = tf.split(z, 4, 1);
    const i = this.recurrentActivation(zi);
    const f = this.recurrentActivation(zf);
    const c = tf.add(tf.mul(f, states[1]), tf.mul(i, this.activation(zc)));
    const o = this.recurrentActivation(zo);
    return [tf.mul(o, this.activation(c)), c];
  }

  /** Keras' default activations run as one BlockLSTM kernel for the whole sequence (backend/fused-lstm.ts). */
  protected override fusedSequence(
    x: tf.Tensor,
    initial: tf.Tensor[] | undefined,
    training: boolean,
  ): { outputs: tf.Tensor; states: tf.Tensor[] } | undefined {
    if (this.activationName !== "tanh" || this.recurrentActivationName !== "sigmoid") return undefined;
    const batch = x.shape[0];
    const zeros = tf.zeros([batch, this.units]);
    const [h0, c0] = initial ?? [zeros, zeros];
    const bias = this.useBias ? this.bias!.read() : tf.zeros([4 * this.units]);
    const timeMajor = tf.transpose(this.droppedInput(x, training), [1, 0, 2]);
    const { h, c } = fusedLSTM(timeMajor, h0, c0, this.kernel!.read(), this.recurrentKernel!.read(), bias);
    const last = (s: tf.Tensor) => tf.squeeze(tf.slice(s, [s.shape[0] - 1, 0, 0], [1, -1, -1]), [0]);
    return { outputs: tf.transpose(h, [1, 0, 2]), states: [last(h), last(c)] };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      recurrentActivation: this.recurrentActivationName,
      unitForgetBias: this.unitForgetBias,
    };
  }
}
register(LSTMLayer);

/** `LSTM(32)`, `LSTM(32, { returnSequences: true })` or `LSTM({ units: 32 })`. */
export function LSTM(units: number | LSTMOptions, options?: LSTMOptions): LSTMLayer {
  return new LSTMLayer(rnnOptions("LSTM", units, options, OWN));
}
