/**
 * Keras 3's base optimizer over tfjs: a `tf.Optimizer` (so `minimize`, tfjs-layers' `fit` and model
 * saving work) that adds what tfjs lacks: gradient clipping (`clipnorm`, `clipvalue`,
 * `globalClipnorm`), Keras 2's inverse-time `decay`, a writable `learningRate`, per-variable slots
 * keyed by variable name, and Keras' config format.
 *
 * One step = one `tf.tidy`: clip, then each subclass's `updateStep` for every variable. Hyper-parameters
 * live in cached scalar tensors, and per-step values (decayed learning rate, bias corrections) are
 * computed on the host from `iterations`, so a step never reads a tensor back (no host sync).
 */
import { tf } from "../tf";
import { type OptimizerName, booleanOption, normalizeOptions, numberOption, optionalPositive } from "./options";
import { LearningRateSchedule, deserialize, serialize } from "./schedules/learning-rate-schedule";

export interface BaseOptimizerArgs {
  /** Step size, or a schedule (`optimizers.schedules.ExponentialDecay(…)`); Keras' `learning_rate` also works. */
  learningRate?: number | LearningRateSchedule;
  /** Decoupled weight decay: before each update, w -= w * weightDecay * lr (Keras 3's base optimizer). */
  weightDecay?: number;
  /** Keras 2's inverse-time decay: `lr / (1 + decay * iterations)`. */
  decay?: number;
  /** Clips each gradient to this L2 norm. */
  clipnorm?: number;
  /** Clips each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Scales all gradients together so their joint L2 norm is at most this. */
  globalClipnorm?: number;
  name?: string;
}

type NamedTensor = { name: string; tensor: tf.Tensor };

/** Per-step values shared by every variable's update (created inside the step's tidy). */
export type StepContext = Record<string, tf.Scalar>;

export abstract class KerasOptimizer extends tf.Optimizer {
  name: string;
  decay: number;
  clipnorm?: number;
  clipvalue?: number;
  globalClipnorm?: number;
  /** Keras 3's `weight_decay` (undefined: none). */
  weightDecay?: number;
  /** The learning-rate schedule, when `learningRate` was one. */
  readonly schedule?: LearningRateSchedule;
  protected lr: number;
  /** Variable names (substrings, as Keras' patterns) excluded from weight decay. */
  private decayExcluded: string[] = [];
  /** Normalized options, for subclasses to read their own. */
  protected readonly opts: Record<string, unknown>;
  /** Slot variables per model variable name, in `slotNames()` order. */
  private slots = new Map<string, tf.Variable[]>();
  private constants = new Map<number, tf.Scalar>();

  constructor(
    protected readonly kind: OptimizerName,
    args: number | object | undefined,
    defaultLearningRate: number,
  ) {
    super();
    const raw = typeof args === "number" ? { learningRate: args } : args;
    this.opts = normalizeOptions(kind, raw);
    const lr = this.opts.learningRate;
    if (lr instanceof LearningRateSchedule) this.schedule = lr;
    else if (lr !== null && typeof lr === "object") this.schedule = deserialize(lr as { class_name?: unknown });
    this.lr = this.schedule
      ? this.schedule.call(0)
      : numberOption(kind, this.opts, "learningRate", defaultLearningRate);
    this.weightDecay =
      this.opts.weightDecay === undefined ? undefined : numberOption(kind, this.opts, "weightDecay", 0);
    this.decay = numberOption(kind, this.opts, "decay", 0);
    this.clipnorm = optionalPositive(kind, this.opts, "clipnorm");
    this.clipvalue = optionalPositive(kind, this.opts, "clipvalue");
    this.globalClipnorm = optionalPositive(kind, this.opts, "globalClipnorm");
    const clips = [this.clipnorm, this.clipvalue, this.globalClipnorm].filter((c) => c !== undefined);
    if (clips.length > 1) {
      throw new Error(
        "Only one of `clipnorm`, `clipvalue` and `globalClipnorm` can be set. " +
          `Received: clipnorm=${this.clipnorm}, clipvalue=${this.clipvalue}, globalClipnorm=${this.globalClipnorm}`,
      );
    }
    const name = this.opts.name ?? kind.toLowerCase();
    if (typeof name !== "string") throw new Error(`${kind}: \`name\` must be a string`);
    this.name = name;
  }

