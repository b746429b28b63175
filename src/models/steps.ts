/**
 * The computations of one batch: the forward pass (tfjs-layers' `call` per layer, with Dropout masks
 * and activity regularizers handled here), the training step (one `tf.tidy`, gradients of the batch
 * loss plus every regularization penalty, applied by the optimizer, then the stateful metrics
 * updated) and the test step. The steps read nothing back from the device.
 */
import { tf } from "../tf";
import { type Layer, applyRegularizer, getExtras, setExtras } from "../layers/extras";
import { type LossFn, type Reduction, reduceWeightedValues } from "../losses/index";
import type { Metric } from "../metrics/metric";
import * as randomOps from "../backend/random";
import { registerActivationGradients } from "../backend/activation-grads";

registerActivationGradients(); // the training step's gradients: one TensorFlow kernel per activation

/** A Dropout layer's seed, drawn once from its random source: its masks are a function of (seed, step). */
function dropoutSeed(layer: Layer): number {
  const extras = getExtras(layer);
  if (extras?.dropoutSeed === undefined) {
    const random = extras?.dropoutRandom ?? Math.random;
    setExtras(layer, { dropoutSeed: Math.floor(random() * 2147483647) });
  }
  return getExtras(layer)!.dropoutSeed!;
}

/** Runs `layers` on `x`; activity penalties (if a list is given) are appended to `penalties`. */
export function forward(layers: readonly Layer[], x: tf.Tensor, training: boolean, penalties?: tf.Scalar[]): tf.Tensor {
  let h = x;
  let mask: tf.Tensor | undefined;
  for (const layer of layers) {
    const input = h;
    h = applyLayer(layer, h, training, penalties, mask) as tf.Tensor;
    if (layer.getClassName() !== "Dropout") mask = nextMask(layer, input, mask);
  }
  return h;
}

/**
 * One layer of the forward pass: tfjs-layers' `call`, except Dropout (masks drawn here from the layer's seeded
 * stream); the activity penalty is appended to `penalties`. Functional models run their graph through this too.
 */
export function applyLayer(
  layer: Layer,
  h: tf.Tensor | tf.Tensor[],
  training: boolean,
  penalties?: tf.Scalar[],
  mask?: tf.Tensor,
): tf.Tensor | tf.Tensor[] {
  const extras = getExtras(layer);
  if (layer.getClassName() === "Dropout") {
    const { rate, noiseShape } = layer as unknown as { rate: number; noiseShape?: number[] };
    if (!training || rate <= 0) return h;
    return randomOps.dropout(h as tf.Tensor, rate, dropoutSeed(layer), noiseShape ?? undefined);
  }
  const out = layer.call(h, mask ? { training, mask } : { training }) as tf.Tensor | tf.Tensor[];
  if (penalties && extras?.activityRegularizer && !Array.isArray(out))
    penalties.push(applyRegularizer(extras.activityRegularizer, out));
  return out;
}

/** tfjs layers that pass a mask on unchanged in Keras 3 (tfjs does not mark them as supporting masks). */
const MASK_PASSTHROUGH = new Set(["Dense", "Activation", "BatchNormalization", "LayerNormalization"]);

/**
 * The mask the next layer receives (Embedding with `maskZero` makes one; layers that support masking
 * pass it on or transform it; any other layer drops it, as in Keras).
 */
export function nextMask(layer: Layer, input: tf.Tensor, mask: tf.Tensor | undefined): tf.Tensor | undefined {
  const cls = layer.getClassName();
  if (MASK_PASSTHROUGH.has(cls)) return mask;
  if (!layer.supportsMasking && !(cls === "Embedding" && mask === undefined)) return undefined;
  const m = layer.computeMask(input, mask) as tf.Tensor | tf.Tensor[] | null;
  return (Array.isArray(m) ? m[0] : m) ?? undefined;
}

/** Kernel and bias regularizer penalties of every layer, for the current weights. */
export function weightPenalties(layers: readonly Layer[]): tf.Scalar[] {
  const out: tf.Scalar[] = [];
  for (const layer of layers) {
    const extras = getExtras(layer);
    if (!extras) continue;
    const w = layer as unknown as { kernel?: { read(): tf.Tensor }; bias?: { read(): tf.Tensor } };
    if (extras.kernelRegularizer && w.kernel) out.push(applyRegularizer(extras.kernelRegularizer, w.kernel.read()));
    if (extras.biasRegularizer && w.bias) out.push(applyRegularizer(extras.biasRegularizer, w.bias.read()));
  }
  return out;
}

export interface StepFunctions {
  layers: readonly Layer[];
  /** A model's own forward pass (functional models walk their graph); default: `forward(layers, …)`. */
  forward?: (x: tf.Tensor, training: boolean, penalties?: tf.Scalar[]) => tf.Tensor;
  /** Per-sample loss values. */
  loss: LossFn;
  /** How the weighted per-sample values become the batch loss (Keras: "sum_over_batch_size"). */
  reduction: Reduction;
}

/** The stateful metrics a step updates: the loss tracker (a Mean, weighted by batch size) and the compiled ones. */
export interface StepMetrics {
  loss: Metric;
  /** compile's `metrics`: updated without sample weights (as Keras 3). */
  compiled: readonly Metric[];
  /** compile's `weightedMetrics`: updated with the sample weights. */
  weighted: readonly Metric[];
}

/** One batch: inputs, labels and (optional) per-sample weights. */
export type Batch = [tf.Tensor, tf.Tensor, tf.Tensor?];

/** The model's forward pass: its own (a functional graph) or the layer chain. */
export function runForward(s: StepFunctions, x: tf.Tensor, training: boolean, penalties?: tf.Scalar[]): tf.Tensor {
  return s.forward ? s.forward(x, training, penalties) : forward(s.layers, x, training, penalties);
}

