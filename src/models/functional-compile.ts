/**
 * compile's per-output settings of a functional model (Keras 3's `loss`, `loss_weights` and `metrics` as one
 * value, a list in `outputs` order or a dict by output name), and the packed labels, total loss and log entries
 * (`out1_loss`, `out2_accuracy`, …) the training loops run for a model with several outputs.
 */
import { tf } from "../tf";
import { type LossFn, type ResolvedLoss, get as getLoss } from "../losses/index";
import { Mean, checkIdentifier, get as getMetric } from "../metrics/index";
import { reduceWeightedValues } from "../losses/loss";
import { Metric } from "../metrics/metric";
import { unknownIdentifierError } from "../utils/suggest";
import { assertFinite, assertNotEmpty, prepareLabels, toTensor } from "./data";
import { type PackedPart, entries, pack, unpack } from "./functional-data";
import type { CompileOptions } from "./model-base";
import type { MetricIdentifier, PreparedTargets } from "./types";

export interface FunctionalCompileOptions extends Omit<CompileOptions, "loss" | "metrics"> {
  /** One loss for every output, a list (one per output) or a dict by output name. */
  loss: CompileOptions["loss"] | CompileOptions["loss"][] | Record<string, CompileOptions["loss"]>;
  /** Keras' `loss_weights`: the total loss is Σ weight × output loss (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
  /** A list (one output), a list per output, or a dict by output name. */
  metrics?:
    | MetricIdentifier[]
    | (MetricIdentifier | MetricIdentifier[])[]
    | Record<string, MetricIdentifier | MetricIdentifier[]>;
}

export interface MultiCompiled {
  losses: ResolvedLoss[];
  weights: number[];
  metrics: MetricIdentifier[][];
}

/** Per output, the list/dict entry for it (a single value applies to every output when `shared`). */
function perOutput<T>(
  names: string[],
  value: T | T[] | Record<string, T> | undefined,
  what: string,
  fallback: T,
  shared: boolean,
): T[] {
  const n = names.length;
  if (value === undefined) return names.map(() => fallback);
  if (Array.isArray(value)) {
    if (value.length !== n)
      throw new Error(
        `compile: \`${what}\` has ${value.length} entries but the model has ${n} outputs (${names.map((o) => `'${o}'`).join(", ")}); give one per output, or a dict keyed by output name.`,
      );
    return value;
  }
  if (typeof value === "object" && value !== null && !(value instanceof tf.Optimizer)) {
    const dict = value as Record<string, T>;
    for (const key of Object.keys(dict)) {
      if (!names.includes(key)) throw unknownIdentifierError(`output name in ${what}`, key, names);
    }
    return names.map((o) => (o in dict ? dict[o] : fallback));
  }
  if (!shared && n > 1)
    throw new Error(
      `compile: for a model with ${n} outputs, give \`${what}\` as a list (one per output) or a dict keyed by output name.`,
    );
  return names.map(() => value as T);
}

/** Resolves compile's options against the model's output names (Keras' messages for a mismatch). */
export function resolveCompile(f: FunctionalCompileOptions, names: string[]): MultiCompiled {
  const n = names.length;
  for (const key of Object.keys(f)) {
    const valid = ["optimizer", "loss", "lossWeights", "metrics", "weightedMetrics"];
    if (!valid.includes(key)) throw unknownIdentifierError("compile option", key, valid);
  }
  const losses = perOutput(
    names,
    f.loss as CompileOptions["loss"] | CompileOptions["loss"][],
    "loss",
    undefined as unknown as CompileOptions["loss"],
    true,
  );
  losses.forEach((l, i) => {
    if (l === undefined) throw new Error(`compile: no loss for output '${names[i]}'; give every output a loss.`);
  });
  const weights = perOutput(names, f.lossWeights, "lossWeights", 1, false);
  weights.forEach((w, i) => {
    if (typeof w !== "number" || !Number.isFinite(w))
      throw new Error(`compile: lossWeights for output '${names[i]}' must be a number, got ${String(w)}`);
  });
  let metrics: MetricIdentifier[][];
  const m = f.metrics;
  if (m === undefined) metrics = names.map(() => []);
  else if (n === 1) metrics = [Array.isArray(m) ? (m as MetricIdentifier[]) : Object.values(m).flat()];
  else {
    if (Array.isArray(m) && m.length !== n)
      throw new Error(
        `compile: for a model with multiple outputs, when providing the \`metrics\` argument as a list, it should have as many entries as the model has outputs (${n}: ${names.map((x) => `'${x}'`).join(", ")}). Received metrics with ${m.length} entries. Use a list per output, e.g. metrics: [["mae"], ["accuracy"]], or a dict.`,
      );
    metrics = perOutput<MetricIdentifier | MetricIdentifier[]>(
      names,
      m as Record<string, MetricIdentifier | MetricIdentifier[]>,
      "metrics",
      [] as MetricIdentifier[],
      false,
    ).map((e) => (Array.isArray(e) ? e : [e as MetricIdentifier]));
  }
  metrics.flat().forEach(checkIdentifier);
  return { losses: losses.map((l) => getLoss(l)), weights, metrics };
}

