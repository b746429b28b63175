/** Keras' `SimpleRNN(units, activation="tanh", …)`: h_t = activation(x_t·W + b + h_{t-1}·U). */
import { tf } from "../tf";
import { register } from "./base";
import { type RNNOptions, RecurrentLayer, rnnOptions } from "./rnn";

export type SimpleRNNOptions = RNNOptions;

export class SimpleRNNLayer extends RecurrentLayer {
  static className = "SimpleRNN";
  protected readonly gates = 1;
  protected readonly stateCount = 1;

  constructor(o: SimpleRNNOptions) {
    super("SimpleRNN", rnnOptions("SimpleRNN", o, undefined, []));
  }

  protected step(xw: tf.Tensor, _states: tf.Tensor[], hIns: tf.Tensor[]): tf.Tensor[] {
    return [this.activation(tf.add(xw, this.recurrent(hIns, 0, 1)))];
  }
}
register(SimpleRNNLayer);

/** `SimpleRNN(32)`, `SimpleRNN(32, { returnSequences: true })` or `SimpleRNN({ units: 32 })`. */
export function SimpleRNN(units: number | SimpleRNNOptions, options?: SimpleRNNOptions): SimpleRNNLayer {
  return new SimpleRNNLayer(rnnOptions("SimpleRNN", units, options, []));
}
