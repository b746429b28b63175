/**
 * Describes tfjs-layers models, optimizers and losses for the compiled step, and moves weights between
 * a tfjs-layers model and the step. Each `describe*` returns a spec, or a string saying why the compiled
 * step cannot take it (the caller then trains eagerly).
 */
import { tf } from "../tf";
import { getExtras } from "../layers/extras";
import type { ActivationName, LayerSpec, LossSpec, ModelSpec, OptimizerSpec } from "./spec";

const ACTIVATIONS = new Set(["linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus"]);

type Config = Record<string, unknown>;

function activationOf(c: Config): ActivationName | undefined {
  const a = c.activation ?? "linear";
  return typeof a === "string" && ACTIVATIONS.has(a) ? (a as ActivationName) : undefined;
}

function pair(v: unknown, fallback: [number, number]): [number, number] {
  if (typeof v === "number") return [v, v];
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  return fallback;
}

function hasExtras(c: Config, keys: string[]): string | undefined {
  return keys.find((k) => c[k] !== null && c[k] !== undefined);
}

/** One layer, or the reason it is not supported. */
export function describeLayer(layer: tf.layers.Layer): LayerSpec | string | null {
  const cls = layer.getClassName();
  const c = layer.getConfig() as Config;
  if (layer.trainable === false && layer.weights.length > 0) return `${layer.name} is frozen (trainable = false)`;
  const extra = hasExtras(c, [
    "kernelRegularizer",
    "biasRegularizer",
    "activityRegularizer",
    "kernelConstraint",
    "biasConstraint",
    "betaRegularizer",
    "gammaRegularizer",
    "betaConstraint",
    "gammaConstraint",
  ]);
  if (extra) return `${layer.name} has a ${extra}`;
  const extras = getExtras(layer);
  if (extras?.kernelRegularizer || extras?.biasRegularizer || extras?.activityRegularizer) {
    return `${layer.name} has a regularizer`;
  }
  switch (cls) {
    case "InputLayer":
      return null;
    case "Dense": {
      const activation = activationOf(c);
      if (!activation) return `${layer.name}: activation ${String(c.activation)}`;
      return { kind: "dense", units: Number(c.units), activation, useBias: c.useBias !== false };
    }
    case "Activation": {
      const activation = activationOf(c);
      if (!activation) return `${layer.name}: activation ${String(c.activation)}`;
      return { kind: "activation", activation };
    }
    case "Dropout":
      if (c.noiseShape !== null && c.noiseShape !== undefined) return `${layer.name}: noiseShape`;
      return { kind: "dropout", rate: Number(c.rate) };
    case "BatchNormalization": {
      const axis = c.axis ?? -1;
      if (axis !== -1 && !(Array.isArray(axis) && axis.length === 1 && axis[0] === -1))
        return `${layer.name}: axis ${String(axis)}`;
      return {
        kind: "batchnorm",
        momentum: Number(c.momentum ?? 0.99),
        epsilon: Number(c.epsilon ?? 1e-3),
        center: c.center !== false,
        scale: c.scale !== false,
      };
    }
    case "Conv2D": {
      const activation = activationOf(c);
      if (!activation) return `${layer.name}: activation ${String(c.activation)}`;
      if ((c.dataFormat ?? "channelsLast") !== "channelsLast") return `${layer.name}: channelsFirst`;
      const d = pair(c.dilationRate, [1, 1]);
      if (d[0] !== 1 || d[1] !== 1) return `${layer.name}: dilation`;
      const padding = c.padding === "same" ? "same" : c.padding === "valid" ? "valid" : undefined;
      if (!padding) return `${layer.name}: padding ${String(c.padding)}`;
      return {
        kind: "conv2d",
        filters: Number(c.filters),
        kernelSize: pair(c.kernelSize, [1, 1]),
        strides: pair(c.strides, [1, 1]),
        padding,
        activation,
        useBias: c.useBias !== false,
      };
    }
    case "MaxPooling2D": {
      if ((c.dataFormat ?? "channelsLast") !== "channelsLast") return `${layer.name}: channelsFirst`;
      const poolSize = pair(c.poolSize, [2, 2]);
      const padding = c.padding === "same" ? "same" : "valid";
      return { kind: "maxpool2d", poolSize, strides: pair(c.strides ?? c.poolSize, poolSize), padding };
    }
    case "Flatten":
      return { kind: "flatten" };
    default:
      return `layer ${cls} is not supported by the compiled step`;
  }
}

