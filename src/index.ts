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
