/**
 * Keras 3's `config.json`: the model class entry (a registry, so the functional graph can add its own
 * `Functional` mapping next to `Sequential`) and `compile_config` (optimizer, loss, metrics).
 */
import * as L from "../layers/index";
import type { SequentialEntry } from "../models/sequential";
import { Sequential } from "../models/sequential";
import { get as getOptimizer } from "../optimizers/index";
import type { tf } from "../tf";
import { DTYPE_POLICY, type KerasObject, layerFromKeras, layerToKeras, objectToKeras } from "./layer-configs";

/** What the savers need from a model (Sequential now). */
export type SaveableModel = Sequential;

export interface CompileState {
  optimizer: tf.Optimizer;
  loss?: string;
  metrics: string[];
}

export interface ModelMapping {
  kerasClassName: string;
  handles(model: SaveableModel): boolean;
  toKeras(model: SaveableModel): { config: Record<string, unknown>; inputShape: (number | null)[] };
  fromKeras(config: Record<string, unknown>, source: string): SaveableModel;
}

const MODELS = new Map<string, ModelMapping>();

export function registerModelMapping(m: ModelMapping): void {
  MODELS.set(m.kerasClassName, m);
}

/** The whole `config.json` object for `model`. */
export function modelToKeras(model: SaveableModel): KerasObject & { compile_config?: unknown } {
  const m = [...MODELS.values()].find((x) => x.handles(model));
  if (!m) throw new Error(`Model '${model.name}' cannot be saved in Keras' format: no mapping for its class.`);
  const { config, inputShape } = m.toKeras(model);
  const out: KerasObject & { compile_config?: unknown } = {
    module: "keras",
    class_name: m.kerasClassName,
    config,
    registered_name: null,
    build_config: { input_shape: inputShape },
  };
  const c = model.compileState();
  if (c) out.compile_config = compileToKeras(c);
  return out;
}

/** A model from a `config.json` object (or Keras 2's `model_config`), not compiled yet. */
export function modelFromKeras(entry: KerasObject, source: string): SaveableModel {
  const m = MODELS.get(entry.class_name);
  if (!m) {
    const hint =
      entry.class_name === "Functional" || entry.class_name === "Model"
        ? " (functional models are not supported by tslab-keras yet)"
        : "";
    throw new Error(
      `${source}: cannot load a '${entry.class_name}' model${hint}; tslab-keras loads Sequential models.`,
    );
  }
  return m.fromKeras(entry.config ?? {}, source);
}

registerModelMapping({
  kerasClassName: "Sequential",
  handles: (model) => model instanceof Sequential,
  toKeras(model) {
    const inputShape = model.batchInputShape();
    const layers: unknown[] = [
      {
        module: "keras.layers",
        class_name: "InputLayer",
        config: { batch_shape: inputShape, dtype: "float32", sparse: false, name: "input_layer" },
        registered_name: null,
      },
      ...model.runtimeLayers().map(layerToKeras),
    ];
    return {
      config: { name: model.name, trainable: true, dtype: DTYPE_POLICY, layers, build_input_shape: inputShape },
      inputShape,
    };
  },
  fromKeras(config, source) {
    const entries = (config.layers ?? []) as KerasObject[];
    if (!Array.isArray(entries)) throw new Error(`${source}: the Sequential config has no layer list`);
    const layers: SequentialEntry[] = [];
    for (const e of entries) {
      if (e.class_name === "InputLayer") {
        const c = e.config ?? {};
        const batch = (c.batch_shape ?? c.batch_input_shape) as (number | null)[] | undefined;
        if (!batch) throw new Error(`${source}: the InputLayer '${String(c.name)}' has no batch_shape`);
        if (c.sparse === true)
          throw new Error(`Layer '${String(c.name)}' (InputLayer): option 'sparse' = true is not supported`);
        layers.push(L.Input({ shape: batch.slice(1) as number[], name: String(c.name ?? "input_layer") }));
      } else {
        layers.push(layerFromKeras(e));
      }
    }
    const model = new Sequential({ name: String(config.name ?? "sequential"), layers });
    const build = config.build_input_shape as (number | null)[] | undefined;
    if (!model.built && build) model.build(build);
    return model;
  },
});

// ---- compile_config ------------------------------------------------------------------------------

function compileToKeras(c: CompileState): Record<string, unknown> {
  const optimizer = objectToKeras(c.optimizer, "keras.optimizers");
  return {
    optimizer,
    loss: c.loss ?? null,
    loss_weights: null,
    metrics: c.metrics.length > 0 ? c.metrics : null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}

/** Keras 3 `compile_config` (or Keras 2 `training_config`) → arguments for `model.compile`. */
export function compileFromKeras(
  cc: Record<string, unknown>,
  source: string,
): { optimizer: tf.Optimizer; loss: string; metrics: string[] } | undefined {
  const optEntry = (cc.optimizer ?? cc.optimizer_config) as KerasObject | string | undefined;
  const loss = lossName(cc.loss, source);
  if (loss === undefined) return undefined;
  for (const key of ["loss_weights", "weighted_metrics"]) {
    if (cc[key] != null) throw new Error(`${source}: compile option '${key}' is not supported by tslab-keras`);
  }
  let optimizer: tf.Optimizer;
  if (typeof optEntry === "string" || optEntry === undefined) optimizer = getOptimizer(optEntry ?? "rmsprop");
  else {
    // Keras 2.11+ writes "Custom>Adam" and keys that do not change the update (jit_compile, is_legacy_optimizer).
    const className = optEntry.class_name.replace(/^Custom>/, "");
    const cls = getOptimizer(className.toLowerCase()).constructor as new (c: unknown) => tf.Optimizer;
    const config = { ...(optEntry.config ?? {}) };
    for (const key of ["jit_compile", "is_legacy_optimizer"]) delete config[key];
    try {
      optimizer = new cls(config);
    } catch (e) {
      throw new Error(`${source}: optimizer ${optEntry.class_name}: ${(e as Error).message}`);
    }
  }
  const metrics = ((cc.metrics ?? []) as unknown[]).flat().map((m) => metricName(m, source));
  return { optimizer, loss, metrics };
}

const LOSS_CLASSES: Record<string, string> = {
  CategoricalCrossentropy: "categorical_crossentropy",
  SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
  BinaryCrossentropy: "binary_crossentropy",
  MeanSquaredError: "mean_squared_error",
  MeanAbsoluteError: "mean_absolute_error",
};

function lossName(loss: unknown, source: string): string | undefined {
  if (loss == null) return undefined;
  if (typeof loss === "string") return loss;
  const o = loss as KerasObject;
  const name = LOSS_CLASSES[o.class_name];
  if (!name) throw new Error(`${source}: loss ${JSON.stringify(o.class_name ?? loss)} is not supported by tslab-keras`);
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
