/**
 * Keras' `Sequential` model over tfjs-layers: tfjs layers hold the weights and compute each layer; our
 * own loops (training.ts) train them with Keras 3's semantics.
 *
 *   const model = new Sequential([layers.Dense(512, { activation: "relu", inputShape: [784] }), …]);
 *   model.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
 *   const history = await model.fit(x, y, { batchSize: 128, epochs: 5, validationSplit: 0.2 });
 */
import { tf } from "../tf";
import type { Logs } from "../callbacks/callback";
import type { History } from "../callbacks/history";
import { TrainingInterrupted } from "../callbacks/interrupt";
import type { Layer } from "../layers/extras";
import { type LossFn, type LossObject, get as getLoss } from "../losses/index";
import { checkIdentifier } from "../metrics/index";
import { get as getOptimizer } from "../optimizers/index";
import { autoName } from "../utils/naming";
import { checkOptions } from "../utils/options";
import { type DataLike, formatShape } from "./data";
import { exportModel, loadWeightsFile, saveModel, saveWeightsFile } from "../saving/index";
import { renderSummary } from "./summary";
import * as loops from "./training";
import type { Compiled, MetricIdentifier, ModelInternals } from "./types";

export interface SequentialOptions {
  layers?: Layer[];
  name?: string;
}

export interface CompileOptions {
  /** A name ("sgd", "adam", "rmsprop", …) or an optimizer object; Keras' default is "rmsprop". */
  optimizer?: string | tf.Optimizer;
  /** A Keras name ("mse"), a loss object (losses.Huber({ delta: 2 })) or a function (yTrue, yPred) => perSample. */
  loss: string | LossFn | LossObject;
  metrics?: MetricIdentifier[];
  /** Metrics weighted by fit's sampleWeight/classWeight (Keras' `weighted_metrics`); `metrics` are not. */
  weightedMetrics?: MetricIdentifier[];
}

const isLayer = (x: unknown): x is Layer => x instanceof tf.layers.Layer;

export class Sequential implements ModelInternals {
  readonly name: string;
  /** Set to true (e.g. from a callback) to end fit after the current batch's epoch. */
  stopTraining = false;
  /** The History of the latest fit. */
  history?: History;
  /** Set by BackupAndRestore in onTrainBegin: the epoch fit resumes at (Keras' `_initial_epoch`). */
  initialEpoch?: number;
  private pending: Layer[] = [];
  private inputShape?: (number | null)[];
  private engine?: tf.Sequential;
  private compiled?: Compiled;

  constructor(layers?: Layer[] | SequentialOptions, options: { name?: string } = {}) {
    const o: SequentialOptions = Array.isArray(layers) ? { ...options, layers } : { ...options, ...(layers ?? {}) };
    this.name = o.name ?? autoName("sequential");
    for (const layer of o.layers ?? []) this.add(layer);
  }

  /** Appends a layer (Keras' `model.add`). */
  add(layer: Layer): void {
    if (!isLayer(layer)) {
      const hint = typeof layer === "function" ? " — did you forget to call it, e.g. layers.Dense(10)?" : "";
      throw new Error(`Sequential.add expects a layer such as layers.Dense(10), got ${typeof layer}${hint}`);
    }
    if (layer.getClassName() === "InputLayer") {
      if (this.pending.length > 0) throw new Error("An Input can only be the first entry of a Sequential model.");
      this.inputShape = [...(layer as unknown as { batchInputShape: (number | null)[] }).batchInputShape];
      return;
    }
    if (this.pending.some((l) => l.name === layer.name)) {
      throw new Error(
        `All layers added to a Sequential model should have unique names. Name '${layer.name}' is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`,
      );
    }
    this.pending.push(layer);
    if (this.engine) {
      this.addToEngine(this.engine, layer);
    } else if (this.pending.length === 1 && (this.inputShape || layer.batchInputShape)) {
      this.build();
    }
  }

  private addToEngine(engine: tf.Sequential, layer: Layer): void {
    try {
      engine.add(layer);
    } catch (e) {
      this.pending.pop();
      throw new Error(`Cannot add layer '${layer.name}' (${layer.getClassName()}): ${(e as Error).message}`);
    }
  }

  /** Keras' `model.layers`. */
  get layers(): Layer[] {
    return [...this.pending];
  }

  get built(): boolean {
    return this.engine !== undefined;
  }

  /** Builds the weights for inputs of `inputShape` (with or without the batch axis `null`). */
  build(inputShape?: (number | null)[]): void {
    if (this.engine) return;
    if (this.pending.length === 0)
      throw new Error("The model has no layers yet; add some with model.add(layers.Dense(...)).");
    const first = this.pending[0] as Layer & { batchInputShape?: (number | null)[] };
    let batchShape = this.inputShape ?? first.batchInputShape;
    if (inputShape) batchShape = inputShape[0] === null ? inputShape : [null, ...inputShape];
    if (!batchShape) {
      throw new Error(
        "The model does not know its input shape: give the first layer one (inputShape: [784]) or call build([null, 784]).",
      );
    }
    if (!first.batchInputShape || inputShape) first.batchInputShape = batchShape;
    const engine = tf.sequential({ name: this.name });
    const layers = this.pending;
    this.pending = [];
    for (const layer of layers) {
      this.pending.push(layer);
      this.addToEngine(engine, layer);
    }
    this.engine = engine;
  }

  ensureBuilt(sampleShape?: readonly number[]): void {
    if (!this.engine)
      this.build(
        this.inputShape || this.pending[0]?.batchInputShape ? undefined : sampleShape && [null, ...sampleShape],
      );
  }

