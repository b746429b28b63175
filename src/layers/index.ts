/**
 * `layers`: Keras' layer factories (`layers.Dense(512, { activation: "relu", inputShape: [784] })`).
 * Each returns a tfjs-layers `Layer`; a Sequential model runs them with its own training loop.
 */
export { Input, Dense, Activation, Dropout, Flatten, Reshape } from "./core";
export type { InputOptions, DenseOptions, ActivationOptions, DropoutOptions, ReshapeOptions } from "./core";
export { BatchNormalization, type BatchNormalizationOptions } from "./normalization";
export { Conv2D, MaxPooling2D, MaxPool2D, type Conv2DOptions, type MaxPooling2DOptions } from "./convolutional";
export type { LayerOptions } from "./common";
export type { Layer } from "./extras";
export { ACTIVATION_NAMES } from "./activations";
export { Embedding, type EmbeddingOptions } from "./embedding";
export { SimpleRNN, type SimpleRNNOptions } from "./simple-rnn";
export { LSTM, type LSTMOptions } from "./lstm";
export { GRU, type GRUOptions } from "./gru";
export type { RNNOptions } from "./rnn";
export { Bidirectional, TimeDistributed, type BidirectionalOptions, type MergeMode } from "./wrappers";
export {
  Conv1D,
  Conv2DTranspose,
  SeparableConv2D,
  type ConvOptions,
  type SeparableConv2DOptions,
} from "./convolutional-more";
export {
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
  type PoolingOptions,
  type GlobalPoolingOptions,
} from "./pooling";
export { UpSampling2D, ZeroPadding2D, Cropping2D, Permute, RepeatVector } from "./reshaping";
export { GaussianNoise, SpatialDropout1D, SpatialDropout2D } from "./noise";
export { Rescaling, Normalization, type NormalizationOptions } from "./preprocessing";
export { LayerNormalization, type LayerNormalizationOptions } from "./layer-normalization";
export { RandomFlip, RandomRotation, RandomZoom, RandomTranslation } from "./augmentation";
export { Lambda, containsUserCode } from "./lambda";
