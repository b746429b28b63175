/**
 * Keras mappings of the core layers: Dense, Embedding, Conv2D, MaxPooling2D, Dropout, Flatten, Activation,
 * Reshape, BatchNormalization and LayerNormalization.
 */
import * as L from "../../layers/index";
import type { Layer } from "../../layers/extras";
import { registerLayerMapping } from "../layer-registry";
import {
  activationFromKeras,
  activationName,
  field,
  init,
  initToKeras,
  kernelFromKeras,
  kernelToKeras,
  objectToKeras,
  onlyNull,
  pairOf,
  singleAxis,
} from "../keras-values";

registerLayerMapping({
  kerasClassName: "Dense",
  toKeras: (l) => ({ units: field<number>(l, "units"), ...kernelToKeras(l), quantization_config: null }),
  fromKeras: (o) => {
    o.only("quantization_config", null);
    o.only("lora_rank", null, 0);
    return L.Dense({ ...o.base(), ...kernelFromKeras(o), units: o.get<number>("units")! });
  },
});

registerLayerMapping({
  kerasClassName: "Conv2D",
  toKeras: (l) => ({
    filters: field<number>(l, "filters"),
    kernel_size: pairOf(field(l, "kernelSize")),
    strides: pairOf(field(l, "strides")),
    padding: field<string>(l, "padding"),
    data_format: "channels_last",
    dilation_rate: pairOf(field(l, "dilationRate")),
    groups: 1,
    ...kernelToKeras(l),
  }),
  fromKeras: (o) => {
    o.only("data_format", "channels_last");
    o.only("groups", 1);
    o.only("lora_rank", null, 0);
    return L.Conv2D({
      ...o.base(),
      ...kernelFromKeras(o),
      filters: o.get<number>("filters")!,
      kernelSize: o.get<[number, number]>("kernel_size")!,
      strides: o.get<[number, number]>("strides"),
      padding: o.get<"valid" | "same">("padding"),
      dilationRate: o.get<[number, number]>("dilation_rate"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "MaxPooling2D",
  toKeras: (l) => ({
    pool_size: pairOf(field(l, "poolSize")),
    padding: field<string>(l, "padding"),
    strides: pairOf(field(l, "strides")),
    data_format: "channels_last",
  }),
  fromKeras: (o) => {
    o.only("data_format", "channels_last");
    return L.MaxPooling2D({
      ...o.base(),
      poolSize: o.get<[number, number]>("pool_size"),
      strides: o.get<[number, number]>("strides"),
      padding: o.get<"valid" | "same">("padding"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "Dropout",
  toKeras: (l) => ({ rate: field<number>(l, "rate"), seed: null, noise_shape: field(l, "noiseShape") ?? null }),
  fromKeras: (o) =>
    L.Dropout({
      ...o.base(),
      rate: o.get<number>("rate")!,
      seed: o.get<number>("seed"),
      noiseShape: o.get<number[]>("noise_shape"),
    }),
});

registerLayerMapping({
  kerasClassName: "Flatten",
  toKeras: () => ({ data_format: "channels_last" }),
  fromKeras: (o) => {
    o.only("data_format", "channels_last");
    return L.Flatten(o.base());
  },
});

registerLayerMapping({
  kerasClassName: "Activation",
  toKeras: (l) => ({ activation: activationName(l) }),
  fromKeras: (o) => L.Activation({ ...o.base(), activation: activationFromKeras(o) }),
});

registerLayerMapping({
  kerasClassName: "Reshape",
  toKeras: (l) => ({ target_shape: [...field<number[]>(l, "targetShape")] }),
  fromKeras: (o) => L.Reshape({ ...o.base(), targetShape: o.get<number[]>("target_shape")! }),
});

registerLayerMapping({
  kerasClassName: "BatchNormalization",
  toKeras: (l) => ({
    axis: field<number>(l, "axis"),
    momentum: field<number>(l, "momentum"),
    epsilon: field<number>(l, "epsilon"),
    center: field<boolean>(l, "center"),
    scale: field<boolean>(l, "scale"),
    beta_initializer: objectToKeras(field(l, "betaInitializer"), "keras.initializers"),
    gamma_initializer: objectToKeras(field(l, "gammaInitializer"), "keras.initializers"),
    moving_mean_initializer: objectToKeras(field(l, "movingMeanInitializer"), "keras.initializers"),
    moving_variance_initializer: objectToKeras(field(l, "movingVarianceInitializer"), "keras.initializers"),
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
    synchronized: false,
  }),
  fromKeras: (o) => {
    for (const k of ["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"]) o.only(k, null);
    o.only("synchronized", false);
    o.only("renorm", false);
    o.only("renorm_clipping", null);
    o.only("renorm_momentum", 0.99);
    return L.BatchNormalization({
      ...o.base(),
      axis: singleAxis(o),
      momentum: o.get<number>("momentum"),
      epsilon: o.get<number>("epsilon"),
      center: o.get<boolean>("center"),
      scale: o.get<boolean>("scale"),
      betaInitializer: init(o, "beta_initializer"),
      gammaInitializer: init(o, "gamma_initializer"),
      movingMeanInitializer: init(o, "moving_mean_initializer"),
      movingVarianceInitializer: init(o, "moving_variance_initializer"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "Embedding",
  toKeras: (l) => ({
    input_dim: field<number>(l, "inputDim"),
    output_dim: field<number>(l, "outputDim"),
    embeddings_initializer: initToKeras(field(l, "embeddingsInitializer")),
    embeddings_regularizer: null,
    activity_regularizer: null,
    embeddings_constraint: null,
    mask_zero: field<boolean>(l, "maskZero"),
    quantization_config: null,
  }),
  fromKeras: (o) => {
    onlyNull(o, "embeddings_regularizer", "activity_regularizer", "embeddings_constraint", "quantization_config");
    o.only("lora_rank", null, 0);
    o.only("sparse", false);
    return L.Embedding({
      ...o.base(),
      inputDim: o.get<number>("input_dim")!,
      outputDim: o.get<number>("output_dim")!,
      embeddingsInitializer: init(o, "embeddings_initializer"),
      maskZero: o.get<boolean>("mask_zero"),
      inputLength: o.get<number>("input_length"), // Keras 2: warned about and ignored, as Keras 3 does
    });
  },
});

/** tfjs resolves LayerNormalization's axes to positive ones when built; Keras writes them as given (-1). */
function layerNormAxis(l: Layer): number[] {
  const axis = field<number | number[]>(l, "axis");
  const list = Array.isArray(axis) ? axis : [axis];
  let rank: number | undefined;
  try {
    rank = (l as unknown as { input: { shape: unknown[] } }).input.shape.length;
  } catch {
    rank = undefined; // shared or not connected: positive axes are valid too
  }
  return list.map((a) => (rank !== undefined && a >= 0 ? a - rank : a));
}

registerLayerMapping({
  kerasClassName: "LayerNormalization",
  toKeras: (l) => ({
    axis: layerNormAxis(l),
    epsilon: field<number>(l, "epsilon"),
    center: field<boolean>(l, "center"),
    scale: field<boolean>(l, "scale"),
    rms_scaling: false,
    beta_initializer: initToKeras(field(l, "betaInitializer")),
    gamma_initializer: initToKeras(field(l, "gammaInitializer")),
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
  }),
  fromKeras: (o) => {
    onlyNull(o, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
    o.only("rms_scaling", false);
    return L.LayerNormalization({
      ...o.base(),
      axis: o.get<number | number[]>("axis"),
      epsilon: o.get<number>("epsilon"),
      center: o.get<boolean>("center"),
      scale: o.get<boolean>("scale"),
      betaInitializer: init(o, "beta_initializer"),
      gammaInitializer: init(o, "gamma_initializer"),
    });
  },
});
