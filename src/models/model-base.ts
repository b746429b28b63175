/**
 * What Sequential and the functional Model share: compile, fit/evaluate/predict (the loops in training.ts),
 * the learning rate, weights in and out (getWeights, setWeights, saveWeights, loadWeights) and dispose.
 * A subclass says how it is built (`engineFor`), which layers it runs, and how it saves its architecture.
 */
import { inspect } from "node:util";
import { tf } from "../tf";
import type { History } from "../callbacks/history";
import type { Logs } from "../callbacks/callback";
import { TrainingInterrupted } from "../callbacks/interrupt";
import { type LossFn, type LossObject, get as getLoss } from "../losses/index";
import { checkIdentifier } from "../metrics/index";
import { get as getOptimizer } from "../optimizers/index";
import { checkOptions } from "../utils/options";
import { type DataLike, formatShape } from "./data";
import type { Layer } from "../layers/extras";
import * as loops from "./training";
import { callInputs } from "./call-inputs";
import { advanceRandomStep } from "../backend/random";
import type { Compiled, MetricIdentifier, ModelInternals } from "./types";

export interface CompileOptions {
  /** A name ("sgd", "adam", "rmsprop", …) or an optimizer object; Keras' default is "rmsprop". */
  optimizer?: string | tf.Optimizer;
  /** A Keras name ("mse"), a loss object (losses.Huber({ delta: 2 })) or a function (yTrue, yPred) => perSample. */
  loss: string | LossFn | LossObject;
  metrics?: MetricIdentifier[];
  /** Metrics weighted by fit's sampleWeight/classWeight (Keras' `weighted_metrics`); `metrics` are not. */
  weightedMetrics?: MetricIdentifier[];
}

/** The options of `model(x, options)`, as Keras' `model(x, training=True)`. */
export interface CallOptions {
  training?: boolean;
}

/** A list of metric identifiers, each checked (Keras' messages for an unknown name). */
export function metricList(value: unknown, what: string): MetricIdentifier[] {
  const list = value ?? [];
  if (!Array.isArray(list)) throw new Error(`compile: ${what} must be a list, e.g. ${what}: ['accuracy']`);
  list.forEach(checkIdentifier);
  return [...(list as MetricIdentifier[])];
}

/** compile's arguments as Keras' `compile_config` keeps them (strings only: a loss function cannot be saved). */
export interface CompileState {
  optimizer: tf.Optimizer;
  /** A loss name, or one per output name (several outputs); undefined when a loss is not a named one. */
  loss?: string | Record<string, string>;
  /** Per output name, when some output's weight is not 1. */
  lossWeights?: Record<string, number>;
  metrics: string[] | Record<string, string[]>;
}

/** What save/saveWeights/loadWeights/export run (bound to the model by the subclass). */
export interface SavingBackend {
  save(path: string, overwrite: boolean): Promise<void>;
  saveWeights(path: string, overwrite: boolean): Promise<void>;
  loadWeights(path: string): Promise<void>;
  export(path: string, options: { format?: "tfjs"; overwrite?: boolean }): Promise<void>;
}

export abstract class ModelBase implements ModelInternals {
  abstract readonly name: string;
  /** Set to true (e.g. from a callback) to end fit after the current batch's epoch. */
  stopTraining = false;
  /** The History of the latest fit. */
  history?: History;
  protected compiled?: Compiled;

  /**
   * A model is callable like a layer (Keras' `base_model(x)`, or a Sequential augmentation block inside a
   * functional model): the instance is wrapped in a Proxy over a function, every property access going to
   * the model itself (see layers/callable.ts for the same trick on layers).
   */
  constructor() {
    const self = this as object;
    const target = (() => undefined) as unknown as object;
    // util.inspect (a notebook cell's printed value) reads the proxy's target: show Keras' repr.
    Object.defineProperty(target, inspect.custom, {
      value: () => {
        const m = proxy as ModelBase & { built?: boolean; constructor: { name: string } };
        const kind = m.constructor.name === "Model" ? "Functional" : m.constructor.name;
        return `<${kind} name=${m.name}, built=${m.built ? "True" : "False"}>`;
      },
    });
    const proxy: object = new Proxy(target, {
      apply: (_t, _this, args: unknown[]) =>
        (proxy as ModelBase).apply(args[0] as tf.SymbolicTensor, args[1] as CallOptions | undefined),
      get: (_t, key) => Reflect.get(self, key, proxy),
      set: (_t, key, value) => Reflect.set(self, key, value),
      has: (_t, key) => Reflect.has(self, key),
      deleteProperty: (_t, key) => Reflect.deleteProperty(self, key),
      defineProperty: (_t, key, desc) => Reflect.defineProperty(self, key, desc),
      getPrototypeOf: () => Reflect.getPrototypeOf(self),
      ownKeys: () => Reflect.ownKeys(self),
      getOwnPropertyDescriptor: (_t, key) => {
        const d = Reflect.getOwnPropertyDescriptor(self, key);
        return d ? { ...d, configurable: true } : undefined;
      },
    });
    return proxy as this;
  }

