/**
 * Keras 3 layer configs ⇄ tslab-keras layers, one registry entry per layer class. The model containers
 * only call `layerToKeras` / `layerFromKeras`: a new layer class plugs in with `registerLayerMapping`
 * (layer-mappings/), nothing else changes.
 *
 * Reading is strict: an option the library cannot honour (a constraint, `groups: 2`, a non-float32
 * dtype, an unknown key) is an error naming the layer, its class and the option — never silently dropped.
 */
import { tf } from "../tf";
import { type Layer } from "../layers/extras";
import { type KerasObject, KerasOptions } from "./keras-options";

/**
 * One `vars` group of Keras 3's weights file, under the layer's own group: `path` "" is the layer's
 * `vars`, "cell" an RNN's cell, "forward_layer/cell" a Bidirectional's. Keras writes one at every level
 * (empty ones too), each named by its object.
 */
export interface KerasWeightGroup {
  path: string;
  name: string;
  /** The variables, in Keras' order. */
  weights: tf.LayerVariable[];
  /** Positions in `weights` that Keras keeps as int64 (Normalization's `count`). */
  int64?: number[];
}

export interface LayerMapping {
  /** Keras' class name ("Dense"); also the tfjs-layers class name unless `tfjsClassName` says otherwise. */
  kerasClassName: string;
  tfjsClassName?: string;
  /** Keras' `module` of the entry (default "keras.layers"; a nested Sequential is "keras"). */
  module?: string;
  /** Keras' `registered_name` (default null; a nested functional model's is "Functional"). */
  registeredName?: string;
  /** The class's own options in Keras' snake_case (name, trainable and dtype are added by the caller). */
  toKeras(layer: Layer): Record<string, unknown>;
  fromKeras(o: KerasOptions): Layer;
  /** Keras' common keys when they are not name, trainable and the dtype policy (SpatialDropout: no trainable). */
  baseConfig?(layer: Layer): Record<string, unknown>;
  /** Where Keras keeps the weights (default: all of `layer.weights` in the layer's own `vars`). */
  weightGroups?(layer: Layer): KerasWeightGroup[];
}

const BY_KERAS = new Map<string, LayerMapping>();
const BY_TFJS = new Map<string, LayerMapping>();

export function registerLayerMapping(m: LayerMapping): void {
  BY_KERAS.set(m.kerasClassName, m);
  BY_TFJS.set(m.tfjsClassName ?? m.kerasClassName, m);
}

export const DTYPE_POLICY = {
  module: "keras",
  class_name: "DTypePolicy",
  config: { name: "float32" },
  registered_name: null,
};

/** Keras' layer entry `{ module, class_name, config, registered_name, build_config }` for a built layer. */
export function layerToKeras(layer: Layer): KerasObject {
  const m = BY_TFJS.get(layer.getClassName());
  if (!m) return tslabLayerEntry(layer);
  const entry: KerasObject = {
    module: m.module ?? "keras.layers",
    class_name: m.kerasClassName,
    config: {
      ...(m.baseConfig?.(layer) ?? { name: layer.name, trainable: layer.trainable, dtype: DTYPE_POLICY }),
      ...m.toKeras(layer),
    },
    registered_name: m.registeredName ?? null,
  };
  const inputShape = builtInputShape(layer);
  if (inputShape) entry.build_config = { input_shape: inputShape };
  return entry;
}

function builtInputShape(layer: Layer): (number | null)[] | undefined {
  try {
    const input = (layer as unknown as { input: { shape: (number | null)[] } }).input;
    return [...input.shape];
  } catch {
    return undefined; // not connected yet
  }
}

