/**
 * Keras mappings of the preprocessing layers: Rescaling, Normalization (an adapted one keeps `mean`,
 * `variance` and the int64 `count` as weights, as Keras does; a given one keeps them in its config) and the
 * image augmentations RandomFlip, RandomRotation, RandomZoom, RandomTranslation (identity outside training).
 */
import * as L from "../../layers/index";
import type { NormalizationLayer } from "../../layers/preprocessing";
import type { KerasOptions } from "../keras-options";
import { registerLayerMapping } from "../layer-registry";
import { channelsLast, field } from "../keras-values";

registerLayerMapping({
  kerasClassName: "Rescaling",
  toKeras: (l) => ({ scale: field<number>(l, "scale"), offset: field<number>(l, "offset") }),
  fromKeras: (o) => {
    for (const key of ["scale", "offset"]) {
      const v = o.raw(key);
      if (v != null && typeof v !== "number") {
        throw o.fail(key, `= ${JSON.stringify(v)}: tslab-keras' Rescaling takes one number (no per-channel list)`);
      }
    }
    return L.Rescaling({ ...o.base(), scale: o.get<number>("scale")!, offset: o.get<number>("offset") });
  },
});

/** One value for a single statistic, as Keras takes it for a scalar mean; the list otherwise. */
const statistic = (v: number[] | undefined) => (v === undefined ? null : v.length === 1 ? v[0] : [...v]);

registerLayerMapping({
  kerasClassName: "Normalization",
  toKeras: (l) => {
    const n = l as NormalizationLayer;
    return {
      axis: n.axis.length === 0 ? null : [...n.axis],
      invert: n.invert,
      mean: statistic(field<number[] | undefined>(l, "givenMean")),
      variance: statistic(field<number[] | undefined>(l, "givenVariance")),
    };
  },
  fromKeras: (o) => {
    const axis = o.raw<number | number[]>("axis");
    const mean = o.raw<number | number[]>("mean") ?? undefined;
    const variance = o.raw<number | number[]>("variance") ?? undefined;
    return L.Normalization({
      ...o.base(),
      axis: axis === undefined ? -1 : axis,
      invert: o.get<boolean>("invert"),
      ...(mean !== undefined ? { mean } : {}),
      ...(variance !== undefined ? { variance } : {}),
    });
  },
  weightGroups: (l) => [{ path: "", name: l.name, weights: l.weights, int64: l.weights.length === 3 ? [2] : [] }],
});

/** The options Keras' geometric augmentations share. */
function warpToKeras(l: L.Layer): Record<string, unknown> {
  return {
    fill_mode: field<string>(l, "fillMode"),
    fill_value: field<number>(l, "fillValue"),
    interpolation: field<string>(l, "interpolation"),
    seed: null,
    data_format: "channels_last",
  };
}

function warpFromKeras(o: KerasOptions) {
  channelsLast(o);
  return {
    ...o.base(),
    fillMode: o.get<string>("fill_mode"),
    fillValue: o.get<number>("fill_value"),
    interpolation: o.get<string>("interpolation"),
    seed: o.get<number>("seed"),
  };
}

registerLayerMapping({
  kerasClassName: "RandomFlip",
  toKeras: (l) => ({ mode: field<string>(l, "mode"), seed: null, data_format: "channels_last" }),
  fromKeras: (o) => {
    channelsLast(o);
    return L.RandomFlip({ ...o.base(), mode: o.get("mode"), seed: o.get<number>("seed") });
  },
});

registerLayerMapping({
  kerasClassName: "RandomRotation",
  toKeras: (l) => ({ factor: [...field<number[]>(l, "factor")], ...warpToKeras(l) }),
  fromKeras: (o) => L.RandomRotation({ ...warpFromKeras(o), factor: o.get<number | [number, number]>("factor") }),
});

registerLayerMapping({
  kerasClassName: "RandomZoom",
  toKeras: (l) => {
    const width = field<number[] | undefined>(l, "widthFactor");
    return {
      height_factor: [...field<number[]>(l, "heightFactor")],
      width_factor: width ? [...width] : null,
      ...warpToKeras(l),
    };
  },
  fromKeras: (o) =>
    L.RandomZoom({
      ...warpFromKeras(o),
      heightFactor: o.get<number | [number, number]>("height_factor"),
      widthFactor: o.get<number | [number, number]>("width_factor"),
    }),
});

registerLayerMapping({
  kerasClassName: "RandomTranslation",
  toKeras: (l) => ({
    height_factor: [...field<number[]>(l, "heightFactor")],
    width_factor: [...field<number[]>(l, "widthFactor")],
    ...warpToKeras(l),
  }),
  fromKeras: (o) =>
    L.RandomTranslation({
      ...warpFromKeras(o),
      heightFactor: o.get<number | [number, number]>("height_factor"),
      widthFactor: o.get<number | [number, number]>("width_factor"),
    }),
});