  /**
   * Calls the whole model on symbolic tensors (a nested model in a functional graph, shown as one layer in
   * the summary) or on concrete tensors (inference; `{ training: true }` runs it as in training, Keras'
   * `model(x, training=True)`: augmentation and dropout active). `model(x)` is the same.
   */
  apply(inputs: tf.SymbolicTensor | tf.SymbolicTensor[], kwargs?: CallOptions): tf.SymbolicTensor | tf.SymbolicTensor[];
  apply(inputs: tf.Tensor | tf.Tensor[], kwargs?: CallOptions): tf.Tensor | tf.Tensor[];
  apply(inputs: unknown, kwargs?: CallOptions): unknown {
    const { names, named } = this.callInputNames();
    const list = callInputs(this.name, names, named, inputs);
    const o = checkOptions(`${this.name}(x, options)`, kwargs, ["training"]);
    if (o.training !== undefined && typeof o.training !== "boolean")
      throw new Error(
        `${this.name}(x, { training }): training must be true or false, got ${JSON.stringify(o.training)}`,
      );
    this.ensureBuilt(list[0].shape.slice(1) as number[]);
    const engine = this.engineFor("apply");
    // Each call in training mode draws afresh, as a Keras seed generator does (fit advances it every step).
    if (o.training && list.every((t) => t instanceof tf.Tensor)) advanceRandomStep();
    return engine.apply(
      (list.length === 1 ? list[0] : list) as tf.SymbolicTensor,
      o.training ? { training: true } : {},
    );
  }

  /** The names of the inputs `model(x)` takes; `named` for a functional Model (a dict by name works too). */
  protected callInputNames(): { names: string[]; named: boolean } {
    return { names: ["input"], named: false };
  }

  /** The built tfjs-layers model, or an error saying what `what` needs. */
  protected abstract engineFor(what: string): tf.LayersModel;
  abstract ensureBuilt(sampleShape?: readonly number[]): void;
  abstract runtimeLayers(): Layer[];
  abstract batchInputShape(): (number | null)[];
  abstract batchOutputShape(): (number | null)[];

  trainableVariables(): tf.Variable[] {
    return this.engineFor("fit").trainableWeights.map((w) => w.read() as tf.Variable);
  }

  layersModel(): tf.LayersModel {
    return this.engineFor("fit");
  }

  /** Set by BackupAndRestore in onTrainBegin: the epoch fit resumes at (Keras' `_initial_epoch`). */
  initialEpoch?: number;

  /** compile's option names (the functional Model adds `lossWeights`). */
  protected compileOptionNames(): string[] {
    return ["optimizer", "loss", "metrics", "weightedMetrics"];
  }

  /** Resolves compile's loss and metrics (the functional Model also takes one per output). */
  protected compileWith(o: CompileOptions, optimizer: tf.Optimizer): void {
    this.compiled = {
      optimizer,
      loss: getLoss(o.loss),
      metrics: metricList(o.metrics, "metrics"),
      weightedMetrics: metricList(o.weightedMetrics, "weightedMetrics"),
    };
  }

  /** Keras' `compile`: `compile({ optimizer, loss, metrics })` or `compile("adam", "mse", { metrics })`. */
  compile(config: CompileOptions): void;
  compile(
    optimizer: string | tf.Optimizer,
    loss: string | LossFn | LossObject,
    options?: { metrics?: MetricIdentifier[] },
  ): void;
  compile(
    a: CompileOptions | string | tf.Optimizer,
    loss?: string | LossFn | LossObject,
    options: { metrics?: MetricIdentifier[] } = {},
  ): void {
    const o: CompileOptions =
      typeof a === "string" || a instanceof tf.Optimizer
        ? { optimizer: a, loss: loss!, metrics: checkOptions("compile", options, ["metrics"]).metrics }
        : checkOptions("compile", a, this.compileOptionNames());
    if (o.loss === undefined)
      throw new Error(
        "compile: a loss is required, e.g. compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] })",
      );
    this.compileWith(o, getOptimizer(o.optimizer ?? "rmsprop"));
  }

  compiledFor(fn: string): Compiled {
    if (!this.compiled) {
      throw new Error(
        `You must call compile() before ${fn}(), e.g. model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] })`,
      );
    }
    return this.compiled;
  }

