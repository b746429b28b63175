/**
 * Keras mappings of the merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum (no options),
 * Concatenate (`axis`) and Dot (`axes`, `normalize`). Loaded ones are the factories' layers, so they
 * check their inputs with Keras' messages when called.
 */
import * as L from "../../layers/index";
import type { LayerOptions } from "../../layers/common";
import type { Layer } from "../../layers/extras";
import { registerLayerMapping } from "../layer-registry";
import { field } from "../keras-values";

const PLAIN: [string, (o: LayerOptions) => Layer][] = [
  ["Add", L.Add],
  ["Subtract", L.Subtract],
  ["Multiply", L.Multiply],
  ["Average", L.Average],
  ["Maximum", L.Maximum],
  ["Minimum", L.Minimum],
];

for (const [kerasClassName, make] of PLAIN) {
  registerLayerMapping({ kerasClassName, toKeras: () => ({}), fromKeras: (o) => make(o.base()) });
}

registerLayerMapping({
  kerasClassName: "Concatenate",
  toKeras: (l) => ({ axis: field<number>(l, "axis") }),
  fromKeras: (o) => L.Concatenate({ ...o.base(), axis: o.get<number>("axis") }),
});

registerLayerMapping({
  kerasClassName: "Dot",
  toKeras: (l) => {
    const axes = field<number | number[]>(l, "axes");
    return { axes: Array.isArray(axes) ? [...axes] : axes, normalize: field<boolean>(l, "normalize") };
  },
  fromKeras: (o) =>
    L.Dot({ ...o.base(), axes: o.get<number | [number, number]>("axes")!, normalize: o.get<boolean>("normalize") }),
});
