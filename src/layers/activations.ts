/**
 * Keras activation names (snake_case, as Keras writes them) → tfjs-layers activation identifiers.
 */
import { unknownIdentifierError } from "../utils/suggest";

const KERAS_TO_TFJS: Record<string, string> = {
  linear: "linear",
  relu: "relu",
  relu6: "relu6",
  softmax: "softmax",
  sigmoid: "sigmoid",
  tanh: "tanh",
  elu: "elu",
  selu: "selu",
  softplus: "softplus",
  softsign: "softsign",
  hard_sigmoid: "hardSigmoid",
  swish: "swish",
  silu: "swish",
  mish: "mish",
  gelu: "gelu",
};

export const ACTIVATION_NAMES: readonly string[] = Object.keys(KERAS_TO_TFJS);

/** Keras' name (or tfjs' camelCase, or `null`/`undefined` for none) → the tfjs identifier. */
export function resolveActivation(name: string | null | undefined): string {
  if (name == null) return "linear";
  if (typeof name !== "string") {
    throw new Error(`activation must be a name such as 'relu' or 'softmax', got ${typeof name}`);
  }
  const direct = KERAS_TO_TFJS[name] ?? KERAS_TO_TFJS[name.replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase()];
  if (direct) return direct;
  if (/crossentropy|squared|absolute|^mse$|^mae$/i.test(name)) {
    throw unknownIdentifierError(
      "activation",
      name,
      ACTIVATION_NAMES,
      `'${name}' is a loss, not an activation: pass it to compile({ loss }).`,
    );
  }
  throw unknownIdentifierError("activation", name, ACTIVATION_NAMES);
}
