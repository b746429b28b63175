/**
 * Keras' optimizers: `new optimizers.Adam({ learningRate: 1e-3 })`, `optimizers.get("sgd")`.
 * Each is a `tf.Optimizer` (works with `minimize` and tfjs-layers) with Keras 3's update math and
 * defaults, plus Keras 2's `decay`, gradient clipping and AMSGrad.
 */
import { tf } from "../tf";
import { Adadelta as AdadeltaClass } from "./adadelta";
import { Adagrad as AdagradClass } from "./adagrad";
import { Adam as AdamClass } from "./adam";
import { Adamax as AdamaxClass } from "./adamax";
import { AdamW as AdamWClass } from "./adamw";
import { Lion as LionClass } from "./lion";
import { Nadam as NadamClass } from "./nadam";
import { KerasOptimizer } from "./optimizer";
import { RMSprop as RMSpropClass } from "./rmsprop";
import { SGD as SGDClass } from "./sgd";
import { closestFirst } from "./suggest";
import { callableClass } from "../utils/callable-class";

export { KerasOptimizer, type BaseOptimizerArgs } from "./optimizer";
export type { SGDArgs } from "./sgd";
export type { RMSpropArgs } from "./rmsprop";
export type { AdagradArgs } from "./adagrad";
export type { AdadeltaArgs } from "./adadelta";
export type { AdamArgs } from "./adam";
export type { AdamaxArgs } from "./adamax";
export type { AdamWArgs } from "./adamw";
export type { NadamArgs } from "./nadam";
export type { LionArgs } from "./lion";
export * as schedules from "./schedules/index";

// Keras writes `keras.optimizers.Adam(learning_rate=1e-3)`: each class also works without `new`.
export const SGD = callableClass(SGDClass);
export type SGD = SGDClass;
export const RMSprop = callableClass(RMSpropClass);
export type RMSprop = RMSpropClass;
export const Adagrad = callableClass(AdagradClass);
export type Adagrad = AdagradClass;
export const Adadelta = callableClass(AdadeltaClass);
export type Adadelta = AdadeltaClass;
export const Adam = callableClass(AdamClass);
export type Adam = AdamClass;
export const Adamax = callableClass(AdamaxClass);
export type Adamax = AdamaxClass;
export const AdamW = callableClass(AdamWClass);
export type AdamW = AdamWClass;
export const Nadam = callableClass(NadamClass);
export type Nadam = NadamClass;
export const Lion = callableClass(LionClass);
export type Lion = LionClass;

const BY_NAME: Record<string, new () => KerasOptimizer> = {
  sgd: SGDClass,
  rmsprop: RMSpropClass,
  adagrad: AdagradClass,
  adadelta: AdadeltaClass,
  adam: AdamClass,
  adamax: AdamaxClass,
  adamw: AdamWClass,
  nadam: NadamClass,
  lion: LionClass,
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
