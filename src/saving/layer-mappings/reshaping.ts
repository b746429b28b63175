/** Keras mappings of the reshaping layers: UpSampling2D, ZeroPadding2D, Cropping2D, Permute, RepeatVector. */
import * as L from "../../layers/index";
import { registerLayerMapping } from "../layer-registry";
import { channelsLast, field } from "../keras-values";

type Amounts = [[number, number], [number, number]];

registerLayerMapping({
  kerasClassName: "UpSampling2D",
  toKeras: (l) => ({ size: [...field<number[]>(l, "size")], data_format: "channels_last", interpolation: "nearest" }),
  fromKeras: (o) => {
    channelsLast(o);
    o.only("interpolation", "nearest");
    return L.UpSampling2D({ ...o.base(), size: o.get<[number, number]>("size") });
  },
});

registerLayerMapping({
  kerasClassName: "ZeroPadding2D",
  toKeras: (l) => ({ padding: field<Amounts>(l, "padding").map((p) => [...p]), data_format: "channels_last" }),
  fromKeras: (o) => {
    channelsLast(o);
    return L.ZeroPadding2D({ ...o.base(), padding: o.get<Amounts>("padding") });
  },
});

registerLayerMapping({
  kerasClassName: "Cropping2D",
  toKeras: (l) => ({ cropping: field<Amounts>(l, "cropping").map((p) => [...p]), data_format: "channels_last" }),
  fromKeras: (o) => {
    channelsLast(o);
    return L.Cropping2D({ ...o.base(), cropping: o.get<Amounts>("cropping") });
  },
});

registerLayerMapping({
  kerasClassName: "Permute",
  toKeras: (l) => ({ dims: [...field<number[]>(l, "dims")] }),
  fromKeras: (o) => L.Permute({ ...o.base(), dims: o.get<number[]>("dims")! }),
});

registerLayerMapping({
  kerasClassName: "RepeatVector",
  toKeras: (l) => ({ n: field<number>(l, "n") }),
  fromKeras: (o) => L.RepeatVector({ ...o.base(), n: o.get<number>("n")! }),
});