/** A new layer from a Keras layer entry (Keras 3 or Keras 2 style). */
export function layerFromKeras(entry: KerasObject): Layer {
  const name = entry.class_name;
  const m = BY_KERAS.get(name);
  const config = entry.config ?? {};
  if (!m && entry.registered_name?.startsWith(TSLAB_PREFIX)) return tslabLayerFromEntry(entry);
  if (name === "Lambda") {
    throw new Error(
      `Layer '${String(config.name ?? "?")}' (Lambda) cannot be loaded: a Keras Lambda layer holds Python code, which tslab-keras cannot run. Rebuild the model in code (layers.Lambda with a JavaScript function) and load the weights with model.loadWeights.`,
    );
  }
  if (!m) {
    throw new Error(
      `Layer '${String(config.name ?? "?")}' (${name}) cannot be loaded: tslab-keras has no layer class '${name}' (it knows ${[...BY_KERAS.keys()].join(", ")}).`,
    );
  }
  const o = new KerasOptions(name, config);
  let layer: Layer;
  try {
    layer = m.fromKeras(o);
  } catch (e) {
    // The factories' own messages ("GaussianNoise: stddev must be …") get the layer's name in front.
    const message = (e as Error).message;
    if (message.startsWith("Layer '")) throw e;
    throw new Error(`Layer '${o.layerName}' (${name}) cannot be loaded: ${message}`);
  }
  o.finish();
  return layer;
}

/** Keras' class name of `layer` (its weights group is named after it: `conv2d_transpose`, `lstm_1`). */
export function kerasClassName(layer: Layer): string {
  return BY_TFJS.get(layer.getClassName())?.kerasClassName ?? layer.getClassName();
}

/** The `vars` groups Keras 3 writes for `layer`, its sub-objects' included. */
export function kerasWeightGroups(layer: Layer): KerasWeightGroup[] {
  const m = BY_TFJS.get(layer.getClassName());
  return m?.weightGroups?.(layer) ?? [{ path: "", name: layer.name, weights: layer.weights }];
}

/** `groups` of a sub-object kept under `prefix` (Bidirectional's `forward_layer`, TimeDistributed's `layer`). */
export function nestedGroups(prefix: string, groups: KerasWeightGroup[]): KerasWeightGroup[] {
  return groups.map((g) => ({ ...g, path: g.path ? `${prefix}/${g.path}` : prefix }));
}

export function knownKerasLayer(className: string): boolean {
  return BY_KERAS.has(className);
}

/**
 * A layer with no Keras mapping (a JavaScript Lambda, a raw tfjs layer such as LeakyReLU) is saved as a
 * registered custom object, `registered_name: "tslab_keras>Lambda"`, holding the layer's own config, so
 * tslab-keras loads it back exactly; Python Keras refuses such an entry (it names the class it lacks)
 * rather than misreading it.
 */
const TSLAB_PREFIX = "tslab_keras>";

function tslabLayerEntry(layer: Layer): KerasObject {
  const className = layer.getClassName();
  if (!tf.serialization.SerializationMap.getMap().classNameMap[className]) {
    throw new Error(
      `Layer '${layer.name}' (${className}) cannot be saved: it is not a registered layer class (tf.serialization.registerClass).`,
    );
  }
  const entry: KerasObject = {
    module: "tslab_keras.layers",
    class_name: className,
    config: { name: layer.name, trainable: layer.trainable, dtype: DTYPE_POLICY, tslab_config: layer.getConfig() },
    registered_name: TSLAB_PREFIX + className,
  };
  const inputShape = builtInputShape(layer);
  if (inputShape) entry.build_config = { input_shape: inputShape };
  return entry;
}

function tslabLayerFromEntry(entry: KerasObject): Layer {
  const className = entry.registered_name!.slice(TSLAB_PREFIX.length);
  const config = (entry.config as { tslab_config?: tf.serialization.ConfigDict }).tslab_config;
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!config || !registered) {
    throw new Error(
      `Layer '${String(entry.config?.name ?? "?")}' (${className}) cannot be loaded: this tslab-keras has no such layer class.`,
    );
  }
  const [cls, fromConfig] = registered;
  return fromConfig(cls, config) as unknown as Layer;
}
