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
import { MeanAccumulator, type StepFunctions, lazyLogs, testStep, throttled, trainStep } from "./steps";
import type { Compiled } from "./types";

export interface EpochTrainer {
  /** "compiled" or "eager", for messages and tests. */
  readonly kind: "compiled" | "eager";
  beginEpoch(order: Int32Array | undefined): void;
  /** Trains on samples order[start..start+size) (or start..start+size without a shuffle order). */
  trainBatch(start: number, size: number): void;
  /** Running means of the epoch so far, read from the device only when a callback reads them. */
  batchLogs(): Logs;
  /** Means over the finished epoch. */
  epochLogs(): Logs;
  /** Loss and metrics on validation data in inference mode (unprefixed names). */
  validate(x: tf.Tensor, y: tf.Tensor): Promise<Logs>;
  /** Model weights (and optimizer state) from the trainer into the model's objects, before epoch-end callbacks. */
  syncWeights(): Promise<void>;
  endEpoch(): void;
  /** Weights and optimizer state back to the model; always called, also after an error. */
  end(): Promise<void>;
}

/** Runs the test step over all samples in batches; returns mean logs keyed by `names`. */
export async function evaluateTensors(
  s: StepFunctions,
  names: string[],
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
  onBatch?: (batch: number, acc: MeanAccumulator) => Promise<void>,
): Promise<Logs> {
  const n = x.shape[0];
  const acc = new MeanAccumulator(names);
  try {
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const size = Math.min(batchSize, n - start);
      acc.push(
        testStep(s, () => [x.slice(start, size), y.slice(start, size)]),
        size,
      );
      if (onBatch) await onBatch(b, acc);
    }
    return acc.result();
  } finally {
    acc.dispose();
  }
}

export class EagerTrainer implements EpochTrainer {
  readonly kind = "eager";
  private acc?: MeanAccumulator;
  private order?: tf.Tensor1D;

  constructor(
    private readonly steps: StepFunctions,
    private readonly names: string[],
    private readonly optimizer: tf.Optimizer,
    private readonly variables: tf.Variable[],
    private readonly x: tf.Tensor,
    private readonly y: tf.Tensor,
    private readonly evalBatchSize: number,
  ) {}

  beginEpoch(order: Int32Array | undefined): void {
    this.acc = new MeanAccumulator(this.names);
    this.order = order ? tf.tensor1d(order, "int32") : undefined;
  }

  trainBatch(start: number, size: number): void {
    const { x, y, order } = this;
    const values = trainStep(this.steps, this.optimizer, this.variables, () => {
      if (!order) return [x.slice(start, size), y.slice(start, size)];
      const idx = order.slice(start, size);
      return [tf.gather(x, idx), tf.gather(y, idx)];
    });
    this.acc!.push(values, size);
  }

  batchLogs(): Logs {
    return this.acc!.lazyLogs();
  }

  epochLogs(): Logs {
    return this.acc!.result();
  }

  validate(x: tf.Tensor, y: tf.Tensor): Promise<Logs> {
    return evaluateTensors(this.steps, this.names, x, y, this.evalBatchSize);
  }

  async syncWeights(): Promise<void> {} // the model's variables and optimizer are trained in place

  endEpoch(): void {
    this.acc?.dispose();
    this.order?.dispose();
    this.acc = this.order = undefined;
  }

  async end(): Promise<void> {
    this.endEpoch();
  }
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
  private readonly readLogs = throttled(() => named(this.names, this.engine.logs()));

  private constructor(
    private readonly engine: EngineFit,
    private readonly names: string[],
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
  ): Promise<CompiledTrainer | { reason: string }> {
    if (process.env.TSLAB_KERAS_ENGINE === "eager") return { reason: "TSLAB_KERAS_ENGINE=eager" };
    const metrics = compiled.metrics.filter((m): m is string => typeof m === "string");
    if (metrics.length !== compiled.metrics.length) return { reason: "a custom metric function" };
    const engine = createEngineFit(tfModel, compiled.optimizer, compiled.loss.name, metrics, { batchSize });
    if ("reason" in engine) return engine;
    await engine.begin(x, y);
    return new CompiledTrainer(engine, names);
  }

  beginEpoch(order: Int32Array | undefined): void {
    this.order = order;
    this.engine.beginEpoch();
  }

  trainBatch(start: number, size: number): void {
    this.engine.trainBatch(this.order, start, size);
  }

  batchLogs(): Logs {
    return lazyLogs(this.names, this.readLogs);
  }

  epochLogs(): Logs {
    return named(this.names, this.engine.logs());
  }

  async validate(x: tf.Tensor, y: tf.Tensor): Promise<Logs> {
    return named(this.names, this.engine.evaluate(x, y));
  }

  async syncWeights(): Promise<void> {
    this.engine.syncWeightsToModel();
    await this.engine.syncOptimizerToModel(); // so a checkpoint holds the optimizer's current state
  }

  endEpoch(): void {
    this.order = undefined;
  }

  end(): Promise<void> {
    return this.engine.end();
  }
}
