/**
 * `models`: Keras' `keras.models` — `Sequential`, the functional `Model` and `loadModel` (Keras' `load_model`).
 */
import { loadModelFile } from "../saving/index";
import type { Model } from "./functional";
import type { Sequential } from "./sequential";

export { Sequential, type SequentialOptions, type CompileOptions } from "./sequential";
export { Model, type ModelOptions, type ModelData } from "./functional";
export type { FunctionalCompileOptions } from "./functional-compile";
export type { FitOptions, EvaluateOptions, PredictOptions } from "./training";
export type { DataLike } from "./data";

/**
 * Keras' `load_model`: a `.keras` file or a legacy `.h5`/`.hdf5` file, written by Python Keras or by
 * `model.save` — architecture, weights, and if it was compiled its optimizer (with its state, from a
 * `.keras` file), loss and metrics, so `evaluate` and `fit` work right away. Sequential and functional models
 * (`loadModel<Model>(path)` for a functional one).
 */
export async function loadModel<M extends Sequential | Model = Sequential>(path: string): Promise<M> {
  return (await loadModelFile(path)) as unknown as M;
}
