/**
 * Keras' regularizers: `regularizers.l2(0.01)`, `regularizers.l1_l2({ l1: 0.01, l2: 0.01 })`,
 * `regularizers.get("l2")`. Instances are tfjs-layers regularizers, so any tfjs layer accepts them.
 */
import { closestFirst } from "../optimizers/suggest";
import { callableClass } from "../utils/callable-class";
import {
  L1 as L1Class,
  L1L2 as L1L2Class,
  type L1L2Args,
  L2 as L2Class,
  type Regularizer,
  RegularizerBase,
} from "./regularizers";

export { RegularizerBase, type L1L2Args, type Regularizer } from "./regularizers";
// Keras writes `keras.regularizers.L2(0.01)`-style classes called like functions: they work without `new`.
export const L1 = callableClass(L1Class);
export type L1 = L1Class;
export const L2 = callableClass(L2Class);
export type L2 = L2Class;
export const L1L2 = callableClass(L1L2Class);
export type L1L2 = L1L2Class;

/** `l1 * sum(|x|)`; Keras' default factor is 0.01. */
export function l1(l1 = 0.01): L1 {
  return new L1({ l1 });
}

/** `l2 * sum(x^2)`; Keras' default factor is 0.01. */
export function l2(l2 = 0.01): L2 {
  return new L2({ l2 });
}

/** Keras 3's `l1_l2`: an absent factor is 0 (Keras 2 used 0.01 for both). */
export function l1_l2(args: L1L2Args = {}): L1L2 {
  return new L1L2(args);
}

/** camelCase alias of `l1_l2`. */
export const l1l2 = l1_l2;

/**
 * Keras' `regularizers.get`: `"l1"`/`"L1"` and `"l2"`/`"L2"` give factor 0.01; `"l1l2"`/`"L1L2"` gives
 * Keras 3's `L1L2()` (both 0); `"l1_l2"` (a Keras 2 name) gives 0.01 for both terms, as its docs say.
 */
export function get(identifier: string | Regularizer | undefined | null): Regularizer | undefined {
  if (identifier == null) return undefined;
  if (typeof identifier !== "string") {
    if (identifier instanceof RegularizerBase) return identifier;
    throw new Error(`Could not interpret regularizer identifier: ${String(identifier)}`);
  }
  const factories: Record<string, () => Regularizer> = {
    l1: () => new L1(),
    L1: () => new L1(),
    l2: () => new L2(),
    L2: () => new L2(),
    l1l2: () => new L1L2(),
    L1L2: () => new L1L2(),
    l1_l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
  };
  const make = factories[identifier];
  if (make === undefined) {
    const valid = closestFirst(identifier, ["l1", "l2", "l1_l2", "l1l2"]);
    throw new Error(
      `Could not interpret regularizer identifier: '${identifier}'. Valid names: ${valid.map((v) => `'${v}'`).join(", ")}`,
    );
  }
  return make();
}
