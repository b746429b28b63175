/**
 * How fit runs its batches. Two trainers share one contract so the loop in training.ts (callbacks,
 * History, interrupt, stopTraining) is written once:
 *
 * - CompiledTrainer: the native graph engine (src/engine) — one TF_SessionRun per batch, loss and
 *   accuracy accumulated inside the graph, weights copied back to the model when callbacks need them.
 *   Used whenever the engine supports the model, optimizer, loss and metrics.
 * - EagerTrainer: tfjs ops per batch (steps.ts) — everything else (regularizers, clipping, other
 *   optimizers, losses and metrics). `TSLAB_KERAS_ENGINE=eager` forces it.
 */
import { tf } from "../tf";
import type { Logs } from "../callbacks/callback";
import { createEngineFit, type EngineFit } from "../engine/fit-engine";
import { ExactLogs, type StepFunctions, type StepMetrics, lazyLogs, resetMetrics, testStep, trainStep } from "./steps";
import type { Compiled } from "./types";

export interface EpochTrainer {
  /** "compiled" or "eager", for messages and tests. */
  readonly kind: "compiled" | "eager";
  beginEpoch(order: Int32Array | undefined): void;
  /** Trains on samples order[start..start+size) (or start..start+size without a shuffle order). */
  trainBatch(start: number, size: number): void;
  /** Running results of the epoch so far, including the latest batch; read only when a callback reads them. */
  batchLogs(): Logs;
  /** Means over the finished epoch. */
  epochLogs(): Logs;
  /** Loss and metrics on validation data in inference mode (unprefixed names). */
  validate(data: EvalData): Promise<Logs>;
  /** Model weights (and optimizer state) from the trainer into the model's objects, before epoch-end callbacks. */
  syncWeights(): Promise<void>;
  /** Takes the model's weights and optimizer state again (after a callback restored them). */
  reloadWeights(): Promise<void>;
  endEpoch(): void;
  /** Weights and optimizer state back to the model; always called, also after an error. */
  end(): Promise<void>;
}

/** Validation or evaluation data: inputs, labels, optional per-sample weights. */
export interface EvalData {
  x: tf.Tensor;
  y: tf.Tensor;
  sampleWeight?: tf.Tensor;
}

/**
 * Runs the test step over all samples in batches (metrics reset first, as Keras' evaluate does);
 * returns the logs keyed by `names`. `onBatch` sees exact running logs after each batch.
 */
export async function evaluateTensors(
  s: StepFunctions,
  metrics: StepMetrics,
  names: readonly string[],
  data: EvalData,
  batchSize: number,
  onBatch?: (batch: number, logs: Logs) => Promise<void>,
): Promise<Logs> {
  const { x, y, sampleWeight: sw } = data;
  const n = x.shape[0];
  resetMetrics(metrics);
  const logs = new ExactLogs(metrics, names);
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const size = Math.min(batchSize, n - start);
    testStep(s, metrics, () => [x.slice(start, size), y.slice(start, size), sw?.slice(start, size)]);
    logs.invalidate();
    if (onBatch) await onBatch(b, logs.lazy());
  }
  return { ...logs.read() };
}

export class EagerTrainer implements EpochTrainer {
  readonly kind = "eager";
  private order?: tf.Tensor1D;
  private readonly logs: ExactLogs;

  constructor(
    private readonly steps: StepFunctions,
    private readonly metrics: StepMetrics,
    private readonly names: string[],
    private readonly optimizer: tf.Optimizer,
    private readonly variables: tf.Variable[],
    private readonly data: EvalData,
    private readonly evalBatchSize: number,
  ) {
    this.logs = new ExactLogs(metrics, names);
  }

  beginEpoch(order: Int32Array | undefined): void {
    resetMetrics(this.metrics);
    this.logs.invalidate();
    this.order = order ? tf.tensor1d(order, "int32") : undefined;
  }

  trainBatch(start: number, size: number): void {
    const { x, y, sampleWeight: sw } = this.data;
    const order = this.order;
    trainStep(this.steps, this.optimizer, this.variables, this.metrics, () => {
      if (!order) return [x.slice(start, size), y.slice(start, size), sw?.slice(start, size)];
      const idx = order.slice(start, size);
      return [tf.gather(x, idx), tf.gather(y, idx), sw ? tf.gather(sw, idx) : undefined];
    });
    this.logs.invalidate();
  }

  batchLogs(): Logs {
    return this.logs.lazy();
  }

  epochLogs(): Logs {
    return { ...this.logs.read() };
  }

  validate(data: EvalData): Promise<Logs> {
    return evaluateTensors(this.steps, this.metrics, this.names, data, this.evalBatchSize);
  }