  protected num(key: string, fallback: number, range?: [number, number]): number {
    return numberOption(this.kind, this.opts, key, fallback, range);
  }

  protected bool(key: string, fallback = false): boolean {
    return booleanOption(this.kind, this.opts, key, fallback);
  }

  /** The base learning rate (before `decay`; a schedule's value at the current step); ReduceLROnPlateau writes it. */
  get learningRate(): number {
    return this.schedule ? this.schedule.call(this.iterations) : this.lr;
  }

  set learningRate(value: number) {
    if (this.schedule) {
      throw new Error(
        "This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate the optimizer with a float `learning_rate` argument.",
      );
    }
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new Error(`${this.kind}: learningRate must be a number >= 0, got ${value}`);
    }
    this.lr = value;
  }

  /** The learning rate the next step will use: `learningRate / (1 + decay * iterations)`. */
  get currentLearningRate(): number {
    return this.learningRateAt(this.iterations);
  }

  /** The learning rate of the step after `iterations` updates: the schedule's (or fixed) rate, with `decay`. */
  learningRateAt(iterations: number): number {
    const base = this.schedule ? this.schedule.call(iterations) : this.lr;
    return this.decay > 0 ? base / (1 + this.decay * iterations) : base;
  }

  /** Keras' `exclude_from_weight_decay({ varNames })`: variables whose name contains one of these keep their value. */
  excludeFromWeightDecay(options: { varNames?: string[] } = {}): void {
    this.decayExcluded.push(...(options.varNames ?? []));
  }

  private usesWeightDecay(name: string): boolean {
    return this.weightDecay !== undefined && !this.decayExcluded.some((pattern) => name.includes(pattern));
  }

  /** Names of the per-variable slots, e.g. ["momentum", "velocity"]; may depend on options. */
  protected abstract slotNames(): readonly string[];

  /** Initial value of a slot (Adagrad starts its accumulator at `initialAccumulatorValue`). */
  protected slotInitialValue(_slot: string): number {
    return 0;
  }

  /** Per-step scalars, from the step's learning rate and 1-based step number (Keras' `iterations + 1`). */
  protected abstract stepContext(lr: number, step: number): StepContext;

  /**
   * Every per-step scalar of one update, from the step's learning rate and 1-based step only: the
   * subclass's `stepContext` plus the weight-decay factor `lr * weightDecay`. (A traced step feeds
   * these in per step; everything else is a constant or a variable.)
   */
  stepScalars(lr: number, step: number): StepContext {
    const ctx = this.stepContext(lr, step);
    if (this.weightDecay !== undefined) ctx.weightDecayFactor = tf.scalar(lr * this.weightDecay);
    return ctx;
  }

  /** Updates one variable in place (called inside the step's tidy). */
  protected abstract updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void;

  /** A cached scalar constant for hyper-parameters (kept until `dispose`). */
  protected c(value: number): tf.Scalar {
    let s = this.constants.get(value);
    if (s === undefined) {
      s = tf.keep(tf.scalar(value));
      this.constants.set(value, s);
    }
    return s;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries: [string, tf.Tensor][] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor])
      : Object.entries(variableGradients);
    const present = entries.filter(([, g]) => g != null);
    if (present.length === 0) throw new Error("No gradients provided for any variable.");
    const variables = present.map(([name]) => {
      const variable = tf.engine().registeredVariables[name];
      if (variable === undefined) throw new Error(`${this.kind}: no variable named '${name}' (was it disposed?)`);
      return variable;
    });
    this.build(variables); // slots for variables not seen before, outside the step
    const lr = this.currentLearningRate;
    const step = this.iterations + 1;
    tf.tidy(() => {
      const grads = this.clipGradients(present.map(([, g]) => g));
      const ctx = this.stepScalars(lr, step);
      variables.forEach((variable) => {
        // Keras' _apply_weight_decay: before the update, with the step's learning rate.
        if (ctx.weightDecayFactor && this.usesWeightDecay(variable.name)) {
          variable.assign(tf.sub(variable, tf.mul(variable, ctx.weightDecayFactor)));
        }
      });
      variables.forEach((variable, i) => this.updateStep(variable, grads[i], this.slots.get(variable.name)!, ctx));
    });
    this.incrementIterations();
  }

  /**
   * Keras' `build(varList)`: creates every slot variable of these variables now (those already built
   * are skipped), so no variable is created in the middle of a (traced) step.
   */
  build(variables: readonly tf.Variable[]): void {
    for (const variable of variables) {
      if (this.slots.has(variable.name)) continue;
      const slots = tf.tidy(() =>
        this.slotNames().map((slot) =>
          // Unnamed: tfjs variable names are global, and two optimizers may train the same variable.
          tf.variable(tf.fill(variable.shape, this.slotInitialValue(slot), variable.dtype), false),
        ),
      );
      this.slots.set(variable.name, slots);
    }
  }

  /** The slot variables of a variable (after `build`), in `slotNames()` order. */
  slotsOf(variable: tf.Variable): tf.Variable[] | undefined {
    return this.slots.get(variable.name);
  }

  private clipGradients(grads: tf.Tensor[]): tf.Tensor[] {
    if (this.clipnorm !== undefined) {
      const c = this.c(this.clipnorm);
      // Keras (tf.clip_by_norm): g * clipnorm / max(||g||, clipnorm)
      return grads.map((g) => tf.div(tf.mul(g, c), tf.maximum(tf.sqrt(tf.sum(tf.square(g))), c)));
    }
    if (this.globalClipnorm !== undefined) {
      const c = this.c(this.globalClipnorm);
      const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
      // Keras: clip * min(1/norm, 1/clip), made NaN for a non-finite norm by adding (norm - norm).
      const scale = tf.add(tf.mul(c, tf.minimum(tf.reciprocal(norm), tf.reciprocal(c))), tf.sub(norm, norm));
      return grads.map((g) => tf.mul(g, scale));
    }
    if (this.clipvalue !== undefined) {
      const v = this.clipvalue;
      return grads.map((g) => tf.clipByValue(g, -v, v));
    }
    return grads;
  }

  /** Iteration count first, then every slot: all variables' first slot, then their second, … */
  override async getWeights(): Promise<NamedTensor[]> {
    const weights: NamedTensor[] = [await this.saveIterations()];
    const names = this.slotNames();
    names.forEach((_, s) => {
      for (const [varName, slots] of this.slots) weights.push({ name: `${varName}/${names[s]}`, tensor: slots[s] });
    });
    return weights;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const slotNames = this.slotNames();
    const byVariable = new Map<string, tf.Tensor[]>();
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf("/");
      const slot = slotNames.indexOf(name.slice(cut + 1));
      if (cut < 0 || slot < 0) {
        throw new Error(`${this.kind}.setWeights: unexpected weight '${name}' (slots: ${slotNames.join(", ")})`);
      }
      const varName = name.slice(0, cut);
      const list = byVariable.get(varName) ?? [];
      list[slot] = tensor;
      byVariable.set(varName, list);
    }
    this.disposeSlots();
    for (const [varName, tensors] of byVariable) {
      const slots = slotNames.map((slot, i) => {
        const t = tensors[i];
        if (t === undefined) throw new Error(`${this.kind}.setWeights: missing '${varName}/${slot}'`);
        return tf.variable(t, false);
      });
      this.slots.set(varName, slots);
    }
  }

  private disposeSlots(): void {
    for (const slots of this.slots.values()) for (const s of slots) s.dispose();
    this.slots.clear();
  }

  override dispose(): void {
    this.disposeSlots();
    for (const s of this.constants.values()) s.dispose();
    this.constants.clear();
  }

  /** Own options as Keras writes them (snake_case), after the base ones. */
  protected abstract ownConfig(): tf.serialization.ConfigDict;

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      name: this.name,
      learning_rate: this.schedule ? (serialize(this.schedule) as unknown as tf.serialization.ConfigDict) : this.lr,
      clipnorm: this.clipnorm ?? null,
      global_clipnorm: this.globalClipnorm ?? null,
      clipvalue: this.clipvalue ?? null,
    };
    if (this.decay !== 0) config.decay = this.decay;
    if (this.weightDecay !== undefined) config.weight_decay = this.weightDecay;
    return { ...config, ...this.ownConfig() };
  }

  /** Builds an optimizer from a Keras or tfjs config (snake_case or camelCase keys). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
