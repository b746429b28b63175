/**
 * Keras' optimizers: `new optimizers.Adam({ learningRate: 1e-3 })`, `optimizers.get("sgd")`.
 * Each is a `tf.Optimizer` (works with `minimize` and tfjs-layers) with Keras 3's update math and
 * defaults, plus Keras 2's `decay`, gradient clipping and AMSGrad.
 */
import { tf } from "../tf";
import { Adadelta } from "./adadelta";
import { Adagrad } from "./adagrad";
import { Adam } from "./adam";
import { Adamax } from "./adamax";
import { AdamW } from "./adamw";
import { Lion } from "./lion";
import { Nadam } from "./nadam";
import { KerasOptimizer } from "./optimizer";
import { RMSprop } from "./rmsprop";
import { SGD } from "./sgd";
import { closestFirst } from "./suggest";

export { KerasOptimizer, type BaseOptimizerArgs } from "./optimizer";
export { SGD, type SGDArgs } from "./sgd";
export { RMSprop, type RMSpropArgs } from "./rmsprop";
export { Adagrad, type AdagradArgs } from "./adagrad";
export { Adadelta, type AdadeltaArgs } from "./adadelta";
export { Adam, type AdamArgs } from "./adam";
export { Adamax, type AdamaxArgs } from "./adamax";
export { AdamW, type AdamWArgs } from "./adamw";
export { Nadam, type NadamArgs } from "./nadam";
export { Lion, type LionArgs } from "./lion";
export * as schedules from "./schedules/index";

const BY_NAME: Record<string, new () => KerasOptimizer> = {
  sgd: SGD,
  rmsprop: RMSprop,
  adagrad: Adagrad,
  adadelta: Adadelta,
  adam: Adam,
  adamax: Adamax,
  adamw: AdamW,
  nadam: Nadam,
  lion: Lion,
};

/**
 * Keras' `optimizers.get`: a name (`"adam"`, any case) gives a new optimizer with Keras' defaults; an
 * optimizer instance is returned as is.
 */
export function get(identifier: string | tf.Optimizer): tf.Optimizer {
  if (typeof identifier !== "string") {
    if (identifier instanceof tf.Optimizer) return identifier;
    throw new Error(`Could not interpret optimizer identifier: ${String(identifier)}`);
  }
  const cls = BY_NAME[identifier.toLowerCase()];
  if (cls === undefined) {
    const valid = closestFirst(identifier, Object.keys(BY_NAME));
    throw new Error(`Unknown optimizer '${identifier}'. Valid names: ${valid.map((v) => `'${v}'`).join(", ")}`);
  }
  return new cls();
}
