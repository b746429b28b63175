/**
 * Keras layer configs: the registry (layer-registry.ts) with every mapping the library ships loaded
 * (layer-mappings/). Import from here, not from the registry, so the mappings are always registered.
 */
import "./layer-mappings/core";
import "./layer-mappings/recurrent";
import "./layer-mappings/convolution";
import "./layer-mappings/pooling";
import "./layer-mappings/reshaping";
import "./layer-mappings/noise";
import "./layer-mappings/preprocessing";
import "./layer-mappings/merge";

export { type KerasObject, KerasOptions } from "./keras-options";
export {
  DTYPE_POLICY,
  type KerasWeightGroup,
  type LayerMapping,
  kerasClassName,
  kerasWeightGroups,
  knownKerasLayer,
  layerFromKeras,
  layerToKeras,
  registerLayerMapping,
} from "./layer-registry";
export { objectToKeras } from "./keras-values";
