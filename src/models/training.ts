/**
 * fit / evaluate / predict: Keras 3's loops written over tfjs ops (tfjs-layers' own `fit` is not used).
 * Per batch: one tf.tidy'd step, no host sync; epoch means are read back once per epoch. Callbacks,
 * History, the progress bar, `stopTraining` and the kernel's interrupt token are honoured.
 */
import { tf } from "../tf";
import { Callback, CallbackList, type Logs } from "../callbacks/callback";
import { History } from "../callbacks/history";
import { interruptToken } from "../callbacks/interrupt";
import { ProgbarLogger } from "../callbacks/progbar";
import { get as getMetric } from "../metrics/index";
import { permutation, uniformSource } from "../random";
import {
  type DataLike,
  assertFinite,
  assertInputShape,
  assertNotEmpty,
  assertSameLength,
  prepareLabels,
  toTensor,
} from "./data";
import { type StepFunctions, forward } from "./steps";
import { CompiledTrainer, EagerTrainer, type EpochTrainer, evaluateTensors } from "./trainers";
import { type ModelInternals, type Verbose, normalizeVerbose } from "./types";

export interface FitOptions {
  /** Samples per gradient step (default 32). */
  batchSize?: number;
  /** Index of the last epoch (default 1); with `initialEpoch`, trains epochs initialEpoch+1..epochs. */
  epochs?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
  /** Fraction of the data, taken from the END before shuffling (as Keras), held out for validation. */
  validationSplit?: number;
  /** `[xVal, yVal]`; overrides validationSplit. */
  validationData?: [DataLike, DataLike];
  /** Reshuffle the training samples every epoch (default true; seeded by utils.setRandomSeed). */
  shuffle?: boolean;
  initialEpoch?: number;
}

export interface EvaluateOptions {
  /** Samples per batch; when omitted a large batch is used (the results do not depend on it). */
  batchSize?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
}

export interface PredictOptions {
  batchSize?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
}

/** Batch size for inference when the user gave none: big batches, bounded to ~1M input values. */
function inferenceBatchSize(sampleSize: number, minimum = 32): number {
  return Math.max(minimum, Math.min(4096, Math.floor(2 ** 20 / Math.max(1, sampleSize))));
}

function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** Yields to the event loop (so the kernel's SIGINT handler can run) at most every ~50 ms. */
function yielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < 50) return;
    last = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

interface PreparedXY {
  x: tf.Tensor;
  y: tf.Tensor;
  steps: StepFunctions;
  names: string[];
}

/** Converts, checks and adapts x/y for a compiled model; tensors it creates go to `owned`. */
function prepareXY(
  model: ModelInternals,
  xIn: DataLike,
  yIn: DataLike,
  fn: string,
  owned: tf.Tensor[],
  names = ["x", "y"],
): PreparedXY {
  const compiled = model.compiledFor(fn);
  const x = model.prepareInputs
    ? model.prepareInputs(xIn, names[0], fn, owned)
    : toTensor(xIn, names[0], owned, safeInputShape(model));
  assertNotEmpty(x, names[0], fn);
  model.ensureBuilt(x.shape.slice(1));
  if (!model.prepareInputs) assertInputShape(x, model.batchInputShape().slice(1), fn);
  const forwardFn = model.forwardFn?.();
  if (model.prepareTargets) {
    const t = model.prepareTargets(yIn, names[1], fn, owned);
    assertSameLength(x, t.y, fn, names);
    const steps = {
      layers: model.runtimeLayers(),
      forward: forwardFn,
      loss: t.loss,
      metrics: t.metrics.map((m) => m.fn),
    };
    return { x, y: t.y, steps, names: ["loss", ...t.metrics.map((m) => m.name)] };
  }
  const outShape = model.batchOutputShape();
  const yRaw = toTensor(yIn, names[1], owned, outShape.slice(1));
  assertNotEmpty(yRaw, names[1], fn);
  assertSameLength(x, yRaw, fn, names);
  assertFinite(x, `${fn}: ${names[0]}`);
  assertFinite(yRaw, `${fn}: ${names[1]}`);
  const y = prepareLabels(yRaw, compiled.loss.kind, compiled.loss.name, outShape, fn, owned);
  const metrics = compiled.metrics.map((id) =>
    getMetric(id, { lossKind: compiled.loss.kind, yTrueShape: y.shape, yPredShape: outShape }),
  );
  return {
    x,
    y,
    steps: {
      layers: model.runtimeLayers(),
      forward: forwardFn,
      loss: compiled.loss.fn,
      metrics: metrics.map((m) => m.fn),
    },
    names: ["loss", ...metrics.map((m) => m.name)],
  };
}

