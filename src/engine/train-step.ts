/**
 * `createTrainStep(model, optimizer, loss)`: a compiled training step for a Sequential model. One
 * `TF_SessionRun` per batch runs forward, loss, backward, optimizer and BN updates and accumulates the
 * epoch's loss and accuracy inside the graph — no per-batch host sync, no tensors created in tfjs.
 * Weights move between the host and the graph only on `setWeights` / `getWeights` (e.g. at the start
 * and end of `fit`). Validation and prediction run the inference graph in large batches.
 */
import { nextSeed } from "../random";
import { buildGraph, type BuiltGraph, hasFusedDropout } from "./build";
import { GraphBuilder, GraphSession, type GraphVariable } from "./graph";
import { DT, type Feed, defaultThreads, loadEngineAddon, type ThreadSettings } from "./native";
import { type LossSpec, type ModelSpec, type OptimizerSpec, forwardMacs, inferShapes } from "./spec";

export interface TrainStepOptions {
  /** Threads of the step's session; default: `defaultThreads` for the step's size (see `batchSize`). */
  threads?: ThreadSettings;
  /** The batch size fit will use: a small step asks for one thread (native.ts, SMALL_STEP_MACS). */
  batchSize?: number;
  /** Batch size for evaluate/predict (default 2048; the results do not depend on it). */
  inferenceBatchSize?: number;
  /** Use the fused dropout op when the addon has it (default true); false builds dropout from TF's ops. */
  fusedDropout?: boolean;
}

export interface EpochMetrics {
  loss: number;
  accuracy: number;
  samples: number;
}

/** Labels: one-hot rows (categorical) as Float32Array, or class indices (sparse) as Int32Array. */
export type Labels = Float32Array | Int32Array;

export class CompiledTrainStep {
  readonly spec: ModelSpec;
  readonly loss: LossSpec;
  private readonly built: BuiltGraph;
  /** The step's session (exposed for profiling: `session.tracing = true`, then `session.traces`). */
  readonly session: GraphSession;
  private readonly rowSize: number;
  private readonly classes: number;
  private readonly inferenceBatch: number;
  private iterationCount = 0;

  constructor(spec: ModelSpec, optimizer: OptimizerSpec, loss: LossSpec, options: TrainStepOptions = {}) {
    const addon = loadEngineAddon();
    if (!addon) throw new Error("engine: the native addon is not built (run `node scripts/setup/engine-native.mjs`)");
    this.spec = spec;
    this.loss = loss;
    const g = new GraphBuilder(addon);
    this.built = buildGraph(
      g,
      spec,
      optimizer,
      loss,
      // Without a global seed every dropout layer still needs its own seed (the fused op's masks are a
      // function of it): draw one.
      () => nextSeed() ?? Math.floor(Math.random() * 2 ** 31),
      options.fusedDropout !== false && hasFusedDropout(g),
    );
    this.session = new GraphSession(g, options.threads ?? stepThreads(spec, options.batchSize));
    this.rowSize = spec.inputShape.reduce((a, b) => a * b, 1);
    const { shapes } = inferShapes(spec);
    this.classes = shapes[shapes.length - 1][0];
    this.inferenceBatch = options.inferenceBatchSize ?? 2048;
    // Slots and counters start at zero, as a fresh Keras optimizer's.
    const zeros = new Map<GraphVariable, Float32Array | Int32Array>();
    for (const v of [...this.built.slots.flat(), this.built.iterations]) {
      zeros.set(v, new Float32Array(v.shape.reduce((a, b) => a * b, 1)));
    }
    if (this.built.dropoutStep) zeros.set(this.built.dropoutStep, Int32Array.of(0));
    zeros.set(this.built.learningRate, Float32Array.of(optimizer.learningRate));
    this.session.setVariables(zeros);
  }

  /** Shapes of the model's weights, Keras order. */
  get weightShapes(): number[][] {
    return this.built.weights.map((w) => w.shape);
  }

  /** Loads the model's weights (Keras order: kernel, bias, …, gamma, beta, moving mean, moving variance). */
  setWeights(values: Float32Array[]): void {
    this.session.setVariables(new Map(this.built.weights.map((w, i) => [w, values[i]])));
  }

  getWeights(): Float32Array[] {
    return this.session.getVariables(this.built.weights);
  }

  /** Optimizer state: the step count, then each trainable weight's slots (Adam: m, v[, vhat]; SGD momentum: m). */
  getOptimizerState(): { iterations: number; slots: Float32Array[][] } {
    const flat = this.session.getVariables(this.built.slots.flat());
    const per = this.built.slots.length === 0 ? 0 : this.built.slots[0].length;
    return {
      iterations: this.iterationCount,
      slots: this.built.slots.map((_, i) => flat.slice(i * per, (i + 1) * per)),
    };
  }

  setOptimizerState(state: { iterations: number; slots?: Float32Array[][] }): void {
    const m = new Map<GraphVariable, Float32Array>([[this.built.iterations, Float32Array.of(state.iterations)]]);
    state.slots?.forEach((s, i) => s.forEach((v, j) => m.set(this.built.slots[i][j], v)));
    this.session.setVariables(m);
    this.iterationCount = state.iterations;
  }

  get iterations(): number {
    return this.iterationCount;
  }

  set learningRate(lr: number) {
    this.session.setVariables(new Map([[this.built.learningRate, Float32Array.of(lr)]]));
  }

  /** Running sums since `resetMetrics`: loss sum, correct count, samples (each step fetches its batch's). */
  private sums = [0, 0, 0];

  resetMetrics(): void {
    this.sums = [0, 0, 0];
  }

