/**
 * `layers`: Keras' layer factories (`layers.Dense(512, { activation: "relu", inputShape: [784] })`).
 * Each returns a tfjs-layers `Layer`; a Sequential model runs them with its own training loop.
 */
export { Dense, Activation, Dropout, Flatten, Reshape } from "./core";
export { Input, type InputOptions, type SymbolicTensor } from "./input";
export { type CallableLayer } from "./callable";
export type { DenseOptions, ActivationOptions, DropoutOptions, ReshapeOptions } from "./core";
export { BatchNormalization, type BatchNormalizationOptions } from "./normalization";
export { Conv2D, MaxPooling2D, MaxPool2D, type Conv2DOptions, type MaxPooling2DOptions } from "./convolutional";
export type { LayerOptions } from "./common";
export type { Layer } from "./extras";
export { ACTIVATION_NAMES } from "./activations";
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot } from "./merging";
export type { ConcatenateOptions, DotOptions } from "./merging";
