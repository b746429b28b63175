/**
 * Keras' callback contract, in TypeScript's camelCase. A training loop (models/) drives a CallbackList;
 * callbacks (callbacks/) only see the model through `CallbackModel`, so the two sides stay independent.
 */
import type { tf } from "../tf";

/** Numbers a loop reports: `loss`, metric names as the user spelt them, and their `val_` twins. */
export type Logs = Record<string, number>;

/** What a callback may do to the model it watches (a subset of models.Sequential). */
export interface CallbackModel {
  /** Set to true to end fit after the current epoch (EarlyStopping, TerminateOnNaN). */
  stopTraining: boolean;
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
  /** Saves architecture + weights (+ optimizer config) to a path the user named. */
  save(path: string, options?: { overwrite?: boolean }): Promise<void>;
  saveWeights(path: string, options?: { overwrite?: boolean }): Promise<void>;
  /** The compiled optimizer's learning rate (ReduceLROnPlateau reads and writes it). */
  learningRate: number;
  /**
   * Set in onTrainBegin by a callback that restored the weights (BackupAndRestore, as Keras'
   * `model._initial_epoch`): fit resumes at this epoch and clears it.
   */
  initialEpoch?: number;
}

/** Parameters fit hands to callbacks (Keras' `self.params`). */
export interface FitParams {
  epochs: number;
  /** Batches per epoch. */
  steps: number;
  verbose: 0 | 1 | 2;
  samples?: number;
  batchSize?: number;
  /** The metric names fit will report, in order, e.g. ["loss", "accuracy", "val_loss", "val_accuracy"]. */
  metrics?: string[];
  /** How fit runs its batches: the compiled graph engine, or tfjs ops per batch. */
  trainer?: "compiled" | "eager";
}

type MaybePromise = void | Promise<void>;

export abstract class Callback {
  model?: CallbackModel;
  params: FitParams = { epochs: 0, steps: 0, verbose: 0 };

  setModel(model: CallbackModel): void {
    this.model = model;
  }
  setParams(params: FitParams): void {
    this.params = params;
  }
  /* eslint-disable @typescript-eslint/no-unused-vars */
  onTrainBegin(logs?: Logs): MaybePromise {}
  onTrainEnd(logs?: Logs): MaybePromise {}
  /** `epoch` is 0-based, as in Keras; messages print it 1-based. */
  onEpochBegin(epoch: number, logs?: Logs): MaybePromise {}
  onEpochEnd(epoch: number, logs?: Logs): MaybePromise {}
  onTrainBatchBegin(batch: number, logs?: Logs): MaybePromise {}
  onTrainBatchEnd(batch: number, logs?: Logs): MaybePromise {}
  onTestBegin(logs?: Logs): MaybePromise {}
  onTestEnd(logs?: Logs): MaybePromise {}
  onTestBatchEnd(batch: number, logs?: Logs): MaybePromise {}
  onPredictBegin(logs?: Logs): MaybePromise {}
  onPredictEnd(logs?: Logs): MaybePromise {}
  /* eslint-enable @typescript-eslint/no-unused-vars */
}

/** Runs a list of callbacks in order; each hook awaits every callback before returning. */
export class CallbackList {
  constructor(readonly callbacks: Callback[] = []) {}

  setModel(model: CallbackModel): void {
    for (const cb of this.callbacks) cb.setModel(model);
  }
  setParams(params: FitParams): void {
    for (const cb of this.callbacks) cb.setParams(params);
  }
  async onTrainBegin(logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTrainBegin(logs);
  }
  async onTrainEnd(logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTrainEnd(logs);
  }
  async onEpochBegin(epoch: number, logs?: Logs) {
    for (const cb of this.callbacks) await cb.onEpochBegin(epoch, logs);
  }
  async onEpochEnd(epoch: number, logs?: Logs) {
    for (const cb of this.callbacks) await cb.onEpochEnd(epoch, logs);
  }
  async onTrainBatchBegin(batch: number, logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTrainBatchBegin(batch, logs);
  }
  async onTrainBatchEnd(batch: number, logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTrainBatchEnd(batch, logs);
  }
  async onTestBegin(logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTestBegin(logs);
  }
  async onTestEnd(logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTestEnd(logs);
  }
  async onTestBatchEnd(batch: number, logs?: Logs) {
    for (const cb of this.callbacks) await cb.onTestBatchEnd(batch, logs);
  }
  async onPredictBegin(logs?: Logs) {
    for (const cb of this.callbacks) await cb.onPredictBegin(logs);
  }
  async onPredictEnd(logs?: Logs) {
    for (const cb of this.callbacks) await cb.onPredictEnd(logs);
  }
}
