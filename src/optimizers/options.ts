/**
 * Option handling shared by the optimizers: Keras' spellings (`learning_rate`, `beta_1`, the
 * deprecated `lr`) map onto the camelCase names, Keras 2's `epsilon=None` means the default, and an
 * option the optimizer does not have is an error that says which optimizers do have it.
 */
import { andList, didYouMean } from "./suggest";

export type OptimizerName = "SGD" | "RMSprop" | "Adagrad" | "Adadelta" | "Adam" | "Adamax" | "AdamW" | "Nadam" | "Lion";

/** Options every optimizer accepts. */
export const COMMON_OPTIONS = [
  "learningRate",
  "weightDecay",
  "decay",
  "clipnorm",
  "clipvalue",
  "globalClipnorm",
  "name",
] as const;

/** Options of each optimizer besides the common ones, in Keras' order. */
export const OWN_OPTIONS: Record<OptimizerName, readonly string[]> = {
  SGD: ["momentum", "nesterov"],
  RMSprop: ["rho", "momentum", "epsilon", "centered"],
  Adagrad: ["initialAccumulatorValue", "epsilon"],
  Adadelta: ["rho", "epsilon"],
  Adam: ["beta1", "beta2", "epsilon", "amsgrad"],
  Adamax: ["beta1", "beta2", "epsilon"],
  AdamW: ["beta1", "beta2", "epsilon", "amsgrad"],
  Nadam: ["beta1", "beta2", "epsilon"],
  Lion: ["beta1", "beta2"],
};

/** Keras' snake_case (and tfjs') spellings of the options. `lr` is handled apart: it warns. */
const ALIASES: Record<string, string> = {
  learning_rate: "learningRate",
  beta_1: "beta1",
  beta_2: "beta2",
  initial_accumulator_value: "initialAccumulatorValue",
  global_clipnorm: "globalClipnorm",
  weight_decay: "weightDecay",
  use_nesterov: "nesterov",
  useNesterov: "nesterov",
};

/**
 * Keras 3 base-optimizer settings that tslab-keras does not implement. A saved Keras config lists them
 * with their defaults, which are accepted (and dropped); any other value is an error.
 */
const UNSUPPORTED_WITH_DEFAULT: Record<string, unknown> = {
  use_ema: false,
  useEma: false,
  ema_momentum: 0.99,
  emaMomentum: 0.99,
  ema_overwrite_frequency: null,
  emaOverwriteFrequency: null,
  loss_scale_factor: null,
  lossScaleFactor: null,
  gradient_accumulation_steps: null,
  gradientAccumulationSteps: null,
};

let lrWarned = false;

/** Lets tests see the one-time `lr` warning again. */
export function resetLrDeprecationWarning(): void {
  lrWarned = false;
}

function validOptions(cls: OptimizerName): string[] {
  return [...COMMON_OPTIONS.filter((o) => o !== "name"), ...OWN_OPTIONS[cls], "name"].sort(
    (a, b) => optionRank(cls, a) - optionRank(cls, b),
  );
}

function optionRank(cls: OptimizerName, option: string): number {
  const order = [
    "learningRate",
    ...OWN_OPTIONS[cls],
    "weightDecay",
    "decay",
    "clipnorm",
    "clipvalue",
    "globalClipnorm",
    "name",
  ];
  return order.indexOf(option);
}

function unknownOptionError(cls: OptimizerName, key: string): Error {
  const camel = ALIASES[key] ?? key;
  const owners = (Object.keys(OWN_OPTIONS) as OptimizerName[]).filter((o) => OWN_OPTIONS[o].includes(camel));
  const valid = validOptions(cls);
  let msg = `${cls} has no option '${key}'`;
  if (owners.length > 0) {
    msg += `; ${andList(owners)} ${owners.length === 1 ? "has" : "have"} it`;
  } else {
    const guess = didYouMean(camel, valid);
    if (guess) msg += ` (did you mean '${guess}'?)`;
  }
  return new Error(`${msg}. Valid ${cls} options: ${valid.join(", ")}`);
}

/**
 * Normalizes user options or a saved config to camelCase keys with null/undefined values dropped.
 * Throws on options `cls` does not have.
 */
export function normalizeOptions(cls: OptimizerName, raw: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (raw == null) return out;
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new Error(`${cls} expects a learning rate or an options object, got ${JSON.stringify(raw)}`);
  }
  const own = new Set<string>([...COMMON_OPTIONS, ...OWN_OPTIONS[cls]]);
  for (const [key, value] of Object.entries(raw)) {
    if (key in UNSUPPORTED_WITH_DEFAULT) {
      if (value == null || value === UNSUPPORTED_WITH_DEFAULT[key]) continue;
      throw new Error(`${cls}: option '${key}' is not supported by tslab-keras yet (got ${JSON.stringify(value)})`);
    }
    let name = ALIASES[key] ?? key;
    if (key === "lr") {
      if (!lrWarned) {
        lrWarned = true;
        console.warn("`lr` is deprecated, use `learningRate`");
      }
      name = "learningRate";
    }
    if (!own.has(name)) throw unknownOptionError(cls, key);
    if (value == null) continue;
    if (name in out) throw new Error(`${cls}: '${key}' given twice (as ${key} and as another spelling of ${name})`);
    out[name] = value;
  }
  return out;
}

/** A finite number option, or its default; `range` is inclusive. */
export function numberOption(
  cls: OptimizerName,
  opts: Record<string, unknown>,
  key: string,
  fallback: number,
  range: [number, number] = [0, Infinity],
): number {
  const v = opts[key] ?? fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < range[0] || v > range[1]) {
    const bounds = range[1] === Infinity ? `a number >= ${range[0]}` : `a number between ${range[0]} and ${range[1]}`;
    throw new Error(`${cls}: \`${key}\` must be ${bounds}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** An optional positive number (clipping thresholds). */
export function optionalPositive(cls: OptimizerName, opts: Record<string, unknown>, key: string): number | undefined {
  const v = opts[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${cls}: \`${key}\` must be a positive number, got ${JSON.stringify(v)}`);
  }
  return v;
}

export function booleanOption(
  cls: OptimizerName,
  opts: Record<string, unknown>,
  key: string,
  fallback = false,
): boolean {
  const v = opts[key] ?? fallback;
  if (typeof v !== "boolean") throw new Error(`${cls}: \`${key}\` must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
