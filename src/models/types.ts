/** What the training loops need from a model (implemented by Sequential). */
import type { tf } from "../tf";
import type { CallbackModel } from "../callbacks/callback";
import type { Layer } from "../layers/extras";
import type { ResolvedLoss } from "../losses/index";
import type { MetricIdentifier } from "../metrics/index";
import type { Metric } from "../metrics/metric";
import type { LossFn, Reduction } from "../losses/index";

export type { MetricIdentifier } from "../metrics/index";

export interface Compiled {
  optimizer: tf.Optimizer;
  loss: ResolvedLoss;
  metrics: MetricIdentifier[];
  /** compile's `weightedMetrics`: metrics weighted by sampleWeight/classWeight. */
  weightedMetrics: MetricIdentifier[];
}

export interface ModelInternals extends CallbackModel {
  readonly name: string;
  /** Builds the model for samples of this shape if it has no input shape yet. */
  ensureBuilt(sampleShape?: readonly number[]): void;
  /** The built layers, in order (no input layer). */
  runtimeLayers(): Layer[];
  /** Input shape with the batch axis, e.g. [null, 784]. */
  batchInputShape(): (number | null)[];
  /** Output shape with the batch axis, e.g. [null, 10]. */
  batchOutputShape(): (number | null)[];
  trainableVariables(): tf.Variable[];
  /** The tfjs-layers model holding the layers and weights (what the compiled engine reads). */
  layersModel(): tf.LayersModel;
  compiledFor(fn: string): Compiled;
  /**
   * Functional models: x as the model takes it (one array, a list, a dict by input name) → ONE tensor the
   * loops slice and shuffle (several inputs are packed side by side, see functional-data.ts). Checks shapes.
   */
  prepareInputs?(x: unknown, what: string, fn: string, owned: tf.Tensor[]): tf.Tensor;
  /** Functional models with several outputs: packed labels and the loss/metrics over all outputs. */
  prepareTargets?(y: unknown, what: string, fn: string, owned: tf.Tensor[]): PreparedTargets;
  /** A forward pass of its own (a functional model walks its graph) over what prepareInputs returns. */
  forwardFn?(): (x: tf.Tensor, training: boolean, penalties?: tf.Scalar[]) => tf.Tensor;
  /** predict's result from the forward pass' tensor (several outputs: a list or a dict, as Keras returns). */
  splitOutputs?(out: tf.Tensor): tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>;
}

export interface PreparedTargets {
  y: tf.Tensor;
  /** Σ lossWeight × per-output loss, per sample. */
  loss: LossFn;
  /** How the per-sample total becomes the batch loss. */
  reduction: Reduction;
  /** Stateful metrics logged after `loss` (owned by the loop), e.g. out1_loss, out2_loss, out1_mae, out2_accuracy. */
  metrics: Metric[];
}

/** Keras' `verbose`: 0 silent, 1 progress bar, 2 one line per epoch; "auto" is 1. */
export type Verbose = 0 | 1 | 2 | "auto";

export function normalizeVerbose(v: Verbose | undefined): 0 | 1 | 2 {
  if (v === undefined || v === "auto") return 1;
  if (v === 0 || v === 1 || v === 2) return v;
  throw new Error(`verbose must be 0, 1, 2 or "auto", got ${String(v)}`);
}
