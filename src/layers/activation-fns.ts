/**
 * Keras 3's activation functions as tfjs ops, for the layers this library computes itself (RNN cells).
 * `hard_sigmoid` is Keras 3's `relu6(x + 3) / 6`, not Keras 2's (and tfjs') `0.2 x + 0.5`.
 */
import { tf } from "../tf";
import { ACTIVATION_NAMES } from "./activations";
import { unknownIdentifierError } from "../utils/suggest";

export type ActivationFn = (x: tf.Tensor) => tf.Tensor;

const FNS: Record<string, ActivationFn> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  relu6: (x) => tf.relu6(x),
  sigmoid: (x) => tf.sigmoid(x),
  tanh: (x) => tf.tanh(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
  softplus: (x) => tf.softplus(x),
  softsign: (x) => tf.div(x, tf.add(tf.abs(x), 1)),
  hard_sigmoid: (x) => tf.div(tf.relu6(tf.add(x, 3)), 6),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  silu: (x) => tf.mul(x, tf.sigmoid(x)),
  softmax: (x) => tf.softmax(x),
};

/** Keras' activation name (snake_case or camelCase; null = linear) → its function. */
export function activationFn(name: string | null | undefined): ActivationFn {
  if (name == null) return FNS.linear;
  const key = String(name)
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
  const fn = FNS[key];
  if (!fn)
    throw unknownIdentifierError(
      "activation",
      name,
      ACTIVATION_NAMES.filter((n) => n in FNS),
    );
  return fn;
}

/** The canonical (snake_case) name, for configs. */
export function activationName(name: string | null | undefined): string {
  if (name == null) return "linear";
  activationFn(name);
  return String(name)
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}
