/**
 * Inference on the compiled path: the test step (loss and metrics in inference mode) and the forward
 * pass of predict, traced once per batch size into a TracedSession (src/engine/trace) and replayed as
 * graphs. Used by fit's validation, `evaluate` and `predict`. Falls back to the eager functions when a
 * trace cannot stand for the call (the reason is kept in `failure`).
 */
import { tf } from "../tf";
import type { HostRows } from "../engine/batch-rows";
import { DT, type Feed, defaultThreads, loadEngineAddon } from "../engine/native";
import { type TracedFunction, TracedSession } from "../engine/trace/traced-session";
import { type Batch, type StepFunctions, type StepMetrics, allMetrics, testStep } from "./steps";

/** Rows order[start..start+size) (or start..start+size) of a row-major array, as a tensor. */
export function gatherRows(
  data: HostRows,
  shape: number[],
  dtype: tf.DataType,
  order: Int32Array | undefined,
  start: number,
  size: number,
): tf.Tensor {
  const row = shape.slice(1).reduce((a, b) => a * b, 1);
  const out = data instanceof Int32Array ? new Int32Array(size * row) : new Float32Array(size * row); // widens bytes
  for (let i = 0; i < size; i++) {
    const r = order ? order[start + i] : start + i;
    out.set(data.subarray(r * row, (r + 1) * row), i * row);
  }
  return tf.tensor(out, [size, ...shape.slice(1)], dtype);
}

const DTYPE: Record<string, number> = { float32: DT.float32, int32: DT.int32 };

/** A feed of rows of `data` (a host copy of `t`) for placeholder `i` of `fn`. */
export function rowsFeed(
  fn: TracedFunction,
  i: number,
  data: HostRows,
  t: tf.Tensor,
  start: number,
  size: number,
  order?: Int32Array,
): Feed {
  const p = fn.placeholders[i];
  const dims = [size, ...t.shape.slice(1)];
  const dtype = DTYPE[t.dtype];
  if (order) return [p[0], p[1], dtype, dims, data, order, start];
  const row = dims.slice(1).reduce((a, b) => a * b, 1);
  return [p[0], p[1], dtype, dims, data.subarray(start * row, (start + size) * row)];
}

/**
 * A function of batches of some host arrays (x, or x and y), compiled per batch size. `eager(tensors)`
 * is the eager computation; it returns the tensors to fetch (kept; the caller's tidy does not own them).
 */
export class TracedBatches {
  private readonly fns = new Map<number, TracedFunction>();
  failure?: string;

  constructor(
    readonly session: TracedSession,
    private readonly eager: (batch: tf.Tensor[]) => tf.Tensor[],
  ) {}

  /** Runs the function on rows start..start+size of `arrays` (host copies of `tensors`); returns host values. */
  run(
    arrays: HostRows[],
    tensors: tf.Tensor[],
    start: number,
    size: number,
  ): (Float32Array | Int32Array | Uint8Array)[] {
    const fn = this.fns.get(size);
    if (fn && !this.failure) {
      return this.session.run(
        fn,
        arrays.map((a, i) => rowsFeed(fn, i, a, tensors[i], start, size)),
        [],
      );
    }
    this.session.pullState();
    const batch = arrays.map((a, i) => gatherRows(a, tensors[i].shape, tensors[i].dtype, undefined, start, size));
    try {
      let outputs: tf.Tensor[];
      if (this.failure) outputs = this.eager(batch);
      else {
        const traced = this.session.trace(batch, () => this.eager(batch));
        outputs = traced.outputs;
        if (traced.fn) this.fns.set(size, traced.fn);
        else this.failure = traced.reason;
      }
      const values = outputs.map((t) => t.dataSync() as Float32Array | Int32Array | Uint8Array);
      tf.dispose(outputs);
      return values;
    } finally {
      tf.dispose(batch);
    }
  }
}

/** A session for inference, or undefined when the compiled path is off (no addon, TSLAB_KERAS_ENGINE=eager). */
export function inferenceSession(): TracedSession | undefined {
  if (process.env.TSLAB_KERAS_ENGINE === "eager") return undefined;
  const addon = loadEngineAddon();
  return addon ? new TracedSession(addon, defaultThreads()) : undefined;
}

/**
 * Every metric's result as a float32 scalar, in log order (what a traced step returns, so each run
 * fetches exact logs). Each result must be one number, as fit and evaluate log them.
 */
export function metricResults(metrics: StepMetrics): tf.Tensor[] {
  return tf.tidy(() =>
    allMetrics(metrics).map((metric) => {
      const r = metric.result();
      if (r.size !== 1) {
        throw new Error(
          `metric '${metric.name}' returns ${r.size} values (shape [${r.shape.join(", ")}]); fit and evaluate log one number per metric — give it a single threshold`,
        );
      }
      return tf.reshape(tf.cast(r, "float32"), []);
    }),
  );
}

/** The test step over batches [x, y(, sampleWeight)], returning the metrics' running results. */
export function testBatches(session: TracedSession, steps: StepFunctions, metrics: StepMetrics): TracedBatches {
  return new TracedBatches(session, (batch) => {
    testStep(steps, metrics, () => batch as Batch);
    return metricResults(metrics);
  });
}