  private built_(what: string): tf.Sequential {
    if (!this.engine)
      throw new Error(
        `${what}: the model is not built yet (it has no input shape); call fit, predict or build([null, …]) first.`,
      );
    return this.engine;
  }

  runtimeLayers(): Layer[] {
    return this.built_("model").layers;
  }

  batchInputShape(): (number | null)[] {
    return [...(this.built_("model").inputs[0].shape as (number | null)[])];
  }

  batchOutputShape(): (number | null)[] {
    return [...(this.built_("model").outputs[0].shape as (number | null)[])];
  }

  trainableVariables(): tf.Variable[] {
    return this.built_("fit").trainableWeights.map((w) => w.read() as tf.Variable);
  }

  layersModel(): tf.LayersModel {
    return this.built_("fit");
  }

  /** Number of weights (all layers, trainable or not). */
  countParams(): number {
    return this.engine ? this.engine.countParams() : 0;
  }

  /** Prints Keras 3's summary table (pass `printFn` to capture the lines instead). */
  summary(options: { printFn?: (line: string) => void } = {}): void {
    const size = (ws: tf.LayerVariable[]) =>
      ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    const rows = this.pending.map((l) => ({
      name: l.name,
      className: l.getClassName(),
      outputShape: this.engine ? formatShape(l.outputShape as (number | null)[]) : "?",
      params: this.engine ? l.countParams() : undefined,
    }));
    const counts = this.engine
      ? { trainable: size(this.engine.trainableWeights), nonTrainable: size(this.engine.nonTrainableWeights) }
      : { trainable: 0, nonTrainable: 0 };
    const lines = renderSummary(this.name, rows, counts);
    if (options.printFn) lines.forEach(options.printFn);
    else console.log(lines.join("\n"));
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
        : checkOptions("compile", a, ["optimizer", "loss", "metrics", "weightedMetrics"]);
    if (o.loss === undefined)
      throw new Error(
        "compile: a loss is required, e.g. compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] })",
      );
    const resolvedLoss = getLoss(o.loss);
    const metrics = o.metrics ?? [];
    if (!Array.isArray(metrics)) throw new Error("compile: metrics must be a list, e.g. metrics: ['accuracy']");
    metrics.forEach(checkIdentifier);
    const weightedMetrics = o.weightedMetrics ?? [];
    if (!Array.isArray(weightedMetrics)) {
      throw new Error("compile: weightedMetrics must be a list, e.g. weightedMetrics: ['accuracy']");
    }
    weightedMetrics.forEach(checkIdentifier);
    this.compiled = {
      optimizer: getOptimizer(o.optimizer ?? "rmsprop"),
      loss: resolvedLoss,
      metrics: [...metrics],
      weightedMetrics: [...weightedMetrics],
    };
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

  /** The model's outputs for `x` (inference mode: no dropout, BatchNormalization uses moving stats). */
  predict(x: DataLike, options?: loops.PredictOptions): Promise<tf.Tensor> {
    return loops.predict(this, x, options);
  }

  /** Copies of all weights, in `model.weights` order (the caller owns and disposes them). */
  getWeights(): tf.Tensor[] {
    return this.built_("getWeights").weights.map((w) => w.read().clone());
  }

  setWeights(weights: tf.Tensor[]): void {
    const engine = this.built_("setWeights");
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

  /**
   * Keras' `model.save`: `.keras` writes Keras 3's zip (Python Keras 3 loads it), `.h5`/`.hdf5` Keras 2's
   * HDF5 ("legacy", still read by Keras 3); any other extension is Keras' error. Atomic (see saving/atomic.ts).
   */
  async save(path: string, options: { overwrite?: boolean } = {}): Promise<void> {
    this.built_("save");
    await saveModel(this, path, options.overwrite ?? true);
  }

  /** Keras' `save_weights`: a Keras 3 `.weights.h5` file (layer weights and optimizer state). */
  async saveWeights(path: string, options: { overwrite?: boolean } = {}): Promise<void> {
    this.built_("saveWeights");
    await saveWeightsFile(this, path, options.overwrite ?? true);
  }

  /** Keras' `load_weights`: from a `.weights.h5`, a `.keras` or a legacy `.h5`/`.hdf5` file. */
  async loadWeights(path: string): Promise<void> {
    this.built_("loadWeights");
    await loadWeightsFile(this, path);
  }

  /** Keras' `model.export`, for the browser: `export("web/model", { format: "tfjs" })` (model.json + weights.bin). */
  async export(path: string, options: { format?: "tfjs"; overwrite?: boolean } = {}): Promise<void> {
    this.built_("export");
    await exportModel(this, path, options);
  }

  /** The compile arguments as saved in Keras' compile_config (undefined when not compiled). */
  compileState(): { optimizer: tf.Optimizer; loss?: string; metrics: string[] } | undefined {
    const c = this.compiled;
    if (!c) return undefined;
    return {
      optimizer: c.optimizer,
      loss: c.loss.identifier,
      metrics: c.metrics.filter((m): m is string => typeof m === "string"),
    };
  }

  /** Adopts an already-built tfjs Sequential (used by loadModel). */
  static fromEngine(engine: tf.Sequential, name: string): Sequential {
    const model = new Sequential({ name });
    model.pending = [...engine.layers];
    model.engine = engine;
    return model;
  }

  /** Frees the weights (and the optimizer's state). The model cannot be used afterwards. */
  dispose(): void {
    this.engine?.dispose();
    this.compiled?.optimizer.dispose();
  }
}
