/**
 * Keras 3's learning-rate schedules (keras/src/optimizers/schedules/learning_rate_schedule.py), passed
 * as an optimizer's `learningRate`:
 *
 *   const lr = optimizers.schedules.ExponentialDecay({ initialLearningRate: 1e-2, decaySteps: 1000, decayRate: 0.9 });
 *   new optimizers.SGD({ learningRate: lr });
 *
 * `call(step)` is the rate for the 0-based step (the optimizer's iterations before the update). Values
 * are host numbers computed from the step alone, so a traced training step gets them as inputs.
 */
import { type CallableClass, callableClass } from "../../utils/callable-class";
import { checkOptions } from "../../utils/options";

export abstract class LearningRateSchedule {
  name: string;

  constructor(name: string) {
    this.name = name;
  }

  /** The learning rate at the 0-based `step`. */
  abstract call(step: number): number;

  abstract getConfig(): Record<string, unknown>;

  getClassName(): string {
    return this.constructor.name;
  }
}

function positive(key: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0)) {
    throw new Error(`Argument \`${key}\` must be > 0. Received: ${key}=${String(v)}`);
  }
  return v;
}

function finite(cls: string, key: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new Error(`${cls}: \`${key}\` must be a number, got ${JSON.stringify(v)}`);
  }
  return v;
}

export interface ExponentialDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole steps of decaySteps. Defaults to false. */
  staircase?: boolean;
  name?: string;
}

/** initialLearningRate * decayRate ^ (step / decaySteps) (the exponent floored with staircase). */
class ExponentialDecaySchedule extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: ExponentialDecayOptions) {
    const o = checkOptions("ExponentialDecay", options, [
      "initialLearningRate",
      "decaySteps",
      "decayRate",
      "staircase",
      "name",
    ]);
    super(o.name ?? "ExponentialDecay");
    this.initialLearningRate = finite("ExponentialDecay", "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive("decay_steps", o.decaySteps);
    this.decayRate = finite("ExponentialDecay", "decayRate", o.decayRate);
    this.staircase = o.staircase ?? false;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate * this.decayRate ** p;
  }

  getConfig() {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export type InverseTimeDecayOptions = ExponentialDecayOptions;

/** initialLearningRate / (1 + decayRate * step / decaySteps) (the ratio floored with staircase). */
class InverseTimeDecaySchedule extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;

  constructor(options: InverseTimeDecayOptions) {
    const o = checkOptions("InverseTimeDecay", options, [
      "initialLearningRate",
      "decaySteps",
      "decayRate",
      "staircase",
      "name",
    ]);
    super(o.name ?? "InverseTimeDecay");
    this.initialLearningRate = finite("InverseTimeDecay", "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive("decay_steps", o.decaySteps);
    this.decayRate = finite("InverseTimeDecay", "decayRate", o.decayRate);
    this.staircase = o.staircase ?? false;
  }

  call(step: number): number {
    let p = step / this.decaySteps;
    if (this.staircase) p = Math.floor(p);
    return this.initialLearningRate / (1 + this.decayRate * p);
  }

  getConfig() {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      decay_rate: this.decayRate,
      staircase: this.staircase,
      name: this.name,
    };
  }
}

export interface PiecewiseConstantDecayOptions {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: values[0] up to boundaries[0] (inclusive), … */
  values: number[];
  name?: string;
}

/** values[i] for boundaries[i-1] < step <= boundaries[i]. */
class PiecewiseConstantDecaySchedule extends LearningRateSchedule {
  readonly boundaries: number[];
  readonly values: number[];

  constructor(options: PiecewiseConstantDecayOptions) {
    const o = checkOptions("PiecewiseConstantDecay", options, ["boundaries", "values", "name"]);
    super(o.name ?? "PiecewiseConstant");
    const b = o.boundaries;
    const v = o.values;
    if (!Array.isArray(b) || !Array.isArray(v) || b.length !== v.length - 1) {
      throw new Error(
        `The length of boundaries should be 1 less than the length of values. Received: boundaries=${JSON.stringify(b)} of length ${b?.length}, and values=${JSON.stringify(v)} of length ${v?.length}.`,
      );
    }
    this.boundaries = [...b];
    this.values = [...v];
  }

  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return this.values[i === -1 ? this.values.length - 1 : i];
  }

  getConfig() {
    return { boundaries: this.boundaries, values: this.values, name: this.name };
  }
}

