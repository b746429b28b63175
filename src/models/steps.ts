/**
 * The computations of one batch: the forward pass (tfjs-layers' `call` per layer, with Dropout masks
 * and activity regularizers handled here), the training step (one `tf.tidy`, gradients of the batch
 * loss plus every regularization penalty, applied by the optimizer) and the test step.
 */
import { tf } from "../tf";
import { type Layer, applyRegularizer, getExtras } from "../layers/extras";
import type { LossFn } from "../losses/index";
import type { MetricFn } from "../metrics/index";

/** Runs `layers` on `x`; activity penalties (if a list is given) are appended to `penalties`. */
export function forward(layers: readonly Layer[], x: tf.Tensor, training: boolean, penalties?: tf.Scalar[]): tf.Tensor {
  let h = x;
  for (const layer of layers) h = applyLayer(layer, h, training, penalties) as tf.Tensor;
  return h;
}

/**
 * One layer of the forward pass: tfjs-layers' `call`, except Dropout (masks drawn here from the layer's seeded
 * source); the activity penalty is appended to `penalties`. Functional models run their graph through this too.
 */
export function applyLayer(
  layer: Layer,
  h: tf.Tensor | tf.Tensor[],
  training: boolean,
  penalties?: tf.Scalar[],
): tf.Tensor | tf.Tensor[] {
  const extras = getExtras(layer);
  if (layer.getClassName() === "Dropout") {
    const { rate, noiseShape } = layer as unknown as { rate: number; noiseShape?: number[] };
    if (!training || rate <= 0) return h;
    const random = extras?.dropoutRandom ?? Math.random;
    return tf.dropout(h as tf.Tensor, rate, noiseShape ?? undefined, 1 + Math.floor(random() * 2147483646));
  }
  const out = layer.call(h, { training }) as tf.Tensor | tf.Tensor[];
  if (penalties && extras?.activityRegularizer && !Array.isArray(out))
    penalties.push(applyRegularizer(extras.activityRegularizer, out));
  return out;
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
  loss: LossFn;
  metrics: readonly MetricFn[];
}

function totalLoss(s: StepFunctions, yb: tf.Tensor, preds: tf.Tensor, penalties: tf.Scalar[]): tf.Scalar {
  const dataLoss = tf.mean(s.loss(yb, preds)) as tf.Scalar;
  const all = [...penalties, ...weightPenalties(s.layers)];
  return all.length === 0 ? dataLoss : (tf.addN([dataLoss, ...all]) as tf.Scalar);
}

/**
 * One optimizer step on a batch. Returns kept scalars `[loss, ...metrics]` (batch means; loss includes
 * the regularization penalties, as Keras reports it); the caller disposes them.
 */
export function trainStep(
  s: StepFunctions,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: () => [tf.Tensor, tf.Tensor],
): tf.Scalar[] {
  const kept: tf.Scalar[] = [];
  tf.tidy(() => {
    const [xb, yb] = batch();
    const { value, grads } = tf.variableGrads(() => {
      const penalties: tf.Scalar[] = [];
      const preds = s.forward ? s.forward(xb, true, penalties) : forward(s.layers, xb, true, penalties);
      const loss = totalLoss(s, yb, preds, penalties);
      for (const m of s.metrics) kept.push(tf.keep(tf.mean(m(yb, preds)) as tf.Scalar));
      return loss;
    }, variables);
    optimizer.applyGradients(grads);
    kept.unshift(tf.keep(value));
  });
  return kept;
}

/** Loss (with penalties) and metrics of a batch in inference mode, as kept scalars. */
export function testStep(s: StepFunctions, batch: () => [tf.Tensor, tf.Tensor]): tf.Scalar[] {
  const kept: tf.Scalar[] = [];
  tf.tidy(() => {
    const [xb, yb] = batch();
    const penalties: tf.Scalar[] = [];
    const preds = s.forward ? s.forward(xb, false, penalties) : forward(s.layers, xb, false, penalties);
    kept.push(tf.keep(totalLoss(s, yb, preds, penalties)));
    for (const m of s.metrics) kept.push(tf.keep(tf.mean(m(yb, preds)) as tf.Scalar));
  });
  return kept;
}

/**
 * Epoch means weighted by batch size, as Keras' metric trackers compute them. Batch values stay on the
 * device until someone reads a result (once per epoch, or when a callback reads batch logs); then all
 * pending values are read back together.
 */
export class MeanAccumulator {
  private pending: { values: tf.Scalar[]; size: number }[] = [];
  private sums: number[];
  private count = 0;

  constructor(readonly names: readonly string[]) {
    this.sums = names.map(() => 0);
  }

  push(values: tf.Scalar[], size: number): void {
    this.pending.push({ values, size });
    if (this.pending.length >= 1024) this.flush();
  }

  private flush(): void {
    for (const { values, size } of this.pending) {
      values.forEach((v, i) => {
        this.sums[i] += v.dataSync()[0] * size;
        v.dispose();
      });
      this.count += size;
    }
    this.pending = [];
  }

  /** Current means, e.g. `{ loss: 0.31, accuracy: 0.9 }` (keys prefixed with `prefix`). */
  result(prefix = ""): Record<string, number> {
    this.flush();
    const out: Record<string, number> = {};
    this.names.forEach((n, i) => (out[prefix + n] = this.count > 0 ? this.sums[i] / this.count : NaN));
    return out;
  }

  private readonly readLogs = throttled(() => this.result());

  /** Batch logs whose values are read from the device only when a callback reads them (see lazyLogs). */
  lazyLogs(): Record<string, number> {
    return lazyLogs(this.names, this.readLogs);
  }

  dispose(): void {
    for (const { values } of this.pending) for (const v of values) v.dispose();
    this.pending = [];
  }
}

/**
 * Wraps a device read so that it runs at most once per `maxAgeMs` (default 100 ms); calls in between return
 * the last values. So a progress bar that reads every batch costs one device sync per 100 ms.
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
