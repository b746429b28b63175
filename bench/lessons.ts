/**
 * The lesson models of the benchmark, as plain data shared by every row: tfjs-layers, this library and
 * Python Keras (bench/keras_bench.py reads the same JSON). Shapes, batch sizes and sample counts follow
 * the lessons in /work/shared/seeds (000–004).
 */
export type BenchLayer =
  | { type: "dense"; units: number; activation?: string }
  | { type: "activation"; activation: string }
  | { type: "dropout"; rate: number }
  | { type: "batchnorm" }
  | { type: "conv2d"; filters: number; kernel: number; activation: string }
  | { type: "maxpool2d" }
  | { type: "flatten" };

export interface Lesson {
  id: string;
  title: string;
  inputShape: number[];
  classes: number;
  layers: BenchLayer[];
  optimizer: { name: "sgd" | "adam"; learningRate: number };
  loss: "categorical_crossentropy" | "sparse_categorical_crossentropy";
  batchSize: number;
  trainSamples: number;
  valSamples: number;
}

const dense = (units: number, activation?: string): BenchLayer => ({ type: "dense", units, activation });
const drop = (rate: number): BenchLayer => ({ type: "dropout", rate });
const conv = (filters: number): BenchLayer => ({ type: "conv2d", filters, kernel: 3, activation: "relu" });

export const LESSONS: Lesson[] = [
  {
    id: "000",
    title: "784-512-512-10, dropout 0.8 + BN, SGD, batch 128",
    inputShape: [784],
    classes: 10,
    layers: [
      dense(512, "relu"),
      drop(0.8),
      { type: "batchnorm" },
      dense(512, "relu"),
      drop(0.8),
      { type: "batchnorm" },
      dense(10, "softmax"),
    ],
    optimizer: { name: "sgd", learningRate: 0.01 },
    loss: "categorical_crossentropy",
    batchSize: 128,
    trainSamples: 48000,
    valSamples: 12000,
  },
  {
    id: "001",
    title: "784-256-256-10, dropout 0.2, Adam, batch 100",
    inputShape: [784],
    classes: 10,
    layers: [dense(256, "relu"), drop(0.2), dense(256, "relu"), drop(0.2), dense(10, "softmax")],
    optimizer: { name: "adam", learningRate: 0.001 },
    loss: "categorical_crossentropy",
    batchSize: 100,
    trainSamples: 55000,
    valSamples: 0,
  },
  {
    id: "002",
    title: "784-196-49-10, Adam, batch 8",
    inputShape: [784],
    classes: 10,
    layers: [
      dense(196),
      { type: "activation", activation: "relu" },
      dense(49),
      { type: "activation", activation: "relu" },
      dense(10),
      { type: "activation", activation: "softmax" },
    ],
    optimizer: { name: "adam", learningRate: 0.001 },
    loss: "categorical_crossentropy",
    batchSize: 8,
    trainSamples: 50000,
    valSamples: 10000,
  },
  {
    id: "002-bn",
    title: "784-196-49-10 + BN, Adam, batch 8",
    inputShape: [784],
    classes: 10,
    layers: [
      dense(196),
      { type: "activation", activation: "relu" },
      { type: "batchnorm" },
      dense(49),
      { type: "activation", activation: "relu" },
      { type: "batchnorm" },
      dense(10),
      { type: "activation", activation: "softmax" },
    ],
    optimizer: { name: "adam", learningRate: 0.001 },
    loss: "categorical_crossentropy",
    batchSize: 8,
    trainSamples: 50000,
    valSamples: 10000,
  },
  {
    id: "003",
    title: "784-5x256-10, dropout 0.2, Adam, batch 512",
    inputShape: [784],
    classes: 10,
    layers: [...[1, 2, 3, 4, 5].flatMap(() => [dense(256, "relu"), drop(0.2)]), dense(10, "softmax")],
    optimizer: { name: "adam", learningRate: 0.001 },
    loss: "categorical_crossentropy",
    batchSize: 512,
    trainSamples: 60000,
    valSamples: 10000,
  },
  {
    id: "004",
    title: "CIFAR-10 CNN (6 conv, 3 pool), Adam 1e-4, batch 32",
    inputShape: [32, 32, 3],
    classes: 10,
    layers: [
      conv(32),
      conv(32),
      { type: "maxpool2d" },
      drop(0.2),
      conv(64),
      conv(64),
      { type: "maxpool2d" },
      drop(0.2),
      conv(128),
      conv(128),
      { type: "maxpool2d" },
      drop(0.2),
      { type: "flatten" },
      dense(256, "relu"),
      dense(10, "softmax"),
    ],
    optimizer: { name: "adam", learningRate: 1e-4 },
    loss: "sparse_categorical_crossentropy",
    batchSize: 32,
    trainSamples: 35000,
    valSamples: 15000,
  },
];

/** Forward multiply-adds per sample (dense and conv layers). */
export function lessonMacs(lesson: Lesson): number {
  let shape = lesson.inputShape.slice();
  let macs = 0;
  for (const l of lesson.layers) {
    if (l.type === "dense") {
      macs += shape[0] * l.units;
      shape = [l.units];
    } else if (l.type === "conv2d") {
      macs += shape[0] * shape[1] * l.filters * l.kernel * l.kernel * shape[2];
      shape = [shape[0], shape[1], l.filters];
    } else if (l.type === "maxpool2d") {
      shape = [Math.ceil(shape[0] / 2), Math.ceil(shape[1] / 2), shape[2]];
    } else if (l.type === "flatten") {
      shape = [shape.reduce((a, b) => a * b, 1)];
    }
  }
  return macs;
}
