/**
 * `models`: Keras' `keras.models` — `Sequential` and `loadModel` (Keras' `load_model`).
 */
import { loadModelFile } from "../saving/index";
import type { Sequential } from "./sequential";

export { Sequential, type SequentialOptions, type CompileOptions } from "./sequential";
export type { FitOptions, EvaluateOptions, PredictOptions } from "./training";
export type { DataLike } from "./data";

/**
 * Keras' `load_model`: a `.keras` file or a legacy `.h5`/`.hdf5` file, written by Python Keras or by
 * `model.save` — architecture, weights, and if it was compiled its optimizer (with its state, from a
 * `.keras` file), loss and metrics, so `evaluate` and `fit` work right away.
 */
export async function loadModel(path: string): Promise<Sequential> {
  return loadModelFile(path);
}
