/**
 * One benchmark row in its own process (so peak RSS and thread settings belong to it alone):
 *   node --import tsx bench/worker.ts '<json: {lesson, row, epochs, trainSamples, valSamples}>'
 * Prints one JSON line: per-epoch seconds, final loss/accuracy, peak RSS, tensors alive after fit.
 */
import { tf } from "../src/tf";
import { permutation, setRandomSeed, uniformSource } from "../src/random";
import { createTrainStep, stepThreads } from "../src/engine/train-step";
import { describeModel, describeOptimizer, readModelWeights, writeModelWeights } from "../src/engine/describe";
import { LESSONS, type Lesson } from "./lessons";
import { buildTfjsModel, optimizerFor } from "./tfjs-model";
import { EpochTimer, buildLibraryModel } from "./library-model";
import { gemmFloor, updateFloor } from "./floor";
import type { ThreadSettings } from "../src/engine/native";
import type { ModelSpec, OptimizerSpec } from "../src/engine/spec";
import { cpus } from "node:os";
import { makeData } from "./synthetic";

export interface WorkerJob {
  lesson: string;
  row: "tfjs" | "engine" | "lib" | "floor";
  epochs: number;
  trainSamples: number;
  valSamples: number;
  /** Forced on the row (bench --threads); else the row's own default. */
  threads?: ThreadSettings;
}

export interface WorkerResult {
  epochSeconds: number[];
  loss: number;
  accuracy: number;
  valLoss?: number;
  peakRssMB: number;
  tensorsAfterFit: number;
  /** Of those, the optimizer's state (Keras' optimizer variables, kept for the next fit). */
  optimizerTensors?: number;
  /** The training session's threads (engine and lib rows), e.g. "1/1" (intra/inter). */
  threads?: string;
  /** Floor row: seconds per epoch of the optimizer's update ops alone. */
  updateSeconds?: number;
  note?: string;
}

/** The engine's description of the lesson's model and optimizer (from a tfjs model, disposed again). */
function lessonSpecs(lesson: Lesson): { spec: ModelSpec; os: OptimizerSpec } {
  const model = buildTfjsModel(lesson);
  const spec = describeModel(model);
  const os = describeOptimizer(optimizerFor(lesson));
  model.dispose();
  if (typeof spec === "string" || typeof os === "string")
    throw new Error(`not supported: ${String(spec)} ${String(os)}`);
  return { spec, os };
}

/** The threads the library's fit would give this model (or the ones --threads forces). */
function engineThreads(spec: ModelSpec, lesson: Lesson, job: WorkerJob): ThreadSettings {
  return job.threads ?? stepThreads(spec, lesson.batchSize);
}

const threadLabel = (t: ThreadSettings) => `${t.intraOp}/${t.interOp}`;