function safeInputShape(model: ModelInternals): (number | null)[] | undefined {
  try {
    return model.batchInputShape().slice(1);
  } catch {
    return undefined;
  }
}

class Interrupted {
  constructor(
    readonly epoch: number,
    readonly batch: number,
  ) {}
}

export async function fit(
  model: ModelInternals,
  xIn: DataLike,
  yIn: DataLike,
  options: FitOptions = {},
): Promise<History> {
  const batchSize = positiveInteger(options.batchSize ?? 32, "fit: batchSize");
  const epochs = positiveInteger(options.epochs ?? 1, "fit: epochs");
  const initialEpoch = options.initialEpoch ?? 0;
  const verbose = normalizeVerbose(options.verbose);
  const owned: tf.Tensor[] = [];
  const token = interruptToken();
  token.active++;
  try {
    const data = prepareXY(model, xIn, yIn, "fit", owned);
    let { x, y } = data;
    let val: { x: tf.Tensor; y: tf.Tensor } | undefined;
    if (options.validationData) {
      const [xv, yv] = options.validationData;
      const v = prepareXY(model, xv, yv, "fit", owned, ["validationData[0]", "validationData[1]"]);
      val = { x: v.x, y: v.y };
    } else if (options.validationSplit) {
      const split = options.validationSplit;
      if (!(split > 0 && split < 1)) throw new Error(`fit: validationSplit must be between 0 and 1, got ${split}`);
      const n = x.shape[0];
      const at = Math.floor(n * (1 - split));
      if (at === 0 || at === n) {
        throw new Error(
          `fit: ${n} samples are too few to split with validationSplit=${split}; provide more data or another split.`,
        );
      }
      val = { x: x.slice(at, n - at), y: y.slice(at, n - at) };
      [x, y] = [x.slice(0, at), y.slice(0, at)];
      owned.push(val.x, val.y, x, y);
    }
    const n = x.shape[0];
    const stepsPerEpoch = Math.ceil(n / batchSize);
    const compiled = model.compiledFor("fit");
    const history = new History();
    const userCallbacks = options.callbacks ?? [];
    const cbs = new CallbackList([...userCallbacks, history, ...(verbose > 0 ? [new ProgbarLogger()] : [])]);
    const names = data.names;
    cbs.setModel(model);
    const shuffle = options.shuffle ?? true;
    const random = shuffle ? uniformSource() : undefined;
    const evalBatch = inferenceBatchSize(x.size / Math.max(1, n), batchSize);
    const pause = yielder();
    model.stopTraining = false;
    let interrupted: Interrupted | undefined;
    let lastLogs: Logs | undefined;

    // The compiled engine when it supports this model, else tfjs ops per batch (trainers.ts).
    const compiledTrainer = await CompiledTrainer.create(model.layersModel(), compiled, names, x, y, batchSize);
    const trainer: EpochTrainer =
      "reason" in compiledTrainer
        ? new EagerTrainer(data.steps, names, compiled.optimizer, model.trainableVariables(), x, y, evalBatch)
        : compiledTrainer;
    cbs.setParams({
      epochs,
      steps: stepsPerEpoch,
      verbose,
      samples: n,
      batchSize,
      metrics: [...names, ...(val ? names.map((k) => `val_${k}`) : [])],
      trainer: trainer.kind,
    });
    try {
      await cbs.onTrainBegin();
      for (let epoch = initialEpoch; epoch < epochs && !interrupted; epoch++) {
        await cbs.onEpochBegin(epoch);
        trainer.beginEpoch(random ? permutation(n, random) : undefined);
        try {
          for (let step = 0; step < stepsPerEpoch; step++) {
            const start = step * batchSize;
            await cbs.onTrainBatchBegin(step);
            trainer.trainBatch(start, Math.min(batchSize, n - start));
            await cbs.onTrainBatchEnd(step, trainer.batchLogs());
            await pause();
            if (token.requested) {
              token.requested = false;
              interrupted = new Interrupted(epoch + 1, step + 1);
              break;
            }
            if (model.stopTraining) break;
          }
          if (interrupted) break;
          const logs: Logs = trainer.epochLogs();
          if (val) Object.assign(logs, prefix("val_")(await trainer.validate(val.x, val.y)));
          lastLogs = logs;
          trainer.syncWeights(); // epoch-end callbacks may save, read or restore weights
          await cbs.onEpochEnd(epoch, logs);
        } finally {
          trainer.endEpoch();
        }
        if (model.stopTraining) break;
      }
    } finally {
      await trainer.end();
    }
    await cbs.onTrainEnd(lastLogs);
    if (interrupted) {
      process.stderr.write(`training interrupted at epoch ${interrupted.epoch}, batch ${interrupted.batch}\n`);
    }
    return history;
  } finally {
    token.active--;
    for (const t of owned) t.dispose();
  }
}

