/**
 * Keras layer configs: the registry (layer-registry.ts) with every mapping the library ships loaded
 * (layer-mappings/). Import from here, not from the registry, so the mappings are always registered.
 */
import "./layer-mappings/core";

export { type KerasObject, KerasOptions } from "./keras-options";
export {
  DTYPE_POLICY,
  type LayerMapping,
  knownKerasLayer,
  layerFromKeras,
  layerToKeras,
  registerLayerMapping,
} from "./layer-registry";
export { objectToKeras } from "./keras-values";
