/**
 * The hook for `fit`'s hot loop (src/models/training.ts): `createEngineFit(model, optimizer, loss, metrics)`
 * gives a compiled trainer for a tfjs-layers model, or `{ reason }` when the engine cannot take it (then
 * fit stays eager). One trainer is cached per model and optimizer, so later `fit` calls keep the
 * optimizer's state in the graph. Weights are copied into the graph at `begin` and back at `end`.
 *
 *   const e = createEngineFit(tfModel, optimizer, "categorical_crossentropy", ["accuracy"]);
 *   if (!("reason" in e)) {
 *     await e.begin(x, y);                          // once per fit
 *     e.beginEpoch();                               // resets the epoch's running logs, syncs the learning rate
 *     e.trainBatch(order, start, size);             // per batch: one TF_SessionRun, no host sync
 *     e.logs();                                     // { loss, accuracy } running means (one small fetch)
 *     e.evaluate(xVal, yVal);                       // inference mode, large batches
 *     e.syncWeightsToModel();                       // before callbacks that read/save weights
 *     await e.end();                                // weights → model, optimizer state → optimizer
 *   }
 */
import { tf } from "../tf";
import { type CompiledTrainStep, createTrainStep, stepThreads } from "./train-step";
import {
  describeLoss,
  describeModel,
  describeOptimizer,
  layerWeights,
  readModelWeights,
  writeModelWeights,
} from "./describe";
import { loadEngineAddon, type ThreadSettings } from "./native";
import { hostCopy, hostRows, tensorRows } from "./batch-rows";
import type { LossSpec } from "./spec";

const ACCURACY = new Set(["accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy"]);
/** Keras' slot names, in the order the graph keeps them (Adam: m, v, vhat; SGD: momentum). */
const KERAS_SLOTS: Record<string, string[]> = { SGD: ["momentum"], Adam: ["momentum", "velocity", "velocity_hat"] };

export type EngineLogs = { loss: number; accuracy?: number };

export interface EngineFit {
  readonly step: CompiledTrainStep;
  begin(x: tf.Tensor, y: tf.Tensor): Promise<void>;
  beginEpoch(): void;
  trainBatch(order: Int32Array | undefined, start: number, size: number): void;
  logs(): EngineLogs;
  evaluate(x: tf.Tensor, y: tf.Tensor): EngineLogs;
  /** Graph → model weights only (e.g. before epoch-end callbacks that save or read weights). */
  syncWeightsToModel(): void;
  /** The optimizer's step count and slots, copied into the optimizer object (for checkpoints). */
  syncOptimizerToModel(): Promise<void>;
  end(): Promise<void>;
}

const cache = new WeakMap<tf.LayersModel, { optimizer: tf.Optimizer; key: string; step: CompiledTrainStep }>();

function labels(y: tf.Tensor, loss: LossSpec): Float32Array | Int32Array {
  const data = y.dataSync();
  if (loss === "sparse_categorical_crossentropy") return data instanceof Int32Array ? data : Int32Array.from(data);
  return data instanceof Float32Array ? data : Float32Array.from(data);
}

function isKerasOptimizer(o: tf.Optimizer): boolean {
  return typeof (o as unknown as { slotNames?: unknown }).slotNames === "function";
}

