/**
 * Keras' initializers: `initializers.get("glorot_uniform")`, `initializers.GlorotUniform({ seed: 1 })`
 * (with or without `new`, as Python writes it) and tfjs-style camelCase factories
 * (`initializers.glorotUniform({ seed: 1 })`). All are tfjs-layers initializers.
 */
import { closestFirst } from "../optimizers/suggest";
import * as impl from "./initializers";
import { type Initializer, InitializerBase } from "./initializers";

export { computeFans, type Initializer, InitializerBase } from "./initializers";
export type { Distribution, FanMode, RandomNormalArgs, RandomUniformArgs, VarianceScalingArgs } from "./initializers";

/** A class that can also be called without `new`, like Python's `GlorotUniform(seed=1)`. */
type Callable<C extends abstract new (...args: never[]) => unknown> = C &
  ((...args: ConstructorParameters<C>) => InstanceType<C>);

function callable<C extends new (...args: never[]) => unknown>(cls: C): Callable<C> {
  return new Proxy(cls, {
    apply: (target, _this, args: ConstructorParameters<C>) => new target(...args),
  }) as Callable<C>;
}

export const Zeros = callable(impl.Zeros);
export const Ones = callable(impl.Ones);
export const Constant = callable(impl.Constant);
export const RandomUniform = callable(impl.RandomUniform);
export const RandomNormal = callable(impl.RandomNormal);
export const TruncatedNormal = callable(impl.TruncatedNormal);
export const VarianceScaling = callable(impl.VarianceScaling);
export const GlorotUniform = callable(impl.GlorotUniform);
export const GlorotNormal = callable(impl.GlorotNormal);
export const HeUniform = callable(impl.HeUniform);
export const HeNormal = callable(impl.HeNormal);
export const LecunUniform = callable(impl.LecunUniform);
export const LecunNormal = callable(impl.LecunNormal);
export const Orthogonal = callable(impl.Orthogonal);
export const Identity = callable(impl.Identity);

type Args<C extends new (...args: never[]) => unknown> = ConstructorParameters<C>[0];
export const zeros = () => new impl.Zeros();
export const ones = () => new impl.Ones();
export const constant = (args?: Args<typeof impl.Constant>) => new impl.Constant(args);
export const randomUniform = (args?: Args<typeof impl.RandomUniform>) => new impl.RandomUniform(args);
export const randomNormal = (args?: Args<typeof impl.RandomNormal>) => new impl.RandomNormal(args);
export const truncatedNormal = (args?: Args<typeof impl.TruncatedNormal>) => new impl.TruncatedNormal(args);
export const varianceScaling = (args?: Args<typeof impl.VarianceScaling>) => new impl.VarianceScaling(args);
export const glorotUniform = (args?: Args<typeof impl.GlorotUniform>) => new impl.GlorotUniform(args);
export const glorotNormal = (args?: Args<typeof impl.GlorotNormal>) => new impl.GlorotNormal(args);
export const heUniform = (args?: Args<typeof impl.HeUniform>) => new impl.HeUniform(args);
export const heNormal = (args?: Args<typeof impl.HeNormal>) => new impl.HeNormal(args);
export const lecunUniform = (args?: Args<typeof impl.LecunUniform>) => new impl.LecunUniform(args);
export const lecunNormal = (args?: Args<typeof impl.LecunNormal>) => new impl.LecunNormal(args);
export const orthogonal = (args?: Args<typeof impl.Orthogonal>) => new impl.Orthogonal(args);
export const identity = (args?: Args<typeof impl.Identity>) => new impl.Identity(args);

/** Keras names (snake_case, Keras 2 aliases), class names and tfjs' camelCase names → a new initializer. */
const BY_NAME: Record<string, () => Initializer> = {
  zeros,
  zero: zeros,
  ones,
  one: ones,
  constant,
  random_uniform: randomUniform,
  uniform: randomUniform,
  random_normal: randomNormal,
  normal: randomNormal,
  truncated_normal: truncatedNormal,
  variance_scaling: varianceScaling,
  glorot_uniform: glorotUniform,
  glorot_normal: glorotNormal,
  he_uniform: heUniform,
  he_normal: heNormal,
  lecun_uniform: lecunUniform,
  lecun_normal: lecunNormal,
  orthogonal,
  identity,
};
const CLASS_NAMES: Record<string, string> = {
  Zeros: "zeros",
  Ones: "ones",
  Constant: "constant",
  RandomUniform: "random_uniform",
  RandomNormal: "random_normal",
  TruncatedNormal: "truncated_normal",
  VarianceScaling: "variance_scaling",
  GlorotUniform: "glorot_uniform",
  GlorotNormal: "glorot_normal",
  HeUniform: "he_uniform",
  HeNormal: "he_normal",
  LecunUniform: "lecun_uniform",
  LeCunUniform: "lecun_uniform",
  LecunNormal: "lecun_normal",
  LeCunNormal: "lecun_normal",
  Orthogonal: "orthogonal",
  Identity: "identity",
};

function snake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * Keras' `initializers.get`: `"glorot_uniform"`, `"GlorotUniform"`, `"glorotUniform"`, Keras 2's
 * `"uniform"`/`"normal"`, … give a new initializer with Keras 3's defaults (random_uniform: ±0.05,
 * random_normal/truncated_normal: stddev 0.05); an initializer instance is returned as is.
 */
export function get(identifier: string | Initializer): Initializer {
  if (typeof identifier !== "string") {
    if (identifier instanceof InitializerBase) return identifier;
    throw new Error(`Could not interpret initializer identifier: ${String(identifier)}`);
  }
  const key = CLASS_NAMES[identifier] ?? (identifier in BY_NAME ? identifier : snake(identifier));
  const make = BY_NAME[key];
  if (make === undefined) {
    const valid = closestFirst(identifier, Object.keys(BY_NAME));
    throw new Error(
      `Could not interpret initializer identifier: '${identifier}'. Valid names: ${valid.map((v) => `'${v}'`).join(", ")}`,
    );
  }
  return make();
}
