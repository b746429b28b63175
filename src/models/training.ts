/**
 * fit: Keras 3's training loop written over tfjs ops (tfjs-layers' own `fit` is not used). The trainer
 * (trainer-choice.ts) runs each batch on the compiled path or eagerly; this loop owns epochs, validation,
 * callbacks, History, the progress bar, `stopTraining` and the kernel's interrupt token.
 */
import { tf } from "../tf";
import { Callback, CallbackList, type Logs } from "../callbacks/callback";
import { History } from "../callbacks/history";
import { interruptToken, TrainingInterrupted } from "../callbacks/interrupt";
import { ProgbarLogger } from "../callbacks/progbar";
import { checkOptions } from "../utils/options";
import { permutation, uniformSource } from "../random";
import { type DataLike } from "./data";
import { type EpochTrainer, type EvalData } from "./trainers";
import { chooseTrainer } from "./trainer-choice";
import { type ClassWeight, classWeightToSampleWeight, prepareSampleWeight } from "./weights";
import { type ModelInternals, type Verbose, normalizeVerbose } from "./types";
import {
  type PreparedXY,
  disposeMetrics,
  inferenceBatchSize,
  positiveInteger,
  prepareXY,
  yielder,
} from "./prepare-data";

export { evaluate, predict, type EvaluateOptions, type PredictOptions } from "./inference";

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
