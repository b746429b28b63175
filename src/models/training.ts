/**
 * fit / evaluate / predict: Keras 3's loops written over tfjs ops (tfjs-layers' own `fit` is not used).
 * Per batch: one tf.tidy'd step, no host sync; epoch means are read back once per epoch. Callbacks,
 * History, the progress bar, `stopTraining` and the kernel's interrupt token are honoured.
 */
import { tf } from "../tf";
import { Callback, CallbackList, type Logs } from "../callbacks/callback";
import { History } from "../callbacks/history";
import { interruptToken, TrainingInterrupted } from "../callbacks/interrupt";
import { ProgbarLogger } from "../callbacks/progbar";
import { Mean } from "../metrics/reduction";
import { type Metric, get as getMetric } from "../metrics/index";
import { checkOptions } from "../utils/options";
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
import { type StepFunctions, type StepMetrics, forward } from "./steps";
import { type EpochTrainer, type EvalData, evaluateTensors } from "./trainers";
import { chooseTrainer, userCode } from "./trainer-choice";
import { TracedBatches, hostArray, inferenceSession } from "./traced-inference";
import { evaluateTraced } from "./traced-evaluate";
import { type ClassWeight, classWeightToSampleWeight, prepareSampleWeight } from "./weights";
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
  /** `[xVal, yVal]` or `[xVal, yVal, sampleWeightVal]`; overrides validationSplit. */
  validationData?: [DataLike, DataLike] | [DataLike, DataLike, DataLike];
  /** Reshuffle the training samples every epoch (default true; seeded by utils.setRandomSeed). */
  shuffle?: boolean;
  /** Weight of each class index in the loss and metrics, e.g. `{ 0: 1, 1: 5 }` (not with sampleWeight). */
  classWeight?: ClassWeight;
  /** One weight per training sample, weighting its loss and metrics. */
  sampleWeight?: DataLike;
  /** The epoch to start from (0-based, default 0): resumes a run; `epochs` stays the last epoch's index. */
  initialEpoch?: number;
  /** Validate every n-th epoch (an integer, default 1), or at the listed 1-based epochs ([1, 2, 10]). */
  validationFreq?: number | number[];
}

const FIT_OPTIONS = [
  "batchSize",
  "epochs",
  "verbose",
  "callbacks",
  "validationSplit",
  "validationData",
  "shuffle",
  "classWeight",
  "sampleWeight",
  "initialEpoch",
  "validationFreq",
];

export interface EvaluateOptions {
  /** Samples per batch; when omitted a large batch is used (the results do not depend on it). */
  batchSize?: number;
  verbose?: Verbose;
  /** One weight per sample, weighting its loss and metrics. */
  sampleWeight?: DataLike;
  callbacks?: Callback[];
  /** Return `{ loss, accuracy, … }` instead of a number or a list. */
  returnDict?: boolean;
}

const EVALUATE_OPTIONS = ["batchSize", "verbose", "sampleWeight", "callbacks", "returnDict"];

export interface PredictOptions {
  batchSize?: number;
  verbose?: Verbose;
  callbacks?: Callback[];
}

const PREDICT_OPTIONS = ["batchSize", "verbose", "callbacks"];

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
  /** Stateful metrics for these labels (loss tracker first); `owned` are disposed by the caller. */
  metrics: StepMetrics;
  ownedMetrics: Metric[];
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
    const steps = { layers: model.runtimeLayers(), forward: forwardFn, loss: t.loss, reduction: t.reduction };
    // Per-output losses and metrics are stateful metrics over the packed labels/predictions.
    const lossTracker = Mean({ name: "loss" });
    return {
      x,
      y: t.y,
      steps,
      metrics: { loss: lossTracker, compiled: t.metrics, weighted: [] },
      ownedMetrics: [lossTracker, ...t.metrics],
      names: ["loss", ...t.metrics.map((m) => m.name)],
    };
  }
  const outShape = model.batchOutputShape();
  const yRaw = toTensor(yIn, names[1], owned, outShape.slice(1));
  assertNotEmpty(yRaw, names[1], fn);
  assertSameLength(x, yRaw, fn, names);
  assertFinite(x, `${fn}: ${names[0]}`);
  assertFinite(yRaw, `${fn}: ${names[1]}`);
  const y = prepareLabels(yRaw, compiled.loss.kind, compiled.loss.name, outShape, fn, owned);
  const context = { lossKind: compiled.loss.kind, yTrueShape: y.shape, yPredShape: outShape };
  const metrics = compiled.metrics.map((id) => getMetric(id, context));
  const weighted = compiled.weightedMetrics.map((id) => getMetric(id, context));
  // Metric objects the user passed keep their state (and stay the user's); the rest are made here.
  const ownedMetrics = [
    ...metrics.filter((m, i) => m !== compiled.metrics[i]),
    ...weighted.filter((m, i) => m !== compiled.weightedMetrics[i]),
  ];
  const lossTracker = Mean({ name: "loss" });
  ownedMetrics.push(lossTracker);
  return {
    x,
    y,
    steps: {
      layers: model.runtimeLayers(),
      forward: forwardFn,
      loss: compiled.loss.fn,
      reduction: compiled.loss.reduction,
    },
    metrics: { loss: lossTracker, compiled: metrics, weighted },
    ownedMetrics,
    names: logNames(metrics, weighted),
  };
}

