/**
 * Keras mappings of the pooling layers besides MaxPooling2D: MaxPooling1D, AveragePooling1D/2D and the
 * global poolings (with Keras 3's `keepdims`). None has weights.
 */
import * as L from "../../layers/index";
import type { Layer } from "../../layers/extras";
import type { KerasOptions } from "../keras-options";
import { registerLayerMapping } from "../layer-registry";
import { channelsLast, field, listOf } from "../keras-values";

type PoolFactory = (o: L.PoolingOptions) => Layer;

function pooling(kerasClassName: string, make: PoolFactory): void {
  registerLayerMapping({
    kerasClassName,
    toKeras: (l) => ({
      pool_size: listOf(field(l, "poolSize")),
      padding: field<string>(l, "padding"),
      strides: listOf(field(l, "strides")),
      data_format: "channels_last",
    }),
    fromKeras: (o: KerasOptions) => {
      channelsLast(o);
      return make({
        ...o.base(),
        poolSize: o.get<number | number[]>("pool_size"),
        strides: o.get<number | number[]>("strides"),
        padding: o.get<string>("padding"),
      });
    },
  });
}

pooling("MaxPooling1D", (o) => L.MaxPooling1D(o));
pooling("AveragePooling1D", (o) => L.AveragePooling1D(o));
pooling("AveragePooling2D", (o) => L.AveragePooling2D(o));

function globalPooling(kerasClassName: string, make: (o: L.GlobalPoolingOptions) => Layer): void {
  registerLayerMapping({
    kerasClassName,
    toKeras: (l) => ({ data_format: "channels_last", keepdims: field<boolean>(l, "keepdims") }),
    fromKeras: (o) => {
      channelsLast(o);
      return make({ ...o.base(), keepdims: o.get<boolean>("keepdims") });
    },
  });
}

globalPooling("GlobalAveragePooling1D", (o) => L.GlobalAveragePooling1D(o));
globalPooling("GlobalMaxPooling1D", (o) => L.GlobalMaxPooling1D(o));
globalPooling("GlobalAveragePooling2D", (o) => L.GlobalAveragePooling2D(o));
globalPooling("GlobalMaxPooling2D", (o) => L.GlobalMaxPooling2D(o));
