/** What the training loops need from a model (implemented by Sequential). */
import type { tf } from "../tf";
import type { CallbackModel } from "../callbacks/callback";
import type { Layer } from "../layers/extras";
import type { ResolvedLoss } from "../losses/index";
import type { MetricIdentifier } from "../metrics/index";

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
}

/** Keras' `verbose`: 0 silent, 1 progress bar, 2 one line per epoch; "auto" is 1. */
export type Verbose = 0 | 1 | 2 | "auto";

export function normalizeVerbose(v: Verbose | undefined): 0 | 1 | 2 {
  if (v === undefined || v === "auto") return 1;
  if (v === 0 || v === 1 || v === 2) return v;
  throw new Error(`verbose must be 0, 1, 2 or "auto", got ${String(v)}`);
}