/** A Sequential-shaped tfjs-layers model (single input, single output, a chain of layers). */
export function describeModel(model: tf.LayersModel): ModelSpec | string {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return "multi-input or multi-output model";
  // A functional graph (branches, merges, shared layers) is not a chain of layers.
  if (!(model instanceof tf.Sequential)) return "a functional model (the compiled step runs layer chains)";
  const inputShape = model.inputs[0].shape.slice(1);
  if (inputShape.some((d) => d === null)) return "input shape has unknown dimensions";
  const layers: LayerSpec[] = [];
  for (const layer of model.layers) {
    const d = describeLayer(layer);
    if (typeof d === "string") return d;
    if (d !== null) layers.push(d);
  }
  return { inputShape: inputShape as number[], layers };
}

/** Keras' and tfjs' SGD and Adam (Keras config keys, snake or camel case). */
export function describeOptimizer(optimizer: tf.Optimizer): OptimizerSpec | string {
  const c = optimizer.getConfig() as Config;
  const num = (snake: string, camel: string, fallback: number) => Number(c[snake] ?? c[camel] ?? fallback);
  const o = optimizer as unknown as Config;
  if (o.clipnorm !== undefined || o.clipvalue !== undefined || o.globalClipnorm !== undefined) {
    if ((c.clipnorm ?? null) !== null || (c.clipvalue ?? null) !== null || (c.global_clipnorm ?? null) !== null)
      return "gradient clipping";
  }
  const decay = num("decay", "decay", 0);
  const learningRate = num("learning_rate", "learningRate", NaN);
  if (!Number.isFinite(learningRate)) return "optimizer without a learning rate";
  switch (optimizer.getClassName()) {
    case "SGD":
      return {
        kind: "sgd",
        learningRate,
        momentum: num("momentum", "momentum", 0),
        nesterov: c.nesterov === true,
        decay,
      };
    case "Adam":
      return {
        kind: "adam",
        learningRate,
        beta1: num("beta_1", "beta1", 0.9),
        beta2: num("beta_2", "beta2", 0.999),
        epsilon: num("epsilon", "epsilon", 1e-7),
        amsgrad: c.amsgrad === true,
        decay,
      };
    default:
      return `optimizer ${optimizer.getClassName()} is not supported by the compiled step`;
  }
}

/** The loss the compiled step computes, or undefined (e.g. custom functions, regression losses). */
export function describeLoss(loss: unknown): LossSpec | undefined {
  if (loss === "categorical_crossentropy" || loss === "categoricalCrossentropy") return "categorical_crossentropy";
  if (loss === "sparse_categorical_crossentropy" || loss === "sparseCategoricalCrossentropy")
    return "sparse_categorical_crossentropy";
  return undefined;
}

/** Weights layer by layer, each layer's in its own order (tfjs' `model.weights` puts trainable ones first). */
export function layerWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return model.layers.flatMap((l) => l.weights);
}

/** The model's weights in Keras order, copied to the host. */
export function readModelWeights(model: tf.LayersModel): Float32Array[] {
  return layerWeights(model).map((w) => w.read().dataSync() as Float32Array);
}

/** Writes host values into the model's weights (Keras order). */
export function writeModelWeights(model: tf.LayersModel, values: Float32Array[]): void {
  layerWeights(model).forEach((w, i) => {
    const t = tf.tensor(values[i], w.shape as number[]);
    w.write(t);
    t.dispose();
  });
}
