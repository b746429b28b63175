/**
 * Keras mappings of the recurrent layers and their wrappers: SimpleRNN, LSTM, GRU, Bidirectional and
 * TimeDistributed. Keras 3 keeps an RNN's weights in its cell (`layers/lstm/cell/vars`: kernel,
 * recurrent_kernel, bias), a Bidirectional's under `forward_layer` / `backward_layer`, a TimeDistributed's
 * under `layer`; the gate order (LSTM i f c o, GRU z r h) and GRU's reset_after bias [2, 3·units] are
 * Keras' own, so the values cross unchanged.
 */
import * as L from "../../layers/index";
import type { Layer } from "../../layers/extras";
import type { RNNOptions } from "../../layers/rnn";
import { RecurrentLayer } from "../../layers/rnn";
import type { BidirectionalLayer, TimeDistributedLayer } from "../../layers/wrappers";
import { toSnakeCase } from "../../utils/naming";
import type { KerasObject, KerasOptions } from "../keras-options";
import {
  type KerasWeightGroup,
  kerasWeightGroups,
  layerFromKeras,
  layerToKeras,
  nestedGroups,
  registerLayerMapping,
} from "../layer-registry";
import { field, init, initToKeras, onlyNull, reg, regularizersToKeras } from "../keras-values";
import { initializer } from "../../layers/common";

type Rnn = RecurrentLayer;

/** The options every Keras RNN writes; `own` adds the class's (recurrent_activation, unit_forget_bias, …). */
function rnnToKeras(l: Rnn, own: Record<string, unknown> = {}): Record<string, unknown> {
  const o = field<RNNOptions>(l, "options");
  const initial = (key: "kernelInitializer" | "recurrentInitializer" | "biasInitializer", fallback: string) =>
    initToKeras(initializer(o[key], fallback));
  const { kernel_regularizer, bias_regularizer, activity_regularizer } = regularizersToKeras(l, [
    "kernel",
    "bias",
    "activity",
  ]);
  return {
    return_sequences: l.returnSequences,
    return_state: l.returnState,
    go_backwards: l.goBackwards,
    stateful: false,
    unroll: o.unroll ?? false,
    zero_output_for_mask: l.zeroOutputForMask,
    units: l.units,
    activation: field<string>(l, "activationName"),
    use_bias: l.useBias,
    kernel_initializer: initial("kernelInitializer", "glorot_uniform"),
    recurrent_initializer: initial("recurrentInitializer", "orthogonal"),
    bias_initializer: initial("biasInitializer", "zeros"),
    ...own,
    kernel_regularizer,
    recurrent_regularizer: null,
    bias_regularizer,
    activity_regularizer,
    kernel_constraint: null,
    recurrent_constraint: null,
    bias_constraint: null,
    dropout: l.dropout,
    recurrent_dropout: l.recurrentDropout,
    seed: o.seed ?? null,
  };
}

function rnnFromKeras(o: KerasOptions): RNNOptions & Record<string, unknown> {
  onlyNull(o, "recurrent_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint");
  o.only("stateful", false);
  o.only("time_major", false); // Keras 2
  o.ignore("implementation"); // Keras 2: how the gates are batched, same values
  const activation = o.raw<string>("activation");
  if (activation !== undefined && activation !== null && typeof activation !== "string") {
    throw o.fail("activation", `= ${JSON.stringify(activation)}: only named activations can be loaded`);
  }
  return {
    ...o.base(),
    units: o.get<number>("units")!,
    activation: activation === undefined ? undefined : (activation ?? "linear"),
    useBias: o.get<boolean>("use_bias"),
    kernelInitializer: init(o, "kernel_initializer"),
    recurrentInitializer: init(o, "recurrent_initializer"),
    biasInitializer: init(o, "bias_initializer"),
    kernelRegularizer: reg(o, "kernel_regularizer"),
    biasRegularizer: reg(o, "bias_regularizer"),
    activityRegularizer: reg(o, "activity_regularizer"),
    dropout: o.get<number>("dropout"),
    recurrentDropout: o.get<number>("recurrent_dropout"),
    returnSequences: o.get<boolean>("return_sequences"),
    returnState: o.get<boolean>("return_state"),
    goBackwards: o.get<boolean>("go_backwards"),
    unroll: o.get<boolean>("unroll"),
    zeroOutputForMask: o.get<boolean>("zero_output_for_mask"),
    seed: o.get<number>("seed"),
  };
}

