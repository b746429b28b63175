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
export type { EmbeddingOptions } from "./embedding";
export type { SimpleRNNOptions } from "./simple-rnn";
export type { LSTMOptions } from "./lstm";
export type { GRUOptions } from "./gru";
export type { RNNOptions } from "./rnn";
export type { BidirectionalOptions, MergeMode } from "./wrappers";
export type { ConvOptions, SeparableConv2DOptions } from "./convolutional-more";
export type { PoolingOptions, GlobalPoolingOptions } from "./pooling";
export type { NormalizationOptions } from "./preprocessing";
export type { LayerNormalizationOptions } from "./layer-normalization";
export { containsUserCode } from "./lambda";
// The layers branch's factories, callable in a functional graph (`layers.LSTM(8)(x)`).
export {
  Embedding,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  TimeDistributed,
  Conv1D,
  Conv2DTranspose,
  SeparableConv2D,
  MaxPooling1D,
  MaxPool1D,
  AveragePooling1D,
  AvgPool1D,
  AveragePooling2D,
  AvgPool2D,
  GlobalAveragePooling1D,
  GlobalAvgPool1D,
  GlobalMaxPooling1D,
  GlobalMaxPool1D,
  GlobalAveragePooling2D,
  GlobalAvgPool2D,
  GlobalMaxPooling2D,
  GlobalMaxPool2D,
  UpSampling2D,
  ZeroPadding2D,
  Cropping2D,
  Permute,
  RepeatVector,
  GaussianNoise,
  SpatialDropout1D,
  SpatialDropout2D,
  Rescaling,
  Normalization,
  LayerNormalization,
  RandomFlip,
  RandomRotation,
  RandomZoom,
  RandomTranslation,
  Lambda,
} from "./callable-factories";
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot } from "./merging";
export type { ConcatenateOptions, DotOptions } from "./merging";