export interface CosineDecayOptions {
  initialLearningRate: number;
  decaySteps: number;
  /** Floor of the decay, as a fraction of the start rate. Defaults to 0. */
  alpha?: number;
  name?: string;
  /** With warmup: the rate reached linearly after warmupSteps, from which the cosine decay starts. */
  warmupTarget?: number;
  /** Steps of linear warmup from initialLearningRate to warmupTarget. Defaults to 0. */
  warmupSteps?: number;
}

/** Cosine decay from the start (or warmup target) rate to alpha times it over decaySteps, after an optional warmup. */
class CosineDecaySchedule extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly warmupTarget?: number;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    const o = checkOptions("CosineDecay", options, [
      "initialLearningRate",
      "decaySteps",
      "alpha",
      "name",
      "warmupTarget",
      "warmupSteps",
    ]);
    super(o.name ?? "CosineDecay");
    this.initialLearningRate = finite("CosineDecay", "initialLearningRate", o.initialLearningRate);
    this.decaySteps = positive("decay_steps", o.decaySteps);
    this.alpha = o.alpha ?? 0;
    this.warmupTarget = o.warmupTarget ?? undefined;
    this.warmupSteps = o.warmupSteps ?? 0;
  }

  private decayed(step: number, from: number): number {
    const cosine = 0.5 * (1 + Math.cos(Math.PI * (step / this.decaySteps)));
    return from * ((1 - this.alpha) * cosine + this.alpha);
  }

  call(step: number): number {
    if (this.warmupTarget === undefined) return this.decayed(Math.min(step, this.decaySteps), this.initialLearningRate);
    const s = Math.min(step, this.decaySteps + this.warmupSteps);
    if (s < this.warmupSteps) {
      return (this.warmupTarget - this.initialLearningRate) * (s / this.warmupSteps) + this.initialLearningRate;
    }
    return this.decayed(s - this.warmupSteps, this.warmupTarget);
  }

  getConfig() {
    return {
      initial_learning_rate: this.initialLearningRate,
      decay_steps: this.decaySteps,
      alpha: this.alpha,
      name: this.name,
      warmup_target: this.warmupTarget ?? null,
      warmup_steps: this.warmupSteps,
    };
  }
}

type Named<C extends abstract new (...a: never[]) => unknown> = CallableClass<C>;

export const ExponentialDecay: Named<typeof ExponentialDecaySchedule> = callableClass(
  Object.defineProperty(ExponentialDecaySchedule, "name", { value: "ExponentialDecay" }),
);
export const InverseTimeDecay: Named<typeof InverseTimeDecaySchedule> = callableClass(
  Object.defineProperty(InverseTimeDecaySchedule, "name", { value: "InverseTimeDecay" }),
);
export const PiecewiseConstantDecay: Named<typeof PiecewiseConstantDecaySchedule> = callableClass(
  Object.defineProperty(PiecewiseConstantDecaySchedule, "name", { value: "PiecewiseConstantDecay" }),
);
export const CosineDecay: Named<typeof CosineDecaySchedule> = callableClass(
  Object.defineProperty(CosineDecaySchedule, "name", { value: "CosineDecay" }),
);

const BY_CLASS: Record<string, (config: Record<string, unknown>) => LearningRateSchedule> = {
  ExponentialDecay: (c) => new ExponentialDecay(camel(c) as unknown as ExponentialDecayOptions),
  InverseTimeDecay: (c) => new InverseTimeDecay(camel(c) as unknown as InverseTimeDecayOptions),
  PiecewiseConstantDecay: (c) => new PiecewiseConstantDecay(camel(c) as unknown as PiecewiseConstantDecayOptions),
  CosineDecay: (c) => new CosineDecay(camel(c) as unknown as CosineDecayOptions),
};

function camel(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v !== null) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  }
  return out;
}

/** Keras' `schedules.serialize`: `{ class_name, config }`. */
export function serialize(schedule: LearningRateSchedule): { class_name: string; config: Record<string, unknown> } {
  return { class_name: schedule.getClassName(), config: schedule.getConfig() };
}

/** Keras' `schedules.deserialize` from `{ class_name, config }` (snake_case config keys). */
export function deserialize(value: {
  class_name?: unknown;
  className?: unknown;
  config?: unknown;
}): LearningRateSchedule {
  const cls = String(value.class_name ?? value.className);
  const make = BY_CLASS[cls];
  if (!make) {
    throw new Error(`Unknown learning rate schedule '${cls}'. Valid schedules: ${Object.keys(BY_CLASS).join(", ")}`);
  }
  return make((value.config ?? {}) as Record<string, unknown>);
}
