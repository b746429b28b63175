/**
 * Keras mappings of Conv1D (with "causal" padding), Conv2DTranspose and SeparableConv2D. tfjs-layers keeps
 * the kernels in Keras' layouts ([k, in, filters]; [kh, kw, filters, in]; depthwise [kh, kw, in, mult] and
 * pointwise [1, 1, in·mult, filters]), so the weights cross as they are.
 */
import * as L from "../../layers/index";
import { registerLayerMapping } from "../layer-registry";
import {
  activationFromKeras,
  activationName,
  channelsLast,
  field,
  init,
  initToKeras,
  kernelFromKeras,
  kernelToKeras,
  listOf,
  onlyNull,
  reg,
  regularizersToKeras,
} from "../keras-values";

registerLayerMapping({
  kerasClassName: "Conv1D",
  toKeras: (l) => ({
    filters: field<number>(l, "filters"),
    kernel_size: listOf(field(l, "kernelSize")),
    strides: listOf(field(l, "strides")),
    padding: field<boolean>(l, "causal") ? "causal" : field<string>(l, "padding"),
    data_format: "channels_last",
    dilation_rate: listOf(field(l, "dilationRate")),
    groups: 1,
    ...kernelToKeras(l),
  }),
  fromKeras: (o) => {
    channelsLast(o);
    o.only("groups", 1);
    o.only("lora_rank", null, 0);
    return L.Conv1D({
      ...o.base(),
      ...kernelFromKeras(o),
      filters: o.get<number>("filters")!,
      kernelSize: listOf(o.get("kernel_size")),
      strides: o.get<number[]>("strides"),
      padding: o.get<string>("padding"),
      dilationRate: o.get<number[]>("dilation_rate"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "Conv2DTranspose",
  toKeras: (l) => ({
    filters: field<number>(l, "filters"),
    kernel_size: listOf(field(l, "kernelSize")),
    strides: listOf(field(l, "strides")),
    padding: field<string>(l, "padding"),
    output_padding: null,
    data_format: "channels_last",
    dilation_rate: [1, 1],
    ...kernelToKeras(l),
  }),
  fromKeras: (o) => {
    channelsLast(o);
    o.only("output_padding", null);
    o.only("dilation_rate", [1, 1], 1, [1]);
    o.only("groups", 1);
    o.only("lora_rank", null, 0);
    return L.Conv2DTranspose({
      ...o.base(),
      ...kernelFromKeras(o),
      filters: o.get<number>("filters")!,
      kernelSize: o.get<number[]>("kernel_size")!,
      strides: o.get<number[]>("strides"),
      padding: o.get<string>("padding"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "SeparableConv2D",
  toKeras: (l) => {
    const { bias_regularizer, activity_regularizer } = regularizersToKeras(l, ["bias", "activity"]);
    return {
      depth_multiplier: field<number>(l, "depthMultiplier"),
      filters: field<number>(l, "filters"),
      kernel_size: listOf(field(l, "kernelSize")),
      strides: listOf(field(l, "strides")),
      padding: field<string>(l, "padding"),
      data_format: "channels_last",
      dilation_rate: listOf(field(l, "dilationRate")),
      activation: activationName(l),
      use_bias: field<boolean>(l, "useBias"),
      depthwise_initializer: initToKeras(field(l, "depthwiseInitializer")),
      pointwise_initializer: initToKeras(field(l, "pointwiseInitializer")),
      bias_initializer: initToKeras(field(l, "biasInitializer")),
      depthwise_regularizer: null,
      pointwise_regularizer: null,
      bias_regularizer,
      activity_regularizer,
      depthwise_constraint: null,
      pointwise_constraint: null,
      bias_constraint: null,
    };
  },
  fromKeras: (o) => {
    channelsLast(o);
    onlyNull(o, "depthwise_regularizer", "pointwise_regularizer");
    onlyNull(o, "depthwise_constraint", "pointwise_constraint", "bias_constraint");
    return L.SeparableConv2D({
      ...o.base(),
      filters: o.get<number>("filters")!,
      kernelSize: o.get<number[]>("kernel_size")!,
      strides: o.get<number[]>("strides"),
      padding: o.get<string>("padding"),
      dilationRate: o.get<number[]>("dilation_rate"),
      depthMultiplier: o.get<number>("depth_multiplier"),
      activation: activationFromKeras(o),
      useBias: o.get<boolean>("use_bias"),
      depthwiseInitializer: init(o, "depthwise_initializer"),
      pointwiseInitializer: init(o, "pointwise_initializer"),
      biasInitializer: init(o, "bias_initializer"),
      biasRegularizer: reg(o, "bias_regularizer"),
      activityRegularizer: reg(o, "activity_regularizer"),
    });
  },
});