function totalLoss(
  s: StepFunctions,
  yb: tf.Tensor,
  preds: tf.Tensor,
  sw: tf.Tensor | undefined,
  penalties: tf.Scalar[],
) {
  const dataLoss = reduceWeightedValues(s.loss(yb, preds), sw, s.reduction) as tf.Scalar;
  const all = [...penalties, ...weightPenalties(s.layers)];
  return all.length === 0 ? dataLoss : (tf.addN([dataLoss, ...all]) as tf.Scalar);
}

const takesSampleWeight = (metric: Metric) => (metric as { takesSampleWeight?: boolean }).takesSampleWeight === true;

/**
 * Keras' train/test step metric update: the loss tracker weighted by the batch size, then each metric
 * (sample weights go to the weighted metrics only, as in Keras 3).
 */
function updateMetrics(m: StepMetrics, loss: tf.Scalar, yb: tf.Tensor, preds: tf.Tensor, sw?: tf.Tensor): void {
  m.loss.updateState(loss, tf.scalar(yb.shape[0]));
  // A per-output loss tracker is no weighted metric but weights its loss as the loss does.
  for (const metric of m.compiled) metric.updateState(yb, preds, takesSampleWeight(metric) ? sw : undefined);
  for (const metric of m.weighted) metric.updateState(yb, preds, sw);
}

/**
 * One optimizer step on a batch, and the metrics' state updated with it (the loss includes the
 * regularization penalties, as Keras reports it). Tensor ops and variable assignments only: nothing is
 * read back to the host, and nothing is returned.
 */
export function trainStep(
  s: StepFunctions,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  metrics: StepMetrics,
  batch: () => Batch,
): void {
  tf.tidy(() => {
    randomOps.advanceRandomStep();
    const [xb, yb, sw] = batch();
    let preds: tf.Tensor | undefined;
    try {
      const { value, grads } = tf.variableGrads(() => {
        const penalties: tf.Scalar[] = [];
        // Kept past variableGrads' own scope for the metrics below; disposed in `finally`.
        preds = tf.keep(runForward(s, xb, true, penalties));
        return totalLoss(s, yb, preds, sw, penalties);
      }, variables);
      optimizer.applyGradients(grads);
      updateMetrics(metrics, value, yb, preds!, sw);
    } finally {
      preds?.dispose();
    }
  });
}

/** Loss (with penalties) and metrics of a batch in inference mode, accumulated into `metrics`. */
export function testStep(s: StepFunctions, metrics: StepMetrics, batch: () => Batch): void {
  tf.tidy(() => {
    const [xb, yb, sw] = batch();
    const penalties: tf.Scalar[] = [];
    const preds = runForward(s, xb, false, penalties);
    updateMetrics(metrics, totalLoss(s, yb, preds, sw, penalties), yb, preds, sw);
  });
}

/** Every metric of a step, in log order: loss, metrics, weighted metrics. */
export function allMetrics(m: StepMetrics): Metric[] {
  return [m.loss, ...m.compiled, ...m.weighted];
}

export function resetMetrics(m: StepMetrics): void {
  for (const metric of allMetrics(m)) metric.resetState();
}

/**
 * The metrics' results as logs, `{ loss: 0.31, accuracy: 0.9 }`, in one read from the device.
 * Each result must be one number (a Precision with several thresholds cannot be a log value).
 */
export function readMetrics(m: StepMetrics, names: readonly string[]): Record<string, number> {
  const metrics = allMetrics(m);
  const values = tf.tidy(() => {
    const results = metrics.map((metric) => {
      const r = metric.result();
      if (r.size !== 1) {
        throw new Error(
          `metric '${metric.name}' returns ${r.size} values (shape [${r.shape.join(", ")}]); fit and evaluate log one number per metric — give it a single threshold`,
        );
      }
      return tf.reshape(tf.cast(r, "float32"), [1]);
    });
    return tf.concat(results).dataSync();
  });
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[n] = values[i]));
  return out;
}

/**
 * Batch logs as Keras gives them: the metrics' running results including the latest batch. The
 * values are read from the device only when a callback reads a key (a loop without readers never
 * syncs), and at most once per batch: `invalidate()` after each step.
 */
export class ExactLogs {
  private snapshot?: Record<string, number>;

  constructor(
    private readonly metrics: StepMetrics,
    private readonly names: readonly string[],
  ) {}

  invalidate(): void {
    this.snapshot = undefined;
  }

  read(): Record<string, number> {
    return (this.snapshot ??= readMetrics(this.metrics, this.names));
  }

  lazy(): Record<string, number> {
    return lazyLogs(this.names, () => this.read());
  }
}

/**
 * Wraps a device read so that it runs at most once per `maxAgeMs` (default 100 ms); calls in between return
 * the last values. Only the compiled trainer's batch logs still use it (the eager path's are exact).
 */
export function throttled(fetch: () => Record<string, number>, maxAgeMs = 100): () => Record<string, number> {
  let snapshot: { at: number; logs: Record<string, number> } | undefined;
  return () => {
    const now = performance.now();
    if (!snapshot || now - snapshot.at >= maxAgeMs) snapshot = { at: now, logs: fetch() };
    return snapshot.logs;
  };
}

/** Logs whose values are computed only when read (a loop without readers never syncs with the device). */
export function lazyLogs(names: readonly string[], read: () => Record<string, number>): Record<string, number> {
  const logs: Record<string, number> = {};
  for (const name of names) Object.defineProperty(logs, name, { enumerable: true, get: () => read()[name] });
  return logs;
}