  async syncWeights(): Promise<void> {} // the model's variables and optimizer are trained in place

  async reloadWeights(): Promise<void> {} // likewise

  endEpoch(): void {
    this.order?.dispose();
    this.order = undefined;
  }

  async end(): Promise<void> {
    this.endEpoch();
  }
}

/** Optimizer settings the compiled engine does not implement (it would silently ignore them). */
function engineIncompatibleOptimizer(optimizer: tf.Optimizer): string | undefined {
  const o = optimizer as unknown as { weightDecay?: number; schedule?: unknown };
  if (o.weightDecay !== undefined) return "optimizer weightDecay";
  if (o.schedule !== undefined) return "a learning-rate schedule";
  return undefined;
}

/** Maps the engine's { loss, accuracy } to the names the user compiled (e.g. "acc"). */
function named(names: string[], logs: { loss: number; accuracy?: number }): Logs {
  const out: Logs = { loss: logs.loss };
  if (names.length > 1 && logs.accuracy !== undefined) out[names[1]] = logs.accuracy;
  return out;
}

export class CompiledTrainer implements EpochTrainer {
  readonly kind = "compiled";
  private order?: Int32Array;
  /** The engine's running means after the latest batch, read once per batch and only when asked for. */
  private snapshot?: Logs;
  private readonly readLogs = () => (this.snapshot ??= named(this.names, this.engine.logs()));

  private constructor(
    private readonly engine: EngineFit,
    private readonly names: string[],
    private readonly x: tf.Tensor,
    private readonly y: tf.Tensor,
  ) {}

  /**
   * A compiled trainer for this model, or undefined (with the reason) when the engine cannot take it.
   * The metric names must be the ones fit reports, e.g. ["loss", "accuracy"].
   */
  static async create(
    tfModel: tf.LayersModel,
    compiled: Compiled,
    names: string[],
    x: tf.Tensor,
    y: tf.Tensor,
    batchSize: number,
    weighted = false,
    callbacks: readonly object[] = [],
    evalBatchSize?: number,
  ): Promise<CompiledTrainer | { reason: string }> {
    if (process.env.TSLAB_KERAS_ENGINE === "eager") return { reason: "TSLAB_KERAS_ENGINE=eager" };
    // The engine hands its optimizer state back only at the end of fit.
    const saver = callbacks.find((cb) => (cb as { savesOptimizerState?: boolean }).savesOptimizerState);
    if (saver) return { reason: `${saver.constructor.name} saves the optimizer state during fit` };
    if (weighted) return { reason: "sample or class weights" };
    if (compiled.weightedMetrics.length > 0) return { reason: "weightedMetrics" };
    const metrics = compiled.metrics.filter((m): m is string => typeof m === "string");
    if (metrics.length !== compiled.metrics.length) return { reason: "a metric object or custom metric function" };
    if (compiled.loss.plainName === undefined) return { reason: `loss ${compiled.loss.name} with options` };
    const why = engineIncompatibleOptimizer(compiled.optimizer);
    if (why) return { reason: why };
    // Validation in fit's inference batches (about 1M input values): a CNN's activations at 2048 images
    // took ~600 MB of peak memory on lesson 004's model.
    const engine = createEngineFit(tfModel, compiled.optimizer, compiled.loss.plainName, metrics, {
      batchSize,
      inferenceBatchSize: evalBatchSize,
    });
    if ("reason" in engine) return engine;
    await engine.begin(x, y);
    return new CompiledTrainer(engine, names, x, y);
  }

  beginEpoch(order: Int32Array | undefined): void {
    this.order = order;
    this.snapshot = undefined;
    this.engine.beginEpoch();
  }

  trainBatch(start: number, size: number): void {
    this.engine.trainBatch(this.order, start, size);
    this.snapshot = undefined;
  }

  /** Exact running means including this batch (each step fetches its batch's sums with the step). */
  batchLogs(): Logs {
    return lazyLogs(this.names, this.readLogs);
  }

  epochLogs(): Logs {
    return named(this.names, this.engine.logs());
  }

  async validate(data: EvalData): Promise<Logs> {
    return named(this.names, this.engine.evaluate(data.x, data.y));
  }

  async syncWeights(): Promise<void> {
    this.engine.syncWeightsToModel();
    await this.engine.syncOptimizerToModel(); // so a checkpoint holds the optimizer's current state
  }

  reloadWeights(): Promise<void> {
    return this.engine.begin(this.x, this.y);
  }

  endEpoch(): void {
    this.order = undefined;
  }

  end(): Promise<void> {
    return this.engine.end();
  }
}
