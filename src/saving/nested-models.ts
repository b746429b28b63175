/**
 * Models called as layers inside a functional model (Keras' `block(x)`: an augmentation Sequential, a
 * functional head). In the graph each is its tfjs engine (a tf.Sequential or a tf.LayersModel); Keras
 * writes it as a model entry and keeps its layers' weights under `layers/<sequential|functional>/layers/…`.
 * Loading makes our Sequential / Model, which is callable like a layer.
 */
import type { Layer } from "../layers/extras";
import { functionalConfig } from "../models/functional-config";
import { buildGraph } from "../models/graph";
import type { tf } from "../tf";
import { functionalFromKeras } from "./functional-keras";
import { layerKeys } from "./h5-weights";
import type { KerasWeightGroup } from "./layer-registry";
import { kerasWeightGroups, layerToKeras, nestedGroups, registerLayerMapping } from "./layer-registry";
import { sequentialConfig, sequentialFromKeras } from "./model-config";

type Engine = Layer & { layers: Layer[]; inputs: tf.SymbolicTensor[]; outputs: tf.SymbolicTensor[] };

/** The model's own (empty) vars, then each of its layers' groups under `layers/<key>`. */
function innerGroups(l: Layer, layers: Layer[]): KerasWeightGroup[] {
  const keys = layerKeys(layers);
  return [
    { path: "", name: l.name, weights: [] },
    ...layers.flatMap((layer, i) => nestedGroups(`layers/${keys[i]}`, kerasWeightGroups(layer))),
  ];
}

registerLayerMapping({
  kerasClassName: "Sequential",
  module: "keras",
  toKeras: (l) => {
    const e = l as Engine;
    const { name: _n, trainable: _t, dtype: _d, ...rest } = sequentialConfig(l.name, e.layers, [...e.inputs[0].shape]);
    return rest;
  },
  fromKeras: (o) => {
    o.ignore("layers", "build_input_shape");
    return sequentialFromKeras(o.config, `Layer '${o.layerName}' (Sequential)`) as unknown as Layer;
  },
  weightGroups: (l) => innerGroups(l, (l as Engine).layers),
});

const isInput = (l: Layer) => l.getClassName() === "InputLayer";

registerLayerMapping({
  kerasClassName: "Functional",
  tfjsClassName: "Model",
  module: "keras.src.models.functional",
  registeredName: "Functional",
  baseConfig: (l) => ({ name: l.name, trainable: l.trainable }),
  toKeras: (l) => {
    const e = l as Engine;
    const {
      name: _n,
      trainable: _t,
      ...rest
    } = functionalConfig(l.name, buildGraph(e.inputs, e.outputs), {
      layerEntry: layerToKeras,
    });
    return rest;
  },
  fromKeras: (o) => {
    o.ignore("layers", "input_layers", "output_layers");
    return functionalFromKeras(o.config, `Layer '${o.layerName}' (Functional)`) as unknown as Layer;
  },
  weightGroups: (l) =>
    innerGroups(
      l,
      (l as Engine).layers.filter((x) => !isInput(x)),
    ),
});
