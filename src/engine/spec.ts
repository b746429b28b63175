/**
 * What the compiled training step understands: a plain description of a Sequential model, its
 * optimizer and its loss. `src/engine/describe.ts` derives one from a tfjs-layers model; anything it
 * cannot describe makes `createTrainStep` return undefined, and `fit` stays on the eager path.
 */
export type ActivationName = "linear" | "relu" | "relu6" | "sigmoid" | "tanh" | "softmax" | "elu" | "selu" | "softplus";

export type LayerSpec =
  | { kind: "dense"; units: number; activation: ActivationName; useBias: boolean }
  | { kind: "activation"; activation: ActivationName }
  | { kind: "dropout"; rate: number }
  | { kind: "batchnorm"; momentum: number; epsilon: number; center: boolean; scale: boolean }
  | {
      kind: "conv2d";
      filters: number;
      kernelSize: [number, number];
      strides: [number, number];
      padding: "same" | "valid";
      activation: ActivationName;
      useBias: boolean;
    }
  | { kind: "maxpool2d"; poolSize: [number, number]; strides: [number, number]; padding: "same" | "valid" }
  | { kind: "flatten" };

export interface ModelSpec {
  /** Input shape without the batch axis, e.g. [784] or [32, 32, 3] (channels last). */
  inputShape: number[];
  layers: LayerSpec[];
}

export type OptimizerSpec =
  | { kind: "sgd"; learningRate: number; momentum: number; nesterov: boolean; decay: number }
  | {
      kind: "adam";
      learningRate: number;
      beta1: number;
      beta2: number;
      epsilon: number;
      amsgrad: boolean;
      decay: number;
    };

/** Losses the step computes from the logits of a final softmax, as Keras' graph-mode fit does. */
export type LossSpec = "categorical_crossentropy" | "sparse_categorical_crossentropy";

/** Shape of each layer's weights, in Keras' order (dense/conv: kernel, bias; BN: gamma, beta, moving mean/var). */
export interface WeightSpec {
  layer: number;
  role: "kernel" | "bias" | "gamma" | "beta" | "moving_mean" | "moving_variance";
  shape: number[];
  trainable: boolean;
}

/** Output shape (without batch) of each layer, and the weights in model order. */
export function inferShapes(spec: ModelSpec): { shapes: number[][]; weights: WeightSpec[] } {
  const shapes: number[][] = [];
  const weights: WeightSpec[] = [];
  let shape = spec.inputShape.slice();
  spec.layers.forEach((l, i) => {
    switch (l.kind) {
      case "dense": {
        if (shape.length !== 1) throw new Error(`engine: Dense expects a flat input, got [${shape}]`);
        weights.push({ layer: i, role: "kernel", shape: [shape[0], l.units], trainable: true });
        if (l.useBias) weights.push({ layer: i, role: "bias", shape: [l.units], trainable: true });
        shape = [l.units];
        break;
      }
      case "conv2d": {
        if (shape.length !== 3) throw new Error(`engine: Conv2D expects [h, w, c], got [${shape}]`);
        const [h, w, c] = shape;
        weights.push({
          layer: i,
          role: "kernel",
          shape: [l.kernelSize[0], l.kernelSize[1], c, l.filters],
          trainable: true,
        });
        if (l.useBias) weights.push({ layer: i, role: "bias", shape: [l.filters], trainable: true });
        shape = [
          outSize(h, l.kernelSize[0], l.strides[0], l.padding),
          outSize(w, l.kernelSize[1], l.strides[1], l.padding),
          l.filters,
        ];
        break;
      }
      case "maxpool2d": {
        const [h, w, c] = shape;
        shape = [
          outSize(h, l.poolSize[0], l.strides[0], l.padding),
          outSize(w, l.poolSize[1], l.strides[1], l.padding),
          c,
        ];
        break;
      }
      case "flatten":
        shape = [shape.reduce((a, b) => a * b, 1)];
        break;
      case "batchnorm": {
        const c = shape[shape.length - 1];
        if (l.scale) weights.push({ layer: i, role: "gamma", shape: [c], trainable: true });
        if (l.center) weights.push({ layer: i, role: "beta", shape: [c], trainable: true });
        weights.push({ layer: i, role: "moving_mean", shape: [c], trainable: false });
        weights.push({ layer: i, role: "moving_variance", shape: [c], trainable: false });
        break;
      }
      default:
        break;
    }
    shapes.push(shape.slice());
  });
  return { shapes, weights };
}

function outSize(n: number, k: number, s: number, padding: "same" | "valid"): number {
  return padding === "same" ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
}

/** Multiply-adds of one sample's forward pass (dense and conv layers), for the FLOP floor. */
export function forwardMacs(spec: ModelSpec): number {
  const { shapes } = inferShapes(spec);
  let macs = 0;
  let prev = spec.inputShape;
  spec.layers.forEach((l, i) => {
    if (l.kind === "dense") macs += prev[0] * l.units;
    if (l.kind === "conv2d") {
      const [h, w] = shapes[i];
      macs += h * w * l.filters * l.kernelSize[0] * l.kernelSize[1] * prev[2];
    }
    prev = shapes[i];
  });
  return macs;
}
