/**
 * A functional model's `get_config()` in Keras 3's shape — what `config.json` of a `.keras` file holds
 * under `"config"` for `class_name: "Functional"`:
 *
 *   { name, trainable, layers: [{ module, class_name, config, registered_name, build_config?, name,
 *     inbound_nodes: [{ args: [<__keras_tensor__ …keras_history: [layer, node, tensor]>], kwargs: {} }] }],
 *     input_layers: ["x", 0, 0] (several: a list of them; a dict model: keyed), output_layers: likewise }
 *
 * Each layer's entry comes from `layerEntry` (the .keras writer passes its serializer), else its `config`
 * from `layerConfig`; the default turns tfjs' config into Keras' snake_case keys with Keras 3's dtype policy.
 */
import { tf } from "../tf";
import type { Layer } from "../layers/extras";
import { type LayerGraph, kerasNodeIndex } from "./graph";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type LayerConfigFn = (layer: Layer) => Record<string, Json>;
/** A layer's whole entry `{ module, class_name, config, registered_name }` (the .keras writer's serializer). */
export type LayerEntryFn = (layer: Layer) => Record<string, unknown>;

const DTYPE_POLICY = { module: "keras", class_name: "DTypePolicy", config: { name: "float32" }, registered_name: null };
const DROP = new Set(["name", "trainable", "batchInputShape", "inputShape", "batchSize", "dtype", "inputDtype"]);

const snake = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

/** A plain layer config: Keras' name/trainable/dtype first, then the tfjs config's other keys in snake_case. */
export function defaultLayerConfig(layer: Layer): Record<string, Json> {
  const raw = layer.getConfig() as Record<string, unknown>;
  if (layer.getClassName() === "InputLayer") {
    return {
      batch_shape: (raw.batchInputShape as Json) ?? null,
      dtype: String(raw.dtype ?? "float32"),
      sparse: Boolean(raw.sparse ?? false),
      ragged: false,
      name: layer.name,
      optional: false,
    };
  }
  const out: Record<string, Json> = { name: layer.name, trainable: layer.trainable, dtype: DTYPE_POLICY };
  for (const [k, v] of Object.entries(raw))
    if (!DROP.has(k)) out[snake(k)] = JSON.parse(JSON.stringify(v ?? null)) as Json;
  return out;
}

/**
 * The node index of `input_layers` / `output_layers`: Keras 3 numbers a nested functional model's calls
 * from 1 there (its own graph is node 0, as in tfjs), a nested Sequential's from 0 (tfjs counts one).
 * Inside `inbound_nodes` every layer's calls count from 0 (kerasNodeIndex).
 */
function endpointNodeIndex(t: tf.SymbolicTensor): number {
  return t.sourceLayer instanceof tf.Sequential ? t.nodeIndex - 1 : t.nodeIndex;
}

const shapeJson = (shape: tf.Shape) => shape.map((d) => d ?? null) as Json;

function kerasTensor(t: tf.SymbolicTensor): Json {
  return {
    class_name: "__keras_tensor__",
    config: {
      shape: shapeJson(t.shape),
      dtype: t.dtype,
      keras_history: [t.sourceLayer.name, kerasNodeIndex(t), t.tensorIndex],
    },
  };
}

function endpoints(list: tf.SymbolicTensor[], names: string[] | undefined): Json {
  const one = (t: tf.SymbolicTensor) => [t.sourceLayer.name, endpointNodeIndex(t), t.tensorIndex] as Json;
  if (names) return Object.fromEntries(list.map((t, i) => [names[i], one(t)]));
  return list.length === 1 ? one(list[0]) : list.map(one);
}

/** Keras 3's functional config for a graph. `dictNames`: the inputs/outputs dict keys, when given as dicts. */
export function functionalConfig(
  name: string,
  graph: LayerGraph,
  options: {
    layerConfig?: LayerConfigFn;
    layerEntry?: LayerEntryFn;
    inputNames?: string[];
    outputNames?: string[];
    trainable?: boolean;
  } = {},
): Record<string, Json> {
  const layerConfig = options.layerConfig ?? defaultLayerConfig;
  const layers = graph.layers.map((layer) => {
    const calls = graph.nodes.filter((n) => n.layer === layer && n.inputs.length > 0);
    const own = options.layerEntry && layer.getClassName() !== "InputLayer" ? options.layerEntry(layer) : undefined;
    const entry: Record<string, Json> = own
      ? {
          module: own.module as Json,
          class_name: own.class_name as Json,
          config: JSON.parse(JSON.stringify(own.config)) as Json,
          registered_name: (own.registered_name ?? null) as Json,
        }
      : {
          module: "keras.layers",
          class_name: layer.getClassName(),
          config: layerConfig(layer),
          registered_name: null,
        };
    if (calls.length > 0) {
      const shapes = calls[0].inputs.map((t) => shapeJson(t.shape));
      entry.build_config = { input_shape: shapes.length === 1 ? shapes[0] : shapes };
    }
    entry.name = layer.name;
    entry.inbound_nodes = calls.map((n) => ({
      args: [n.inputs.length === 1 ? kerasTensor(n.inputs[0]) : n.inputs.map(kerasTensor)],
      kwargs: {},
    }));
    return entry;
  });
  return {
    name,
    trainable: options.trainable ?? true,
    layers,
    input_layers: endpoints(graph.inputs, options.inputNames),
    output_layers: endpoints(graph.outputs, options.outputNames),
  };
}