  get optimizer(): tf.Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  /** The compiled optimizer's learning rate (ReduceLROnPlateau reads and writes it). */
  get learningRate(): number {
    const opt = this.compiledFor("learningRate") as { optimizer: unknown };
    const lr = (opt.optimizer as { learningRate?: unknown }).learningRate;
    if (typeof lr !== "number") throw new Error("This optimizer does not expose a learningRate.");
    return lr;
  }

  set learningRate(value: number) {
    const opt = this.compiledFor("learningRate").optimizer as unknown as { learningRate: number };
    opt.learningRate = value;
  }

  /** Number of weights (all layers, trainable or not). */
  countParams(): number {
    try {
      return this.engineFor("countParams").countParams();
    } catch {
      return 0;
    }
  }

  fit(x: DataLike, y: DataLike, options?: loops.FitOptions): Promise<History> {
    return loops.fit(this, x, y, options).then(
      (h) => (this.history = h),
      (error: unknown) => {
        // Interrupted: the finished epochs stay readable as model.history, as in Keras.
        if (error instanceof TrainingInterrupted && error.history) this.history = error.history as History;
        throw error;
      },
    );
  }

  /** Loss, or `[loss, ...metrics]` when metrics were compiled — plain numbers, like Keras. */
  evaluate(x: DataLike, y: DataLike, options: loops.EvaluateOptions & { returnDict: true }): Promise<Logs>;
  evaluate(x: DataLike, y: DataLike, options?: loops.EvaluateOptions): Promise<number | number[]>;
  evaluate(x: DataLike, y: DataLike, options?: loops.EvaluateOptions): Promise<number | number[] | Logs> {
    return loops.evaluate(this, x, y, options);
  }

  /** Copies of all weights, in `model.weights` order (the caller owns and disposes them). */
  getWeights(): tf.Tensor[] {
    return this.engineFor("getWeights").weights.map((w) => w.read().clone());
  }

  setWeights(weights: tf.Tensor[]): void {
    const engine = this.engineFor("setWeights");
    const own = engine.weights;
    if (weights.length !== own.length) {
      throw new Error(`setWeights: the model has ${own.length} weights but ${weights.length} were given`);
    }
    own.forEach((w, i) => {
      const a = w.shape.join(",");
      if (a !== weights[i].shape.join(",")) {
        throw new Error(
          `setWeights: weight ${i} (${w.originalName}) has shape ${formatShape(w.shape as number[])} but the given one has ${formatShape(weights[i].shape)}`,
        );
      }
    });
    engine.setWeights(weights);
  }

  /** Keras' file formats (src/saving): a subclass without a Keras mapping yet says so here. */
  protected abstract saving(what: string): SavingBackend;

  /**
   * Keras' `model.save`: `.keras` writes Keras 3's zip (Python Keras 3 loads it), `.h5`/`.hdf5` Keras 2's
   * HDF5 ("legacy", still read by Keras 3); any other extension is Keras' error. Atomic (see saving/atomic.ts).
   */
  async save(path: string, options: { overwrite?: boolean } = {}): Promise<void> {
    this.engineFor("save");
    await this.saving("save").save(path, options.overwrite ?? true);
  }

  /** Keras' `save_weights`: a Keras 3 `.weights.h5` file (layer weights and optimizer state). */
  async saveWeights(path: string, options: { overwrite?: boolean } = {}): Promise<void> {
    this.engineFor("saveWeights");
    await this.saving("saveWeights").saveWeights(path, options.overwrite ?? true);
  }

  /** Keras' `load_weights`: from a `.weights.h5`, a `.keras` or a legacy `.h5`/`.hdf5` file. */
  async loadWeights(path: string): Promise<void> {
    this.engineFor("loadWeights");
    await this.saving("loadWeights").loadWeights(path);
  }

  /** Keras' `model.export`, for the browser: `export("web/model", { format: "tfjs" })` (model.json + weights.bin). */
  async export(path: string, options: { format?: "tfjs"; overwrite?: boolean } = {}): Promise<void> {
    this.engineFor("export");
    await this.saving("export").export(path, options);
  }

  /** The compile arguments as saved in Keras' compile_config (undefined when not compiled). */
  compileState(): CompileState | undefined {
    const c = this.compiled;
    if (!c) return undefined;
    return {
      optimizer: c.optimizer,
      loss: c.loss.identifier,
      metrics: c.metrics.filter((m): m is string => typeof m === "string"),
    };
  }

  /** Frees the weights (and the optimizer's state). The model cannot be used afterwards. */
  dispose(): void {
    try {
      this.engineFor("dispose").dispose();
    } catch {
      // never built: no weights to free
    }
    this.compiled?.optimizer.dispose();
  }
}
