/**
 * Keras 3's `compile_config` (and Keras 2's `training_config`) ⇄ compile's arguments: the optimizer entry,
 * the loss (one name, or one per output of a functional model, as a list or keyed by output name), the
 * loss weights and the metrics. Only named losses and metrics can be written; a file's loss or metric
 * that tslab-keras lacks is an error naming it.
 */
import { get as getOptimizer } from "../optimizers/index";
import type { CompileState } from "../models/model-base";
import type { tf } from "../tf";
import type { KerasObject } from "./keras-options";
import { objectToKeras } from "./keras-values";
import { withFloats } from "./keras-json";

function metricsToKeras(m: CompileState["metrics"]): unknown {
  if (Array.isArray(m)) return m.length > 0 ? m : null;
  const used = Object.entries(m).filter(([, list]) => list.length > 0);
  return used.length > 0 ? Object.fromEntries(used) : null;
}

export function compileToKeras(c: CompileState): Record<string, unknown> {
  const optimizer = objectToKeras(c.optimizer, "keras.optimizers");
  if (optimizer) optimizer.config = withFloats(optimizer.config);
  return {
    optimizer,
    loss: c.loss ?? null,
    loss_weights: c.lossWeights ?? null,
    metrics: metricsToKeras(c.metrics),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

type Nested<T> = T | Nested<T>[] | { [key: string]: Nested<T> };

export interface LoadedCompile {
  optimizer: tf.Optimizer;
  loss: Nested<string>;
  lossWeights?: number[] | Record<string, number>;
  metrics: Nested<string>;
}

const isEntry = (v: unknown): v is KerasObject =>
  typeof v === "object" && v !== null && !Array.isArray(v) && typeof (v as KerasObject).class_name === "string";

/** `f` applied to every leaf of a list / dict structure (a Keras entry `{ class_name, … }` is a leaf). */
function mapLeaves<T>(v: unknown, f: (leaf: unknown) => T): Nested<T> {
  if (Array.isArray(v)) return v.map((x) => mapLeaves(x, f));
  if (typeof v === "object" && v !== null && !isEntry(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapLeaves(x, f)]));
  return f(v);
}

/**
 * Keras' compile_config → compile's arguments (undefined when the file has no loss: not compiled).
 * `outputs`: the model's number of outputs (a Sequential has one); with one, metrics are a flat list.
 */
export function compileFromKeras(cc: Record<string, unknown>, source: string, outputs = 1): LoadedCompile | undefined {
  if (cc.loss == null) return undefined;
  if (cc.weighted_metrics != null)
    throw new Error(`${source}: compile option 'weighted_metrics' is not supported by tslab-keras`);
  const loss = mapLeaves(cc.loss, (l) => lossName(l, source));
  const lossWeights = cc.loss_weights as number[] | Record<string, number> | null | undefined;
  if (outputs === 1 && (typeof loss !== "string" || lossWeights != null)) {
    const what = typeof loss !== "string" ? "loss" : "loss_weights";
    throw new Error(
      `${source}: compile option '${what}' = ${JSON.stringify(cc[what])} does not fit a model with one output`,
    );
  }
  const rawMetrics = mapLeaves(cc.metrics ?? [], (m) => metricName(m, source));
  const metrics = outputs === 1 ? [rawMetrics].flat(Infinity as 1) : rawMetrics;
  const out: LoadedCompile = { optimizer: optimizerFromKeras(cc, source), loss, metrics: metrics as Nested<string> };
  if (lossWeights != null) out.lossWeights = lossWeights;
  return out;
}

function optimizerFromKeras(cc: Record<string, unknown>, source: string): tf.Optimizer {
  const optEntry = (cc.optimizer ?? cc.optimizer_config) as KerasObject | string | undefined;
  if (typeof optEntry === "string" || optEntry === undefined) return getOptimizer(optEntry ?? "rmsprop");
  // Keras 2.11+ writes "Custom>Adam" and keys that do not change the update (jit_compile, is_legacy_optimizer).
  const className = optEntry.class_name.replace(/^Custom>/, "");
  const cls = getOptimizer(className.toLowerCase()).constructor as new (c: unknown) => tf.Optimizer;
  const config = { ...(optEntry.config ?? {}) };
  for (const key of ["jit_compile", "is_legacy_optimizer"]) delete config[key];
  try {
    return new cls(config);
  } catch (e) {
    throw new Error(`${source}: optimizer ${optEntry.class_name}: ${(e as Error).message}`);
  }
}

const LOSS_CLASSES: Record<string, string> = {
  CategoricalCrossentropy: "categorical_crossentropy",
  SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
  BinaryCrossentropy: "binary_crossentropy",
  MeanSquaredError: "mean_squared_error",
  MeanAbsoluteError: "mean_absolute_error",
};

function lossName(loss: unknown, source: string): string {
  if (typeof loss === "string") return loss;
  const o = loss as KerasObject;
  const name = LOSS_CLASSES[o?.class_name];
  if (!name)
    throw new Error(`${source}: loss ${JSON.stringify(o?.class_name ?? loss)} is not supported by tslab-keras`);
  const cfg = o.config ?? {};
  if (cfg.from_logits === true)
    throw new Error(`${source}: loss ${o.class_name}: option 'from_logits' = true is not supported`);
  if (cfg.label_smoothing)
    throw new Error(`${source}: loss ${o.class_name}: option 'label_smoothing' is not supported`);
  return name;
}

function metricName(m: unknown, source: string): string {
  if (typeof m === "string") return m;
  const o = m as KerasObject;
  // Keras 2: [{ class_name: "MeanMetricWrapper", config: { name: "accuracy", fn: "categorical_accuracy" } }]
  if (o?.class_name === "MeanMetricWrapper" && typeof o.config?.name === "string") return o.config.name;
  if (o?.class_name) return o.class_name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  throw new Error(`${source}: metric ${JSON.stringify(m)} is not supported by tslab-keras`);
}

/** Keras 3's legacy .h5 reader takes only the full names of losses ("mse" fails to deserialize there). */
const LEGACY_LOSS_NAMES: Record<string, string> = {
  mse: "mean_squared_error",
  mae: "mean_absolute_error",
  mape: "mean_absolute_percentage_error",
  msle: "mean_squared_logarithmic_error",
};

export function legacyLossNames(loss: unknown): unknown {
  return mapLeaves(loss, (l) => (typeof l === "string" ? (LEGACY_LOSS_NAMES[l.toLowerCase()] ?? l) : l));
}
