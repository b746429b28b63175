/**
 * The factories of the recurrent, convolutional, pooling, reshaping, noise, preprocessing, normalization,
 * augmentation and Lambda layers, each returning its layer wrapped by `callable` (layers/callable.ts), so they
 * are called like Keras layers in a functional graph: `layers.LSTM(8)(x)`. Same arguments, same layer object.
 */
import type { Layer } from "./extras";
import { type CallableLayer, callable } from "./callable";
import * as embedding from "./embedding";
import * as simpleRnn from "./simple-rnn";
import * as lstm from "./lstm";
import * as gru from "./gru";
import * as wrappers from "./wrappers";
import * as conv from "./convolutional-more";
import * as pooling from "./pooling";
import * as reshaping from "./reshaping";
import * as noise from "./noise";
import * as preprocessing from "./preprocessing";
import * as layerNorm from "./layer-normalization";
import * as augmentation from "./augmentation";
import * as lambda from "./lambda";

/** `factory` with its result made callable (arguments and the layer's own type unchanged). */
function callableFactory<A extends unknown[], L extends Layer>(
  factory: (...args: A) => L,
): (...args: A) => CallableLayer<L> {
  return (...args: A) => callable(factory(...args));
}

export const Embedding = callableFactory(embedding.Embedding);
export const SimpleRNN = callableFactory(simpleRnn.SimpleRNN);
export const LSTM = callableFactory(lstm.LSTM);
export const GRU = callableFactory(gru.GRU);
export const Bidirectional = callableFactory(wrappers.Bidirectional);
export const TimeDistributed = callableFactory(wrappers.TimeDistributed);
export const Conv1D = callableFactory(conv.Conv1D);
export const Conv2DTranspose = callableFactory(conv.Conv2DTranspose);
export const SeparableConv2D = callableFactory(conv.SeparableConv2D);
export const MaxPooling1D = callableFactory(pooling.MaxPooling1D);
export const MaxPool1D = MaxPooling1D;
export const AveragePooling1D = callableFactory(pooling.AveragePooling1D);
export const AvgPool1D = AveragePooling1D;
export const AveragePooling2D = callableFactory(pooling.AveragePooling2D);
export const AvgPool2D = AveragePooling2D;
export const GlobalAveragePooling1D = callableFactory(pooling.GlobalAveragePooling1D);
export const GlobalAvgPool1D = GlobalAveragePooling1D;
export const GlobalMaxPooling1D = callableFactory(pooling.GlobalMaxPooling1D);
export const GlobalMaxPool1D = GlobalMaxPooling1D;
export const GlobalAveragePooling2D = callableFactory(pooling.GlobalAveragePooling2D);
export const GlobalAvgPool2D = GlobalAveragePooling2D;
export const GlobalMaxPooling2D = callableFactory(pooling.GlobalMaxPooling2D);
export const GlobalMaxPool2D = GlobalMaxPooling2D;
export const UpSampling2D = callableFactory(reshaping.UpSampling2D);
export const ZeroPadding2D = callableFactory(reshaping.ZeroPadding2D);
export const Cropping2D = callableFactory(reshaping.Cropping2D);
export const Permute = callableFactory(reshaping.Permute);
export const RepeatVector = callableFactory(reshaping.RepeatVector);
export const GaussianNoise = callableFactory(noise.GaussianNoise);
export const SpatialDropout1D = callableFactory(noise.SpatialDropout1D);
export const SpatialDropout2D = callableFactory(noise.SpatialDropout2D);
export const Rescaling = callableFactory(preprocessing.Rescaling);
export const Normalization = callableFactory(preprocessing.Normalization);
export const LayerNormalization = callableFactory(layerNorm.LayerNormalization);
export const RandomFlip = callableFactory(augmentation.RandomFlip);
export const RandomRotation = callableFactory(augmentation.RandomRotation);
export const RandomZoom = callableFactory(augmentation.RandomZoom);
export const RandomTranslation = callableFactory(augmentation.RandomTranslation);
export const Lambda = callableFactory(lambda.Lambda);