async function runTfjs(lesson: Lesson, job: WorkerJob): Promise<WorkerResult> {
  const train = makeData(lesson, job.trainSamples, 1);
  const val = job.valSamples > 0 ? makeData(lesson, job.valSamples, 2) : undefined;
  const model = buildTfjsModel(lesson);
  const sparse = lesson.loss === "sparse_categorical_crossentropy";
  model.compile({
    optimizer: optimizerFor(lesson),
    loss: sparse ? "sparseCategoricalCrossentropy" : "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  const toTensors = (d: { x: Float32Array; y: Float32Array | Int32Array; count: number }) => [
    tf.tensor(d.x, [d.count, ...lesson.inputShape]),
    sparse ? tf.tensor(Float32Array.from(d.y), [d.count, 1]) : tf.tensor(d.y, [d.count, lesson.classes]),
  ];
  const [x, y] = toTensors(train);
  const v = val ? toTensors(val) : undefined;
  const times: number[] = [];
  let start = 0;
  const before = tf.memory().numTensors;
  const history = await model.fit(x, y, {
    batchSize: lesson.batchSize,
    epochs: job.epochs,
    shuffle: true,
    verbose: 0,
    validationData: v ? [v[0], v[1]] : undefined,
    callbacks: {
      onEpochBegin: async () => {
        start = performance.now();
      },
      onEpochEnd: async () => {
        times.push((performance.now() - start) / 1000);
      },
    },
  });
  const last = (k: string) => {
    const h = history.history[k];
    return h ? Number(h[h.length - 1]) : NaN;
  };
  const tensorsAfterFit = tf.memory().numTensors - before;
  return {
    epochSeconds: times,
    loss: last("loss"),
    accuracy: last("acc"),
    valLoss: last("val_loss"),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    tensorsAfterFit,
  };
}

async function runEngine(lesson: Lesson, job: WorkerJob): Promise<WorkerResult> {
  setRandomSeed(1234);
  const train = makeData(lesson, job.trainSamples, 1);
  const val = job.valSamples > 0 ? makeData(lesson, job.valSamples, 2) : undefined;
  const model = buildTfjsModel(lesson);
  const opt = optimizerFor(lesson);
  const spec = describeModel(model);
  const os = describeOptimizer(opt);
  if (typeof spec === "string" || typeof os === "string")
    throw new Error(`not supported: ${String(spec)} ${String(os)}`);
  const tensorsBefore = tf.memory().numTensors;
  const times: number[] = [];
  let metrics = { loss: NaN, accuracy: NaN };
  let valLoss: number | undefined;
  const random = uniformSource();
  let t0 = performance.now();
  // What fit does: compile the step, load weights, epochs (shuffle, train, validate), write weights back.
  const threads = engineThreads(spec, lesson, job);
  const step = createTrainStep(spec, os, lesson.loss, { threads });
  if (!step) throw new Error("native engine unavailable");
  step.setWeights(readModelWeights(model));
  for (let e = 0; e < job.epochs; e++) {
    if (e > 0) t0 = performance.now();
    metrics = step.trainEpoch(train.x, train.y, train.count, lesson.batchSize, permutation(train.count, random));
    if (val) valLoss = step.evaluate(val.x, val.y, val.count).loss;
    if (e === job.epochs - 1) writeModelWeights(model, step.getWeights());
    times.push((performance.now() - t0) / 1000);
  }
  return {
    epochSeconds: times,
    loss: metrics.loss,
    accuracy: metrics.accuracy,
    valLoss,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    tensorsAfterFit: tf.memory().numTensors - tensorsBefore,
    threads: threadLabel(threads),
  };
}

/** This library's Keras API: `new Sequential()`, `compile`, `fit` (whatever training path fit takes). */
async function runLibrary(lesson: Lesson, job: WorkerJob): Promise<WorkerResult> {
  setRandomSeed(1234);
  const train = makeData(lesson, job.trainSamples, 1);
  const val = job.valSamples > 0 ? makeData(lesson, job.valSamples, 2) : undefined;
  const model = buildLibraryModel(lesson);
  const sparse = lesson.loss === "sparse_categorical_crossentropy";
  const toTensors = (d: { x: Float32Array; y: Float32Array | Int32Array; count: number }): [tf.Tensor, tf.Tensor] => [
    tf.tensor(d.x, [d.count, ...lesson.inputShape]),
    sparse ? tf.tensor(d.y, [d.count], "int32") : tf.tensor(d.y, [d.count, lesson.classes]),
  ];
  const [x, y] = toTensors(train);
  const v = val ? toTensors(val) : undefined;
  const before = tf.memory().numTensors;
  const timer = new EpochTimer();
  const history = await model.fit(x, y, {
    batchSize: lesson.batchSize,
    epochs: job.epochs,
    shuffle: true,
    verbose: 0,
    validationData: v,
    callbacks: [timer],
  });
  const h = history.history as Record<string, number[]>;
  const last = (k: string) => (h[k] ? Number(h[k][h[k].length - 1]) : NaN);
  const tensorsAfterFit = tf.memory().numTensors - before;
  // Adam's m and v per weight live on in the optimizer (as Keras' optimizer variables do); `iter` is
  // a fresh scalar of getWeights.
  const state = (await model.optimizer!.getWeights()).filter((w) => w.name !== "iter");
  return {
    epochSeconds: timer.times,
    loss: last("loss"),
    accuracy: last("accuracy"),
    valLoss: last("val_loss"),
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    tensorsAfterFit,
    optimizerTensors: state.length,
    threads: threadLabel(engineThreads(lessonSpecs(lesson).spec, lesson, job)),
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2]) as WorkerJob;
  const lesson = LESSONS.find((l) => l.id === job.lesson);
  if (!lesson) throw new Error(`unknown lesson ${job.lesson}`);
  if (job.row === "floor") {
    // Seconds per epoch of the model's GEMMs/convolutions alone at its shapes, and of the optimizer's
    // update alone (bench/floor.ts); each at its best thread setting unless --threads forces one.
    const n = cpus().length;
    const settings = job.threads
      ? [job.threads]
      : [
          { intraOp: n, interOp: 1 },
          { intraOp: 1, interOp: 1 },
        ];
    const steps = Math.ceil(job.trainSamples / lesson.batchSize);
    const gemm = Math.min(
      ...settings.map((t) => {
        const f = gemmFloor(lesson, lesson.batchSize, t);
        return f.step * steps + f.inferPerSample * job.valSamples;
      }),
    );
    const { spec, os } = lessonSpecs(lesson);
    const update = Math.min(...settings.map((t) => updateFloor(spec, os, t))) * steps;
    const result: WorkerResult = {
      epochSeconds: [gemm, gemm],
      loss: NaN,
      accuracy: NaN,
      peakRssMB: 0,
      tensorsAfterFit: 0,
      updateSeconds: update,
    };
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const result =
    job.row === "tfjs"
      ? await runTfjs(lesson, job)
      : job.row === "lib"
        ? await runLibrary(lesson, job)
        : await runEngine(lesson, job);
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