  /** Mean loss and accuracy over the batches since the last `resetMetrics` (Keras' running epoch logs). */
  readMetrics(): EpochMetrics {
    const [l, c, n] = this.sums;
    return { loss: n > 0 ? l / n : NaN, accuracy: n > 0 ? c / n : NaN, samples: n };
  }

  private runStep(feeds: Feed[]): void {
    const out = this.session.run(feeds, this.built.batchMetrics, [this.built.train]);
    out.forEach((v, i) => (this.sums[i] += v[0]));
    this.iterationCount++;
  }

  private labelFeed(y: Labels, rows: number): Feed {
    return this.loss === "sparse_categorical_crossentropy"
      ? [this.built.y[0], 0, DT.int32, [rows], y]
      : [this.built.y[0], 0, DT.float32, [rows, this.classes], y];
  }

  /** One step on a batch already laid out row-major (x: rows × inputSize). */
  trainBatch(x: Float32Array | Uint8Array, y: Labels, rows: number): void {
    this.runStep([[this.built.x[0], 0, DT.float32, [rows, ...this.spec.inputShape], x], this.labelFeed(y, rows)]);
  }

  /**
   * One step on rows start..start+rows of (x, y), taken in `order` when given: the addon copies each
   * row straight into TensorFlow's batch tensor (contiguous rows are fed as a view, no copy in JS).
   */
  trainRows(x: Float32Array | Uint8Array, y: Labels, start: number, rows: number, order?: Int32Array): void {
    if (!order) {
      const [xb, yb] = this.slice(x, y, start, rows);
      this.trainBatch(xb, yb, rows);
      return;
    }
    const sparse = this.loss === "sparse_categorical_crossentropy";
    this.runStep([
      [this.built.x[0], 0, DT.float32, [rows, ...this.spec.inputShape], x, order, start],
      sparse
        ? [this.built.y[0], 0, DT.int32, [rows], y, order, start]
        : [this.built.y[0], 0, DT.float32, [rows, this.classes], y, order, start],
    ]);
  }

  /**
   * One epoch over `count` samples of (x, y), in `order` (a permutation, or undefined for 0..count-1),
   * `batchSize` rows per step (the last batch may be smaller, as in Keras). Resets and returns the metrics.
   * `onBatch(i)` runs after each step (for callbacks; reading metrics there costs one small fetch).
   */
  trainEpoch(
    x: Float32Array,
    y: Labels,
    count: number,
    batchSize: number,
    order?: Int32Array,
    onBatch?: (batch: number) => void,
  ): EpochMetrics {
    this.resetMetrics();
    const steps = Math.ceil(count / batchSize);
    for (let b = 0; b < steps; b++) {
      const start = b * batchSize;
      const rows = Math.min(batchSize, count - start);
      this.trainRows(x, y, start, rows, order);
      onBatch?.(b);
    }
    return this.readMetrics();
  }

  /** Loss and accuracy in inference mode (dropout off, BN moving statistics), in large batches. */
  evaluate(x: Float32Array, y: Labels, count: number): EpochMetrics {
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < count; start += this.inferenceBatch) {
      const rows = Math.min(this.inferenceBatch, count - start);
      const [xb, yb] = this.slice(x, y, start, rows);
      const [l, c] = this.session.run(
        [[this.built.x[0], 0, DT.float32, [rows, ...this.spec.inputShape], xb], this.labelFeed(yb, rows)],
        [this.built.evalLossSum, this.built.evalCorrect],
      );
      lossSum += l[0];
      correct += c[0];
    }
    return { loss: lossSum / count, accuracy: correct / count, samples: count };
  }

  /** Softmax outputs (count × classes), inference mode. */
  predict(x: Float32Array, count: number): Float32Array {
    const out = new Float32Array(count * this.classes);
    for (let start = 0; start < count; start += this.inferenceBatch) {
      const rows = Math.min(this.inferenceBatch, count - start);
      const xb = x.subarray(start * this.rowSize, (start + rows) * this.rowSize);
      const [p] = this.session.run(
        [[this.built.x[0], 0, DT.float32, [rows, ...this.spec.inputShape], xb]],
        [this.built.probs],
      );
      out.set(p as Float32Array, start * this.classes);
    }
    return out;
  }

  private labelWidth(): number {
    return this.loss === "sparse_categorical_crossentropy" ? 1 : this.classes;
  }

  private slice(
    x: Float32Array | Uint8Array,
    y: Labels,
    start: number,
    rows: number,
  ): [Float32Array | Uint8Array, Labels] {
    const w = this.labelWidth();
    return [x.subarray(start * this.rowSize, (start + rows) * this.rowSize), y.subarray(start * w, (start + rows) * w)];
  }
}

/** The session threads `defaultThreads` picks for this model at this batch size. */
export function stepThreads(spec: ModelSpec, batchSize?: number): ThreadSettings {
  return defaultThreads(batchSize === undefined ? undefined : forwardMacs(spec) * batchSize);
}

/**
 * A compiled step for the model, or undefined when the native engine is unavailable (the caller then
 * trains eagerly). Throws, naming the reason, for a spec the graph builder cannot take (e.g. a model
 * that does not end in a softmax); `createEngineFit` turns that into `{ reason }`.
 */
export function createTrainStep(
  spec: ModelSpec,
  optimizer: OptimizerSpec,
  loss: LossSpec,
  options: TrainStepOptions = {},
): CompiledTrainStep | undefined {
  if (!loadEngineAddon()) return undefined;
  return new CompiledTrainStep(spec, optimizer, loss, options);
}
