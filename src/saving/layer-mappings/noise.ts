/**
 * Keras mappings of the layers that add noise in training only: GaussianNoise, SpatialDropout1D/2D. Their
 * seeds are written as Keras' `null` (a fresh draw), like Dropout's; a seed in a Keras file is kept.
 * Keras' SpatialDropout configs have no `trainable` (its constructor refuses one) and a plain dtype name.
 */
import * as L from "../../layers/index";
import type { Layer } from "../../layers/extras";
import { registerLayerMapping } from "../layer-registry";

const spatialBase = (l: Layer) => ({ name: l.name, dtype: "float32" });
import { channelsLast, field } from "../keras-values";

registerLayerMapping({
  kerasClassName: "GaussianNoise",
  toKeras: (l) => ({ stddev: field<number>(l, "stddev"), seed: null }),
  fromKeras: (o) => L.GaussianNoise({ ...o.base(), stddev: o.get<number>("stddev")!, seed: o.get<number>("seed") }),
});

registerLayerMapping({
  kerasClassName: "SpatialDropout1D",
  baseConfig: spatialBase,
  toKeras: (l) => ({ rate: field<number>(l, "rate"), seed: null }),
  fromKeras: (o) => {
    channelsLast(o);
    return L.SpatialDropout1D({ ...o.base(), rate: o.get<number>("rate")!, seed: o.get<number>("seed") });
  },
});

registerLayerMapping({
  kerasClassName: "SpatialDropout2D",
  baseConfig: spatialBase,
  toKeras: (l) => ({ rate: field<number>(l, "rate"), seed: null, data_format: "channels_last" }),
  fromKeras: (o) => {
    channelsLast(o);
    return L.SpatialDropout2D({ ...o.base(), rate: o.get<number>("rate")!, seed: o.get<number>("seed") });
  },
});
