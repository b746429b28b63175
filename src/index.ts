/**
 * tslab-keras: Keras' names, where Keras keeps them, over tfjs-node's native TensorFlow.
 *
 *   import { Sequential, layers, optimizers, losses, metrics, regularizers, initializers,
 *            callbacks, datasets, utils, display, tf } from "tslab-keras";
 *
 * Each area owns a block of exports below.
 */
export { tf } from "./tf";

// --- display (src/display) ---
export * as display from "./display/index";
export { plotHistory, showImages, table } from "./display/index";

// --- optimizers, regularizers, initializers, callbacks (src/optimizers, …) ---
export * as optimizers from "./optimizers/index";
export * as regularizers from "./regularizers/index";
export * as initializers from "./initializers/index";
export * as callbacks from "./callbacks/index";

// --- datasets (src/datasets) ---
export * as datasets from "./datasets/index";

// --- modelling API core (src/models, src/layers, src/losses, src/metrics, src/utils) ---
export { Sequential } from "./models/sequential";
export { Model } from "./models/functional";
export * as models from "./models/index";
export * as layers from "./layers/index";
export { Input } from "./layers/input";
export * as losses from "./losses/index";
export * as metrics from "./metrics/index";
export * as utils from "./utils/index";
