/**
 * The compiled path for every built-in configuration: the eager training step (steps.ts — forward
 * pass, loss, regularizers, tfjs' gradients, the optimizer's update) is run once under the tracer
 * (src/engine/trace/), which records the TensorFlow ops it executes; later batches of the same size
 * replay them as one graph in one TF_SessionRun. A new layer, loss, metric or optimizer written in
 * tfjs ops therefore needs no engine code. A batch of another size (the epoch's last) gets its own trace.
 *
 * What the graph cannot see is handled here: the optimizer's per-step host values (learning rate,
 * bias corrections, computed in `stepContext` from the step number) are fed on every run; its
 * JavaScript step counter is advanced after each run. If a step cannot be traced (it reads a tensor
 * back to JavaScript, uses an op the graph API rejects, …) training goes on eagerly and says why once.
 */
import { tf } from "../tf";
import type { Logs } from "../callbacks/callback";
import { type Feed, defaultThreads, loadEngineAddon } from "../engine/native";
import { keepsHostCopy, tensorRows } from "../engine/batch-rows";
import { advanceIterations, optimizerHostValues, withOptimizerHostInputs } from "./optimizer-trace";
import { type TracedFunction, TracedSession } from "../engine/trace/traced-session";
import { type StepFunctions, testStep, trainStep } from "./steps";
import { type HostArray, TracedBatches, gatherRows, hostArray, rowsFeed } from "./traced-inference";
import type { EpochTrainer } from "./trainers";

export class TracedTrainer implements EpochTrainer {
  readonly kind = "compiled";
  private readonly session: TracedSession;
  private readonly trainFns = new Map<number, TracedFunction>();
  private readonly test: TracedBatches;
  private order?: Int32Array;
  private sums: number[];
  private count = 0;
  /** Host copy of x, or undefined for a training set too large to copy (batches gathered by a tfjs op). */
  private readonly xs?: HostArray;
  private readonly ys: HostArray;
  private validation?: { x: tf.Tensor; y: tf.Tensor; xs: HostArray; ys: HostArray };
  /** Set when a step could not be traced: the rest of the fit trains eagerly. */
  failure?: string;

  constructor(
    private readonly steps: StepFunctions,
    private readonly names: string[],
    private readonly optimizer: tf.Optimizer,
    private readonly variables: tf.Variable[],
    private readonly x: tf.Tensor,
    private readonly y: tf.Tensor,
    private readonly evalBatchSize: number,
    private readonly onFallback: (reason: string) => void,
  ) {
    const addon = loadEngineAddon();
    if (!addon) throw new Error("engine: the native addon is not built");
    this.session = new TracedSession(addon, defaultThreads());
    this.sums = names.map(() => 0);
    this.xs = keepsHostCopy(x) ? hostArray(x) : undefined;
    this.ys = hostArray(y);
    this.test = new TracedBatches(this.session, ([xb, yb]) => testStep(this.steps, () => [xb, yb]));
  }

  beginEpoch(order: Int32Array | undefined): void {
    this.order = order;
    this.sums = this.names.map(() => 0);
    this.count = 0;
  }

  private push(values: number[], size: number): void {
    values.forEach((v, i) => (this.sums[i] += v * size));
    this.count += size;
  }

  private withHostInputs<T>(fn: () => T): T {
    return withOptimizerHostInputs(this.optimizer, fn);
  }

  private hostValues(fn: TracedFunction): number[] {
    return optimizerHostValues(this.optimizer, fn.hostKeys);
  }

  trainBatch(start: number, size: number): void {
    const fn = this.trainFns.get(size);
    if (fn && !this.failure) {
      const feeds: Feed[] = [
        this.xs
          ? rowsFeed(fn, 0, this.xs, this.x, start, size, this.order)
          : rowsFeed(fn, 0, tensorRows(this.x, this.order, start, size), this.x, 0, size),
        rowsFeed(fn, 1, this.ys, this.y, start, size, this.order),
      ];
      const out = this.session.run(fn, feeds, this.hostValues(fn));
      advanceIterations(this.optimizer);
      this.push(
        out.map((a) => a[0]),
        size,
      );
      return;
    }
    this.session.pullState();
    const xb = this.xs
      ? gatherRows(this.xs, this.x.shape, this.x.dtype, this.order, start, size)
      : tf.tensor(tensorRows(this.x, this.order, start, size), [size, ...this.x.shape.slice(1)], this.x.dtype);
    const yb = gatherRows(this.ys, this.y.shape, this.y.dtype, this.order, start, size);
    try {
      if (this.failure) {
        const values = trainStep(this.steps, this.optimizer, this.variables, () => [xb, yb]);
        this.push(
          values.map((v) => v.dataSync()[0]),
          size,
        );
        tf.dispose(values);
        return;
      }
      const traced = this.withHostInputs(() =>
        this.session.trace([xb, yb], () => trainStep(this.steps, this.optimizer, this.variables, () => [xb, yb])),
      );
      this.push(
        traced.outputs.map((v) => v.dataSync()[0]),
        size,
      );
      tf.dispose(traced.outputs);
      if (traced.fn) this.trainFns.set(size, traced.fn);
      else if (traced.reason === "the step created new variables") {
        /* slots made on the first step: trace the next one */
      } else {
        this.failure = traced.reason;
        this.onFallback(traced.reason ?? "unknown");
      }
    } finally {
      xb.dispose();
      yb.dispose();
    }
  }

  batchLogs(): Logs {
    return this.epochLogs();
  }

  epochLogs(): Logs {
    const out: Logs = {};
    this.names.forEach((n, i) => (out[n] = this.count > 0 ? this.sums[i] / this.count : NaN));
    return out;
  }

  async validate(x: tf.Tensor, y: tf.Tensor): Promise<Logs> {
    if (this.validation?.x !== x || this.validation.y !== y)
      this.validation = { x, y, xs: hostArray(x), ys: hostArray(y) };
    const v = this.validation;
    const n = x.shape[0];
    const sums = this.names.map(() => 0);
    for (let start = 0; start < n; start += this.evalBatchSize) {
      const size = Math.min(this.evalBatchSize, n - start);
      const values = this.test.run([v.xs, v.ys], [x, y], start, size);
      values.forEach((val, i) => (sums[i] += val[0] * size));
    }
    const out: Logs = {};
    this.names.forEach((name, i) => (out[name] = sums[i] / n));
    return out;
  }

  syncWeights(): void {
    this.session.pullState();
  }

  endEpoch(): void {
    this.order = undefined;
  }

  async end(): Promise<void> {
    this.session.pullState();
    this.validation = undefined;
  }
}
