/**
 * evaluate / predict: Keras 3's test and predict loops, in batches on the traced compiled path unless the
 * model runs the user's own code; callbacks, the progress bar and the kernel's interrupt token honoured.
 */
import { tf } from "../tf";
import { Callback, CallbackList, type Logs } from "../callbacks/callback";
import { interruptToken, TrainingInterrupted } from "../callbacks/interrupt";
import { ProgbarLogger } from "../callbacks/progbar";
import { checkOptions } from "../utils/options";
import { type DataLike, assertFinite, assertInputShape, assertNotEmpty, toTensor } from "./data";
import { forward } from "./steps";
import { evaluateTensors } from "./trainers";
import { userCode } from "./trainer-choice";
import { hostArray } from "../engine/batch-rows";
import { TracedBatches, inferenceSession } from "./traced-inference";
import { evaluateTraced } from "./traced-evaluate";
import { prepareSampleWeight } from "./weights";
import { type ModelInternals, type Verbose, normalizeVerbose } from "./types";
import {
  type PreparedXY,
  disposeMetrics,
  inferenceBatchSize,
  positiveInteger,
  prepareXY,
  safeInputShape,
  yielder,
} from "./prepare-data";

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