function prefix(p: string): (logs: Logs) => Logs {
  return (logs) => Object.fromEntries(Object.entries(logs).map(([k, v]) => [p + k, v]));
}

export async function evaluate(
  model: ModelInternals,
  xIn: DataLike,
  yIn: DataLike,
  options: EvaluateOptions = {},
): Promise<number | number[]> {
  const verbose = normalizeVerbose(options.verbose);
  const owned: tf.Tensor[] = [];
  const token = interruptToken();
  token.active++;
  try {
    const data = prepareXY(model, xIn, yIn, "evaluate", owned);
    const n = data.x.shape[0];
    const batchSize =
      options.batchSize !== undefined
        ? positiveInteger(options.batchSize, "evaluate: batchSize")
        : inferenceBatchSize(data.x.size / n);
    const steps = Math.ceil(n / batchSize);
    const cbs = new CallbackList([...(options.callbacks ?? []), ...(verbose > 0 ? [new ProgbarLogger()] : [])]);
    cbs.setModel(model);
    cbs.setParams({ epochs: 1, steps, verbose, samples: n, batchSize, metrics: data.names });
    const pause = yielder();
    await cbs.onTestBegin();
    const logs = await evaluateTensors(data.steps, data.names, data.x, data.y, batchSize, async (b, acc) => {
      await cbs.onTestBatchEnd(b, acc.lazyLogs());
      await pause();
      if (token.requested) {
        token.requested = false;
        throw new Error(`evaluate interrupted at batch ${b + 1} of ${steps}`);
      }
    });
    await cbs.onTestEnd(logs);
    const values = data.names.map((k) => logs[k]);
    return values.length === 1 ? values[0] : values;
  } finally {
    token.active--;
    for (const t of owned) t.dispose();
  }
}

export async function predict(
  model: ModelInternals,
  xIn: DataLike,
  options: PredictOptions = {},
): Promise<tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>> {
  const owned: tf.Tensor[] = [];
  const token = interruptToken();
  token.active++;
  const parts: tf.Tensor[] = [];
  try {
    const x = model.prepareInputs
      ? model.prepareInputs(xIn, "x", "predict", owned)
      : toTensor(xIn, "x", owned, safeInputShape(model));
    assertNotEmpty(x, "x", "predict");
    model.ensureBuilt(x.shape.slice(1));
    if (!model.prepareInputs) assertInputShape(x, model.batchInputShape().slice(1), "predict");
    assertFinite(x, "predict: x");
    const run = model.forwardFn?.();
    const n = x.shape[0];
    const batchSize =
      options.batchSize !== undefined
        ? positiveInteger(options.batchSize, "predict: batchSize")
        : inferenceBatchSize(x.size / n);
    const steps = Math.ceil(n / batchSize);
    const cbs = new CallbackList(options.callbacks ?? []);
    cbs.setModel(model);
    cbs.setParams({ epochs: 1, steps, verbose: normalizeVerbose(options.verbose), samples: n, batchSize });
    const layers = model.runtimeLayers();
    const pause = yielder();
    await cbs.onPredictBegin();
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const size = Math.min(batchSize, n - start);
      parts.push(
        tf.tidy(() => (run ? run(x.slice(start, size), false) : forward(layers, x.slice(start, size), false))),
      );
      await pause();
      if (token.requested) {
        token.requested = false;
        throw new Error(`predict interrupted at batch ${b + 1} of ${steps}`);
      }
    }
    await cbs.onPredictEnd();
    const out = parts.length === 1 ? parts.pop()! : tf.concat(parts, 0);
    if (!model.splitOutputs) return out;
    parts.push(out); // split copies; the joined tensor is disposed below
    return model.splitOutputs(out);
  } finally {
    token.active--;
    for (const t of [...owned, ...parts]) t.dispose();
  }
}