/** Keras 3's log keys: loss, the metrics (repeats get _1, _2…), then weighted metrics (weighted_ on a clash). */
function logNames(metrics: readonly Metric[], weighted: readonly Metric[]): string[] {
  const seen = new Map<string, number>([["loss", 1]]);
  const unique = (name: string) => {
    const count = seen.get(name);
    seen.set(name, (count ?? 0) + 1);
    return count === undefined ? name : `${name}_${count}`;
  };
  const names = ["loss", ...metrics.map((m) => unique(m.name))];
  for (const m of weighted) names.push(seen.has(m.name) ? unique(`weighted_${m.name}`) : unique(m.name));
  return names;
}

function disposeMetrics(data: PreparedXY | undefined): void {
  for (const m of data?.ownedMetrics ?? []) m.dispose();
}

/** Keras' `validation_freq` check: a positive integer or a list of 1-based epochs. */
function validationSchedule(freq: number | number[] | undefined): (epoch: number) => boolean {
  if (freq === undefined) return () => true;
  if (typeof freq === "number") {
    positiveInteger(freq, "fit: validationFreq");
    return (epoch) => (epoch + 1) % freq === 0;
  }
  if (Array.isArray(freq) && freq.every((e) => Number.isInteger(e))) return (epoch) => freq.includes(epoch + 1);
  throw new Error(
    `Expected \`validation_freq\` to be a list or int. Received: validation_freq=${JSON.stringify(freq)} of the type ${typeof freq}.`,
  );
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
  fitOptions: FitOptions = {},
): Promise<History> {
  const options = checkOptions("fit", fitOptions, FIT_OPTIONS);
  const batchSize = positiveInteger(options.batchSize ?? 32, "fit: batchSize");
  const epochs = positiveInteger(options.epochs ?? 1, "fit: epochs");
  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) {
    throw new Error(`fit: initialEpoch must be an integer >= 0, got ${initialEpoch}`);
  }
  const shouldValidate = validationSchedule(options.validationFreq);
  if (options.sampleWeight !== undefined && options.classWeight !== undefined) {
    throw new Error("You cannot `class_weight` and `sample_weight` at the same time.");
  }
  const verbose = normalizeVerbose(options.verbose);
  const owned: tf.Tensor[] = [];
  const token = interruptToken();
  token.active++;
  let data: PreparedXY | undefined;
  let valData: PreparedXY | undefined;
  try {
    data = prepareXY(model, xIn, yIn, "fit", owned);
    let { x, y } = data;
    const n0 = x.shape[0];
    let sw: tf.Tensor | undefined;
    if (options.sampleWeight !== undefined)
      sw = prepareSampleWeight(options.sampleWeight, n0, "sampleWeight", "fit", owned);
    if (options.classWeight !== undefined) sw = classWeightToSampleWeight(y, options.classWeight, owned);
    let val: EvalData | undefined;
    if (options.validationData) {
      const vd = options.validationData;
      if (!Array.isArray(vd) || vd.length < 2 || vd.length > 3) {
        throw new Error("fit: validationData must be [xVal, yVal] or [xVal, yVal, sampleWeightVal]");
      }
      valData = prepareXY(model, vd[0], vd[1], "fit", owned, ["validationData[0]", "validationData[1]"]);
      val = { x: valData.x, y: valData.y };
      if (vd.length === 3 && vd[2] !== undefined && vd[2] !== null) {
        val.sampleWeight = prepareSampleWeight(vd[2], val.x.shape[0], "validationData[2]", "fit", owned);
      }
    } else if (options.validationSplit) {
      const split = options.validationSplit;
      if (!(split > 0 && split < 1)) throw new Error(`fit: validationSplit must be between 0 and 1, got ${split}`);
      const at = Math.floor(n0 * (1 - split));
      if (at === 0 || at === n0) {
        throw new Error(
          `fit: ${n0} samples are too few to split with validationSplit=${split}; provide more data or another split.`,
        );
      }
      val = { x: x.slice(at, n0 - at), y: y.slice(at, n0 - at), sampleWeight: sw?.slice(at, n0 - at) };
      [x, y] = [x.slice(0, at), y.slice(0, at)];
      owned.push(val.x, val.y, x, y);
      if (sw) {
        owned.push(val.sampleWeight!);
        sw = sw.slice(0, at);
        owned.push(sw);
      }
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

    // The compiled path (hand-tuned or traced graph), or tfjs ops per batch for the user's own code.
    const trainer: EpochTrainer = await chooseTrainer({
      tfModel: model.layersModel(),
      compiled,
      steps: data.steps,
      metrics: data.metrics,
      names,
      variables: model.trainableVariables(),
      data: { x, y, sampleWeight: sw },
      batchSize,
      evalBatchSize: evalBatch,
      weighted: sw !== undefined || val?.sampleWeight !== undefined,
      callbacks: userCallbacks,
    });
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
      model.initialEpoch = undefined;
      await cbs.onTrainBegin();
      let firstEpoch = initialEpoch;
      if (model.initialEpoch !== undefined) {
        // A callback restored a backup (BackupAndRestore): resume after its last finished epoch.
        firstEpoch = model.initialEpoch;
        model.initialEpoch = undefined;
        await trainer.reloadWeights();
      }
      for (let epoch = firstEpoch; epoch < epochs && !interrupted; epoch++) {
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
          if (val && shouldValidate(epoch)) Object.assign(logs, prefix("val_")(await trainer.validate(val)));
          lastLogs = logs;
          await trainer.syncWeights(); // epoch-end callbacks may save, read or restore weights
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
    if (interrupted) throw new TrainingInterrupted(interrupted.epoch, interrupted.batch, history);
    return history;
  } finally {
    token.active--;
    disposeMetrics(data);
    disposeMetrics(valData);
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
  evaluateOptions: EvaluateOptions = {},
): Promise<number | number[] | Logs> {
  const options = checkOptions("evaluate", evaluateOptions, EVALUATE_OPTIONS);
  const verbose = normalizeVerbose(options.verbose);
  const owned: tf.Tensor[] = [];
  const token = interruptToken();
  token.active++;
  let data: PreparedXY | undefined;
  try {
    data = prepareXY(model, xIn, yIn, "evaluate", owned);
    const n = data.x.shape[0];
    const sampleWeight =
      options.sampleWeight === undefined
        ? undefined
        : prepareSampleWeight(options.sampleWeight, n, "sampleWeight", "evaluate", owned);
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
    const evalData = { x: data.x, y: data.y, sampleWeight };
    const onBatch = async (b: number, l: Logs) => {
      await cbs.onTestBatchEnd(b, l);
      await pause();
      if (token.requested) {
        token.requested = false;
        throw new TrainingInterrupted(0, b + 1, undefined, `evaluate (${steps} batches)`);
      }
    };
    // The compiled path (traced test step) unless the model runs the user's own code.
    const session = userCode(model.compiledFor("evaluate"), data.steps.layers) ? undefined : inferenceSession();
    const logs = session
      ? await evaluateTraced(session, data.steps, data.metrics, data.names, evalData, batchSize, onBatch)
      : await evaluateTensors(data.steps, data.metrics, data.names, evalData, batchSize, onBatch);
    await cbs.onTestEnd(logs);
    if (options.returnDict) return logs;
    const values = data.names.map((k) => logs[k]);
    return values.length === 1 ? values[0] : values;
  } finally {
    token.active--;
    disposeMetrics(data);
    for (const t of owned) t.dispose();
  }
}

export async function predict(
  model: ModelInternals,
  xIn: DataLike,
  predictOptions: PredictOptions = {},
): Promise<tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>> {
  const options = checkOptions("predict", predictOptions, PREDICT_OPTIONS);
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
    // A functional model's own forward pass (packed outputs) runs eagerly here.
    const session =
      run || layers.some((l) => (l as unknown as { isUserCode?: boolean }).isUserCode) ? undefined : inferenceSession();
    const traced = session
      ? new TracedBatches(session, ([xb]) => [tf.tidy(() => forward(layers, xb, false))])
      : undefined;
    const xs = traced ? hostArray(x) : undefined;
    const outShape = model.batchOutputShape().slice(1) as number[];
    for (let start = 0, b = 0; start < n; start += batchSize, b++) {
      const size = Math.min(batchSize, n - start);
      if (traced && xs) {
        const [values] = traced.run([xs], [x], start, size);
        parts.push(tf.tensor(values as Float32Array, [size, ...outShape]));
      } else
        parts.push(
          tf.tidy(() => (run ? run(x.slice(start, size), false) : forward(layers, x.slice(start, size), false))),
        );
      await pause();
      if (token.requested) {
        token.requested = false;
        throw new TrainingInterrupted(0, b + 1, undefined, `predict (${steps} batches)`);
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