/** Keras 3: the layer's own (empty) vars, then its cell's: kernel, recurrent_kernel, bias. */
function cellGroups(l: Layer): KerasWeightGroup[] {
  const r = l as Rnn;
  const weights = [r.kernel, r.recurrentKernel, r.bias].filter((w) => w !== undefined);
  return [
    { path: "", name: l.name, weights: [] },
    { path: "cell", name: `${toSnakeCase(l.getClassName())}_cell`, weights },
  ];
}

const recurrentActivation = (o: KerasOptions) => {
  const a = o.raw<string>("recurrent_activation");
  return a === null ? "linear" : a;
};

registerLayerMapping({
  kerasClassName: "SimpleRNN",
  toKeras: (l) => rnnToKeras(l as Rnn),
  fromKeras: (o) => L.SimpleRNN(rnnFromKeras(o)),
  weightGroups: cellGroups,
});

registerLayerMapping({
  kerasClassName: "LSTM",
  toKeras: (l) =>
    rnnToKeras(l as Rnn, {
      recurrent_activation: field<string>(l, "recurrentActivationName"),
      unit_forget_bias: field<boolean>(l, "unitForgetBias"),
    }),
  fromKeras: (o) =>
    L.LSTM({
      ...rnnFromKeras(o),
      recurrentActivation: recurrentActivation(o),
      unitForgetBias: o.get<boolean>("unit_forget_bias"),
    }),
  weightGroups: cellGroups,
});

registerLayerMapping({
  kerasClassName: "GRU",
  toKeras: (l) =>
    rnnToKeras(l as Rnn, {
      recurrent_activation: field<string>(l, "recurrentActivationName"),
      reset_after: field<boolean>(l, "resetAfter"),
    }),
  fromKeras: (o) =>
    L.GRU({
      ...rnnFromKeras(o),
      recurrentActivation: recurrentActivation(o),
      resetAfter: o.get<boolean>("reset_after"),
    }),
  weightGroups: cellGroups,
});

/** A wrapped layer's entry, with the input shape it was built for (as Keras writes it). */
function innerEntry(layer: Layer, inputShape: (number | null)[] | undefined): KerasObject {
  const entry = layerToKeras(layer);
  if (inputShape) entry.build_config = { input_shape: inputShape };
  return entry;
}

function wrapperInputShape(l: Layer): (number | null)[] | undefined {
  try {
    return [...(l as unknown as { input: { shape: (number | null)[] } }).input.shape];
  } catch {
    return undefined;
  }
}

function innerFromKeras(o: KerasOptions, key: string): Layer {
  const entry = o.get<KerasObject>(key);
  if (!entry || typeof entry !== "object") throw o.fail(key, "must be a layer entry ({ class_name, config })");
  return layerFromKeras(entry);
}

registerLayerMapping({
  kerasClassName: "Bidirectional",
  toKeras: (l) => {
    const b = l as BidirectionalLayer;
    const shape = wrapperInputShape(l);
    return {
      merge_mode: b.mergeMode,
      layer: innerEntry(b.forwardLayer, shape),
      backward_layer: innerEntry(b.backwardLayer, shape),
    };
  },
  fromKeras: (o) => {
    const layer = innerFromKeras(o, "layer");
    const backward = o.raw("backward_layer") == null ? undefined : innerFromKeras(o, "backward_layer");
    for (const [what, x] of [
      ["layer", layer],
      ["backward_layer", backward],
    ] as const) {
      if (x !== undefined && !(x instanceof RecurrentLayer))
        throw o.fail(what, `is a ${x.getClassName()}; Bidirectional wraps SimpleRNN, LSTM or GRU in tslab-keras`);
    }
    const mode = o.raw<string>("merge_mode");
    return L.Bidirectional(layer as Rnn, {
      ...o.base(),
      mergeMode: mode === null ? null : ((mode ?? "concat") as "concat"),
      ...(backward ? { backwardLayer: backward as Rnn } : {}),
    });
  },
  weightGroups: (l) => {
    const b = l as BidirectionalLayer;
    return [
      { path: "", name: l.name, weights: [] },
      ...nestedGroups("forward_layer", kerasWeightGroups(b.forwardLayer)),
      ...nestedGroups("backward_layer", kerasWeightGroups(b.backwardLayer)),
    ];
  },
});

registerLayerMapping({
  kerasClassName: "TimeDistributed",
  toKeras: (l) => {
    const shape = wrapperInputShape(l);
    return { layer: innerEntry((l as TimeDistributedLayer).layer, shape && [shape[0], ...shape.slice(2)]) };
  },
  fromKeras: (o) => L.TimeDistributed(innerFromKeras(o, "layer"), o.base()),
  weightGroups: (l) => [
    { path: "", name: l.name, weights: [] },
    ...nestedGroups("layer", kerasWeightGroups((l as TimeDistributedLayer).layer)),
  ],
});
