/**
 * Keras' `GRU(units, activation="tanh", recurrent_activation="sigmoid", reset_after=True, …)`. Kernel
 * order z, r, h. With reset_after (Keras 3's default, tfjs has only the other variant) the bias has two
 * rows (input, recurrent) and the reset gate multiplies the recurrent projection:
 * hh = tanh(x·W_h + b_h + r·(h·U_h + rb_h)); h_t = z·h_{t-1} + (1 - z)·hh.
 */
import { tf } from "../tf";
import { activationFn, activationName } from "./activation-fns";
import { register } from "./base";
import { type RNNOptions, RecurrentLayer, rnnOptions } from "./rnn";

export interface GRUOptions extends RNNOptions {
  recurrentActivation?: string | null;
  resetAfter?: boolean;
}

const OWN = ["recurrentActivation", "resetAfter"];

export class GRULayer extends RecurrentLayer {
  static className = "GRU";
  protected readonly gates = 3;
  protected readonly stateCount = 1;
  readonly resetAfter: boolean;
  private readonly recurrentActivationName: string;
  private readonly recurrentActivation: (x: tf.Tensor) => tf.Tensor;

  constructor(o: GRUOptions) {
    const opts = rnnOptions("GRU", o, undefined, OWN);
    super("GRU", opts);
    this.resetAfter = opts.resetAfter ?? true;
    this.recurrentActivationName = activationName(
      opts.recurrentActivation === undefined ? "sigmoid" : opts.recurrentActivation,
    );
    this.recurrentActivation = activationFn(this.recurrentActivationName);
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): tf.Tensor {
    const b = this.bias!.read();
    return this.resetAfter ? tf.squeeze(tf.slice(b, [0, 0], [1, -1]), [0]) : b;
  }

  protected step(xw: tf.Tensor, states: tf.Tensor[], hIns: tf.Tensor[]): tf.Tensor[] {
    const [xz, xr, xh] = tf.split(xw, 3, 1);
    let z: tf.Tensor, hh: tf.Tensor;
    if (this.resetAfter) {
      let inner = this.recurrent(hIns, 0, 3);
      if (this.useBias) inner = tf.add(inner, tf.squeeze(tf.slice(this.bias!.read(), [1, 0], [1, -1]), [0]));
      const [rz, rr, rh] = tf.split(inner, 3, 1);
      z = this.recurrentActivation(tf.add(xz, rz));
      const r = this.recurrentActivation(tf.add(xr, rr));
      hh = this.activation(tf.add(xh, tf.mul(r, rh)));
    } else {
      const [rz, rr] = tf.split(this.recurrent(hIns, 0, 2), 2, 1);
      z = this.recurrentActivation(tf.add(xz, rz));
      const r = this.recurrentActivation(tf.add(xr, rr));
      const hForH = hIns[hIns.length - 1];
      hh = this.activation(tf.add(xh, this.recurrent([tf.mul(r, hForH)], 2, 3)));
    }
    return [tf.add(tf.mul(z, states[0]), tf.mul(tf.sub(1, z), hh))];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivationName, resetAfter: this.resetAfter };
  }
}
register(GRULayer);

/** `GRU(32)`, `GRU(32, { returnSequences: true })` or `GRU({ units: 32 })`. */
export function GRU(units: number | GRUOptions, options?: GRUOptions): GRULayer {
  return new GRULayer(rnnOptions("GRU", units, options, OWN));
}