export function createEngineFit(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  lossName: unknown,
  metrics: readonly string[],
  options: { batchSize?: number; threads?: ThreadSettings; inferenceBatchSize?: number } = {},
): EngineFit | { reason: string } {
  if (!loadEngineAddon()) return { reason: "the engine addon is not built" };
  const spec = describeModel(model);
  if (typeof spec === "string") return { reason: spec };
  const os = describeOptimizer(optimizer);
  if (typeof os === "string") return { reason: os };
  const loss = describeLoss(lossName);
  if (loss === undefined) return { reason: `loss ${String(lossName)}` };
  const unknown = metrics.filter((m) => !ACCURACY.has(m));
  if (unknown.length > 0) return { reason: `metrics ${unknown.join(", ")}` };
  let compiled: CompiledTrainStep;
  try {
    // A new batch size may change the session's threads: a new step then takes over the weights and
    // the optimizer state at `begin`, as after eager training.
    const threads = options.threads ?? stepThreads(spec, options.batchSize);
    const key = JSON.stringify([spec, os, loss, threads, options.inferenceBatchSize]);
    let entry = cache.get(model);
    if (!entry || entry.optimizer !== optimizer || entry.key !== key) {
      entry = {
        optimizer,
        key,
        step: createTrainStep(spec, os, loss, { threads, inferenceBatchSize: options.inferenceBatchSize })!,
      };
      cache.set(model, entry);
    }
    compiled = entry.step;
  } catch (e) {
    return { reason: e instanceof Error ? e.message : String(e) };
  }
  const step = compiled;
  const withAccuracy = metrics.length > 0;
  const out = (m: { loss: number; accuracy: number }): EngineLogs =>
    withAccuracy ? { loss: m.loss, accuracy: m.accuracy } : { loss: m.loss };
  let x: Float32Array | Uint8Array = new Float32Array(0);
  let y: Float32Array | Int32Array = new Float32Array(0);
  let count = 0;
  /** A training set too large to copy to the host: batches are gathered from it with a tfjs op. */
  let xTensor: tf.Tensor | undefined;
  // fit validates on the same two tensors every epoch: copy them out of TensorFlow once per fit, not
  // once per epoch (each copy is the whole validation set, e.g. 123 MB for CIFAR-10's test images).
  let validation: { x: tf.Tensor; y: tf.Tensor; xs: Float32Array; ys: Float32Array | Int32Array } | undefined;
  const trainable = () => layerWeights(model).filter((w) => w.trainable);
  /** Copies the graph's optimizer state (step count, slots) into the optimizer object. */
  const syncOptimizerToModel = async (): Promise<void> => {
    if (!isKerasOptimizer(optimizer)) return;
    const state = step.getOptimizerState();
    const names = KERAS_SLOTS[optimizer.getClassName()] ?? [];
    const weights: { name: string; tensor: tf.Tensor }[] = [
      { name: "iter", tensor: tf.scalar(state.iterations, "int32") },
    ];
    const vars = trainable();
    names.forEach((s, j) => {
      vars.forEach((w, i) => {
        const v = state.slots[i]?.[j];
        if (v)
          weights.push({ name: `${(w.read() as tf.Variable).name}/${s}`, tensor: tf.tensor(v, w.shape as number[]) });
      });
    });
    await optimizer.setWeights(weights);
    tf.dispose(weights.map((w) => w.tensor));
  };
  return {
    step,
    async begin(xt, yt) {
      const copy = hostCopy(xt);
      xTensor = copy ? undefined : xt;
      x = (copy as Float32Array | Uint8Array | undefined) ?? new Float32Array(0); // x is float32 (a spec input)
      y = labels(yt, loss);
      count = xt.shape[0];
      step.setWeights(readModelWeights(model));
      if (isKerasOptimizer(optimizer) && optimizer.iterations !== step.iterations) {
        // Trained eagerly (or restored) since: take the optimizer's own state.
        const saved = await optimizer.getWeights();
        saved.filter((w) => w.name === "iter").forEach((w) => w.tensor.dispose()); // a fresh scalar; slots are live
        const names = KERAS_SLOTS[optimizer.getClassName()] ?? [];
        const byName = new Map(saved.map((w) => [w.name, w.tensor]));
        const slots = trainable().map((w) =>
          names
            .map((s) => byName.get(`${(w.read() as tf.Variable).name}/${s}`))
            .filter((t): t is tf.Tensor => t !== undefined)
            .map((t) => t.dataSync() as Float32Array),
        );
        const complete = slots.every((s) => s.length === step.getOptimizerState().slots[0]?.length);
        step.setOptimizerState({ iterations: optimizer.iterations, slots: complete ? slots : undefined });
      }
    },
    beginEpoch() {
      const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
      if (typeof lr === "number") step.learningRate = lr;
      step.resetMetrics();
    },
    trainBatch(order, start, size) {
      const end = start + size;
      if (end > count) throw new Error(`engine: batch ${start}..${end} beyond ${count} samples`);
      if (!xTensor) step.trainRows(x, y, start, size, order);
      else {
        const width = loss === "sparse_categorical_crossentropy" ? 1 : y.length / count;
        step.trainBatch(
          tensorRows(xTensor, order, start, size) as Float32Array,
          hostRows(y, width, order, start, size),
          size,
        );
      }
    },
    logs: () => out(step.readMetrics()),
    evaluate(xv, yv) {
      if (validation?.x !== xv || validation.y !== yv)
        validation = { x: xv, y: yv, xs: xv.dataSync() as Float32Array, ys: labels(yv, loss) };
      return out(step.evaluate(validation.xs, validation.ys, xv.shape[0]));
    },
    syncWeightsToModel() {
      writeModelWeights(model, step.getWeights());
    },
    syncOptimizerToModel,
    async end() {
      validation = undefined;
      xTensor = undefined;
      x = new Float32Array(0);
      y = x;
      writeModelWeights(model, step.getWeights());
      await syncOptimizerToModel();
    },
  };
}
