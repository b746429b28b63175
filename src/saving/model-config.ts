/**
 * Keras 3's `config.json`: the model class entry (a registry: `Sequential` here, `Functional` from
 * functional-keras.ts next to it) and `compile_config` (compile-config.ts).
 */
import * as L from "../layers/index";
import type { SequentialEntry } from "../models/sequential";
import { Sequential } from "../models/sequential";
import { Model } from "../models/functional";
import type { tf } from "../tf";
import { compileFromKeras, compileToKeras } from "./compile-config";
import { functionalFromKeras, functionalToKeras } from "./functional-keras";
import type { Layer } from "../layers/extras";
import { DTYPE_POLICY, type KerasObject, layerFromKeras, layerToKeras } from "./layer-configs";
import "./nested-models";

/** What the savers need from a model: a Sequential or a functional Model. */
export type SaveableModel = Sequential | Model;

export interface ModelMapping {
  kerasClassName: string;
  /** Keras' `module` and `registered_name` of the class entry (Sequential: "keras", null). */
  module?: string;
  registeredName?: string | null;
  handles(model: SaveableModel): boolean;
  toKeras(model: SaveableModel): { config: Record<string, unknown>; inputShape: (number | null)[] | null };
  fromKeras(config: Record<string, unknown>, source: string): SaveableModel;
}

const MODELS = new Map<string, ModelMapping>();

export function registerModelMapping(m: ModelMapping, ...aliases: string[]): void {
  MODELS.set(m.kerasClassName, m);
  for (const a of aliases) MODELS.set(a, m);
}

/** The whole `config.json` object for `model`. */
export function modelToKeras(model: SaveableModel): KerasObject & { compile_config?: unknown } {
  const m = [...MODELS.values()].find((x) => x.handles(model));
  if (!m) throw new Error(`Model '${model.name}' cannot be saved in Keras' format: no mapping for its class.`);
  const { config, inputShape } = m.toKeras(model);
  const out: KerasObject & { compile_config?: unknown } = {
    module: m.module ?? "keras",
    class_name: m.kerasClassName,
    config,
    registered_name: m.registeredName ?? null,
    build_config: { input_shape: inputShape as (number | null)[] },
  };
  const c = model.compileState();
  if (c) out.compile_config = compileToKeras(c);
  return out;
}

/** A model from a `config.json` object (or Keras 2's `model_config`), not compiled yet. */
export function modelFromKeras(entry: KerasObject, source: string): SaveableModel {
  const m = MODELS.get(entry.class_name);
  if (!m) {
    throw new Error(
      `${source}: cannot load a '${entry.class_name}' model; tslab-keras loads ${[...new Set([...MODELS.values()].map((x) => x.kerasClassName))].join(" and ")} models.`,
    );
  }
  return m.fromKeras(entry.config ?? {}, source);
}

/** Compiles a loaded model as its file's compile_config (Keras 2: training_config) says, if it has a loss. */
export function compileLoaded(model: SaveableModel, cc: Record<string, unknown>, source: string): void {
  const outputs = model instanceof Model ? model.outputs.length : 1;
  const c = compileFromKeras(cc, source, outputs);
  if (c) (model.compile as (c: unknown) => void)(c);
}

/** An `Input` from a Keras 3 (batch_shape) or Keras 2 (batch_input_shape) InputLayer config. */
export function inputFromKeras(c: Record<string, unknown>, source: string): tf.SymbolicTensor {
  const name = String(c.name ?? "input_layer");
  const batch = (c.batch_shape ?? c.batch_input_shape) as (number | null)[] | undefined;
  if (!batch) throw new Error(`${source}: the InputLayer '${name}' has no batch_shape`);
  for (const key of ["sparse", "ragged", "optional"]) {
    if (c[key] === true)
      throw new Error(`Layer '${name}' (InputLayer): option '${key}' = true is not supported by tslab-keras`);
  }
  const dtype = c.dtype && typeof c.dtype === "object" ? (c.dtype as KerasObject).config?.name : c.dtype;
  // The batch size is left free (a Keras 2 file may pin it; tslab-keras predicts on any batch).
  return L.Input({ batchShape: [null, ...batch.slice(1)], name, ...(typeof dtype === "string" ? { dtype } : {}) });
}

/** A Sequential's config: an InputLayer entry, then each layer's. */
export function sequentialConfig(
  name: string,
  layers: Layer[],
  inputShape: (number | null)[],
): Record<string, unknown> {
  const input = {
    module: "keras.layers",
    class_name: "InputLayer",
    config: { batch_shape: inputShape, dtype: "float32", sparse: false, name: "input_layer" },
    registered_name: null,
  };
  return {
    name,
    trainable: true,
    dtype: DTYPE_POLICY,
    layers: [input, ...layers.map(layerToKeras)],
    build_input_shape: inputShape,
  };
}

export function sequentialFromKeras(config: Record<string, unknown>, source: string): Sequential {
  const entries = (config.layers ?? []) as KerasObject[];
  if (!Array.isArray(entries)) throw new Error(`${source}: the Sequential config has no layer list`);
  const layers: SequentialEntry[] = [];
  for (const e of entries) {
    layers.push(e.class_name === "InputLayer" ? inputFromKeras(e.config ?? {}, source) : layerFromKeras(e));
  }
  const model = new Sequential({ name: String(config.name ?? "sequential"), layers });
  const build = config.build_input_shape as (number | null)[] | undefined;
  if (!model.built && build) model.build(build);
  return model;
}

registerModelMapping({
  kerasClassName: "Sequential",
  handles: (model) => model instanceof Sequential,
  toKeras(model) {
    const inputShape = model.batchInputShape();
    return { config: sequentialConfig(model.name, model.runtimeLayers(), inputShape), inputShape };
  },
  fromKeras: sequentialFromKeras,
});

// Keras 3 writes "Functional" (module keras.src.models.functional); Keras 2 "Functional" or, before 2.4, "Model".
registerModelMapping(
  {
    kerasClassName: "Functional",
    module: "keras.src.models.functional",
    registeredName: "Functional",
    handles: (model) => model instanceof Model,
    toKeras: (model) => ({ config: functionalToKeras(model as Model), inputShape: null }),
    fromKeras: (config, source) => functionalFromKeras(config, source),
  },
  "Model",
);
