/**
 * What fit, evaluate and predict share: x/y converted, checked and paired with the compiled loss and
 * metrics (Keras' data adapters and compile-time metric containers), plus small loop helpers.
 */
import { tf } from "../tf";
import { Mean } from "../metrics/reduction";
import { type Metric, get as getMetric } from "../metrics/index";
import {
  type DataLike,
  assertFinite,
  assertInputShape,
  assertNotEmpty,
  assertSameLength,
  prepareLabels,
  toTensor,
} from "./data";
import { type StepFunctions, type StepMetrics } from "./steps";
import { type ModelInternals } from "./types";

/** Batch size for inference when the user gave none: big batches, bounded to ~1M input values. */
export function inferenceBatchSize(sampleSize: number, minimum = 32): number {
  return Math.max(minimum, Math.min(4096, Math.floor(2 ** 20 / Math.max(1, sampleSize))));
}

export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${what} must be a positive integer, got ${value}`);
  return value;
}

/** Yields to the event loop (so the kernel's SIGINT handler can run) at most every ~50 ms. */
export function yielder(): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < 50) return;
    last = now;
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

export interface PreparedXY {
  x: tf.Tensor;
  y: tf.Tensor;
  steps: StepFunctions;
  /** Stateful metrics for these labels (loss tracker first); `owned` are disposed by the caller. */
  metrics: StepMetrics;
  ownedMetrics: Metric[];
  names: string[];
}

/** Converts, checks and adapts x/y for a compiled model; tensors it creates go to `owned`. */
export function prepareXY(
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

export function disposeMetrics(data: PreparedXY | undefined): void {
  for (const m of data?.ownedMetrics ?? []) m.dispose();
}

export function safeInputShape(model: ModelInternals): (number | null)[] | undefined {
  try {
    return model.batchInputShape().slice(1);
  } catch {
    return undefined;
  }
}