/** Labels packed for the loops, Σ weight × loss per sample, and the per-output log entries. */
export function multiOutputTargets(
  multi: MultiCompiled,
  outputs: { name: string; shape: (number | null)[] }[],
  outParts: PackedPart[],
  yIn: unknown,
  what: string,
  fn: string,
  owned: tf.Tensor[],
): PreparedTargets {
  const data = entries(
    yIn,
    outputs.map((o) => o.name),
    what,
    "output",
  );
  const labels = data.map((d, i) => {
    const label = outputs.length === 1 ? what : `${what}['${outputs[i].name}']`;
    const raw = toTensor(d, label, owned, outputs[i].shape.slice(1));
    assertNotEmpty(raw, label, fn);
    assertFinite(raw, `${fn}: ${label}`);
    const loss = multi.losses[i];
    return prepareLabels(raw, loss.kind, loss.name, outputs[i].shape, `${fn} (output '${outputs[i].name}')`, owned);
  });
  const labelParts: PackedPart[] = labels.map((t, i) => ({
    name: outputs[i].name,
    shape: t.shape.slice(1),
    dtype: t.dtype,
  }));
  const y = pack(
    labels,
    outputs.map((o) => o.name),
    what,
    owned,
  );
  const split = (yb: tf.Tensor, pred: tf.Tensor) => [unpack(yb, labelParts), unpack(pred, outParts)] as const;
  const perSample = (t: tf.Tensor) =>
    t.rank <= 1
      ? t
      : tf.mean(
          t,
          [...Array(t.rank - 1).keys()].map((k) => k + 1),
        );
  const lossOf = (i: number, ys: readonly tf.Tensor[], ps: readonly tf.Tensor[]) =>
    perSample(multi.losses[i].fn(ys[i], ps[i]));
  const loss: LossFn = (yb, pred) => {
    const [ys, ps] = split(yb, pred);
    return tf.addN(multi.losses.map((_, i) => tf.mul(lossOf(i, ys, ps), multi.weights[i])));
  };
  const single = outputs.length === 1;
  const metrics: Metric[] = single
    ? []
    : multi.losses.map(
        (_, i) =>
          new OutputLossTracker(`${outputs[i].name}_loss`, (yb, pred) => {
            const [ys, ps] = split(yb, pred);
            return lossOf(i, ys, ps);
          }),
      );
  multi.metrics.forEach((ids, i) => {
    for (const id of ids) {
      const inner = getMetric(id, {
        lossKind: multi.losses[i].kind,
        yTrueShape: labels[i].shape,
        yPredShape: outputs[i].shape,
      });
      const name = single ? inner.name : `${outputs[i].name}_${inner.name}`;
      metrics.push(new OutputMetric(inner, inner !== id, name, i, split));
    }
  });
  return { y, loss, reduction: "sum_over_batch_size", metrics };
}

/**
 * Keras 3's per-output loss tracker (`out1_loss`): each batch adds that output's loss reduced as the
 * model's loss is (sample weights included, sum over the batch size), weighted by the batch size. It
 * takes the sample weights although it is not a weighted metric (`takesSampleWeight`).
 */
class OutputLossTracker extends Metric {
  readonly takesSampleWeight = true;
  private readonly mean: InstanceType<typeof Mean>;

  constructor(
    name: string,
    private readonly perSample: (yb: tf.Tensor, pred: tf.Tensor) => tf.Tensor,
  ) {
    super({ name });
    this.mean = Mean({ name });
  }

  override get variables(): tf.Variable[] {
    return this.mean.variables;
  }

  updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const value = reduceWeightedValues(this.perSample(yTrue, yPred!), sampleWeight, "sum_over_batch_size");
      this.mean.updateState(value, tf.scalar(yTrue.shape[0]));
    });
  }

  result(): tf.Tensor {
    return this.mean.result();
  }

  override resetState(): void {
    this.mean.resetState();
  }

  override dispose(): void {
    this.mean.dispose();
    super.dispose();
  }
}

/**
 * One output's metric over the packed labels and predictions: updates the inner (Keras) metric with that
 * output's slices; its state is the inner metric's (the user's own metric object stays the user's).
 */
class OutputMetric extends Metric {
  constructor(
    private readonly inner: Metric,
    private readonly owned: boolean,
    name: string,
    private readonly index: number,
    private readonly split: (yb: tf.Tensor, pred: tf.Tensor) => readonly [tf.Tensor[], tf.Tensor[]],
  ) {
    super({ name });
  }

  override get variables(): tf.Variable[] {
    return this.inner.variables;
  }

  updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void {
    tf.tidy(() => {
      const [ys, ps] = this.split(yTrue, yPred!);
      this.inner.updateState(ys[this.index], ps[this.index], sampleWeight);
    });
  }

  result(): tf.Tensor {
    return this.inner.result();
  }

  override resetState(): void {
    this.inner.resetState();
  }

  override dispose(): void {
    if (this.owned) this.inner.dispose();
  }
}
