/**
 * The compiled path for every built-in configuration: the eager training step (steps.ts — forward
 * pass, loss with sample weights, regularizers, tfjs' gradients, the optimizer's update, the stateful
 * metrics' update) is run once under the tracer (src/engine/trace/), which records the TensorFlow ops
 * it executes; later batches of the same size replay them as one graph in one TF_SessionRun, which
 * also returns the metrics' results (exact batch logs at no extra cost). A new layer, loss, metric or
 * optimizer written in tfjs ops therefore needs no engine code. A batch of another size (the epoch's
 * last) gets its own trace.
 *
 * What the graph cannot see is handled in optimizer-trace.ts (per-step host values, the JavaScript
 * step counter). If a step cannot be traced (it reads a tensor back to JavaScript, uses an op the graph
 * API rejects, …) training goes on eagerly and says why once.
 */
import { tf } from "../tf";
import type { Logs } from "../callbacks/callback";
import { defaultThreads, loadEngineAddon } from "../engine/native";
import { type HostRows, hostArray, hostCopy, tensorRows } from "../engine/batch-rows";
import { type TracedFunction, TracedSession } from "../engine/trace/traced-session";
import { advanceIterations, optimizerHostValues, withOptimizerHostInputs } from "./optimizer-trace";
import { type Batch, ExactLogs, type StepFunctions, type StepMetrics, resetMetrics, trainStep } from "./steps";
import { TracedBatches, gatherRows, metricResults, rowsFeed, testBatches } from "./traced-inference";
import type { EpochTrainer, EvalData } from "./trainers";

export class TracedTrainer implements EpochTrainer {
  readonly kind = "compiled";
  private readonly session: TracedSession;
  private readonly trainFns = new Map<number, TracedFunction>();
  private readonly test: TracedBatches;
  private order?: Int32Array;
  /** The metrics' results after the latest batch, as fetched with it (undefined: read them eagerly). */
  private last?: number[];
  private readonly eagerLogs: ExactLogs;
  /** Host copy of x (maybe as bytes), or undefined for a training set too large to copy (batches gathered by a tfjs op). */
  private readonly xs?: HostRows;
  private readonly ys: HostRows;
  private readonly sws?: HostRows;
  private validation?: { data: EvalData; arrays: HostRows[]; tensors: tf.Tensor[] };
  /** Set when a step could not be traced: the rest of the fit trains eagerly. */
  failure?: string;

  constructor(
    private readonly steps: StepFunctions,
    private readonly metrics: StepMetrics,
    private readonly names: string[],
    private readonly optimizer: tf.Optimizer,
    private readonly variables: tf.Variable[],
    private readonly data: EvalData,
    private readonly evalBatchSize: number,
    private readonly onFallback: (reason: string) => void,
  ) {
    const addon = loadEngineAddon();
    if (!addon) throw new Error("engine: the native addon is not built");
    this.session = new TracedSession(addon, defaultThreads());
    this.xs = hostCopy(data.x);
    this.ys = hostArray(data.y);
    this.sws = data.sampleWeight ? hostArray(data.sampleWeight) : undefined;
    this.eagerLogs = new ExactLogs(metrics, names);
    this.test = testBatches(this.session, steps, metrics);
  }

  beginEpoch(order: Int32Array | undefined): void {
    this.order = order;
    this.session.pullState();
    resetMetrics(this.metrics);
    this.last = undefined;
    this.eagerLogs.invalidate();
  }

  private batchTensors(start: number, size: number): Batch {
    const { x, y, sampleWeight: sw } = this.data;
    const xb = this.xs
      ? gatherRows(this.xs, x.shape, x.dtype, this.order, start, size)
      : tf.tensor(tensorRows(x, this.order, start, size), [size, ...x.shape.slice(1)], x.dtype);
    const yb = gatherRows(this.ys, y.shape, y.dtype, this.order, start, size);
    const swb = sw && this.sws ? gatherRows(this.sws, sw.shape, sw.dtype, this.order, start, size) : undefined;
    return [xb, yb, swb];
  }

  trainBatch(start: number, size: number): void {
    const fn = this.trainFns.get(size);
    const { x, y, sampleWeight: sw } = this.data;
    if (fn && !this.failure) {
      const feeds = [
        this.xs
          ? rowsFeed(fn, 0, this.xs, x, start, size, this.order)
          : rowsFeed(fn, 0, tensorRows(x, this.order, start, size), x, 0, size),
        rowsFeed(fn, 1, this.ys, y, start, size, this.order),
      ];
      if (sw && this.sws) feeds.push(rowsFeed(fn, 2, this.sws, sw, start, size, this.order));
      const out = this.session.run(fn, feeds, optimizerHostValues(this.optimizer, fn.hostKeys));
      advanceIterations(this.optimizer);
      this.last = out.map((a) => a[0]);
      return;
    }
    this.session.pullState();
    const batch = this.batchTensors(start, size);
    try {
      if (this.failure) {
        trainStep(this.steps, this.optimizer, this.variables, this.metrics, () => batch);
        this.last = undefined;
        this.eagerLogs.invalidate();
        return;
      }
      const inputs = batch.filter((t): t is tf.Tensor => t !== undefined);
      const traced = withOptimizerHostInputs(this.optimizer, () =>
        this.session.trace(inputs, () => {
          trainStep(this.steps, this.optimizer, this.variables, this.metrics, () => batch);
          return metricResults(this.metrics);
        }),
      );
      this.last = traced.outputs.map((t) => t.dataSync()[0]);
      tf.dispose(traced.outputs);
      if (traced.fn) this.trainFns.set(size, traced.fn);
      else if (traced.reason === "the step created new variables") {
        /* e.g. an optimizer's slots made on the first step: trace the next one */
      } else {
        this.failure = traced.reason;
        this.onFallback(traced.reason ?? "unknown");
      }
    } finally {
      tf.dispose(batch.filter((t): t is tf.Tensor => t !== undefined));
    }
  }

  private logs(): Logs {
    if (!this.last) return this.eagerLogs.lazy();
    const out: Logs = {};
    this.names.forEach((n, i) => (out[n] = this.last![i]));
    return out;
  }

  batchLogs(): Logs {
    return this.logs();
  }

  epochLogs(): Logs {
    return { ...this.logs() };
  }

  /** Keras' validation: the same metric objects, reset, then the test step over every batch. */
  async validate(data: EvalData): Promise<Logs> {
    if (this.validation?.data.x !== data.x || this.validation.data.y !== data.y) {
      const tensors = [data.x, data.y, ...(data.sampleWeight ? [data.sampleWeight] : [])];
      this.validation = { data, tensors, arrays: tensors.map(hostArray) };
    }
    const v = this.validation;
    this.session.pullState();
    resetMetrics(this.metrics);
    const n = data.x.shape[0];
    let last: number[] = [];
    for (let start = 0; start < n; start += this.evalBatchSize) {
      const size = Math.min(this.evalBatchSize, n - start);
      last = this.test.run(v.arrays, v.tensors, start, size).map((a) => a[0]);
    }
    const out: Logs = {};
    this.names.forEach((name, i) => (out[name] = last[i]));
    return out;
  }

  async syncWeights(): Promise<void> {
    this.session.pullState(); // weights, optimizer slots and metric state: every variable the graph holds
  }

  /** A callback restored weights or optimizer state on the host: the graph takes them before its next run. */
  async reloadWeights(): Promise<void> {
    this.session.hostChanged();
  }

  endEpoch(): void {
    this.order = undefined;
  }

  async end(): Promise<void> {
    this.session.pullState();
    this.validation = undefined;
  }
}
