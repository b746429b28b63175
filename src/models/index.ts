/**
 * `models`: Keras' `keras.models` — `Sequential`, the functional `Model` and `loadModel` (Keras' `load_model`).
 */
import { tf } from "../tf";
import { deserializeRegularizer, setExtras } from "../layers/extras";
import { uniformSource } from "../random";
import { MODEL_FORMAT, type SavedModel, decodeWeights, readSaved } from "./saving";
import { Model } from "./functional";
import { Sequential } from "./sequential";

export { Sequential, type SequentialOptions, type CompileOptions } from "./sequential";
export { Model, type ModelOptions, type ModelData } from "./functional";
export type { FunctionalCompileOptions } from "./functional-compile";
export type { FitOptions, EvaluateOptions, PredictOptions } from "./training";
export type { DataLike } from "./data";

/**
 * Loads a model written by `model.save(path)`: architecture, weights, and (if it was compiled) its
 * optimizer, loss and metrics — so `evaluate` works right away, as after Keras' `load_model`.
 * The optimizer's slot state (e.g. Adam's moments) is not restored: training resumes with fresh slots.
 * A functional model comes back as a `Model`: `await loadModel<Model>(path)` types it so (the default
 * type is Sequential, whose predict returns one tensor).
 */
export async function loadModel<M extends Sequential | Model = Sequential>(path: string): Promise<M> {
  const saved = readSaved<SavedModel>(path, MODEL_FORMAT);
  const engine = await tf.models.modelFromJSON({
    modelTopology: saved.modelTopology as Parameters<typeof tf.models.modelFromJSON>[0]["modelTopology"],
  });
  const model =
    engine instanceof tf.Sequential ? Sequential.fromEngine(engine, saved.name) : Model.fromEngine(engine, saved.name);
  for (const layer of engine.layers) {
    const ex = saved.layerExtras?.[layer.name];
    if (ex) {
      setExtras(layer, {
        kernelRegularizer: deserializeRegularizer(ex.kernelRegularizer),
        biasRegularizer: deserializeRegularizer(ex.biasRegularizer),
        activityRegularizer: deserializeRegularizer(ex.activityRegularizer),
      });
    }
    if (layer.getClassName() === "Dropout") setExtras(layer, { dropoutRandom: uniformSource() });
  }
  const tensors = decodeWeights(saved, path);
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  if (saved.compile) {
    const { optimizer, loss, metrics } = saved.compile;
    let opt: tf.Optimizer | string = "rmsprop";
    if (optimizer) {
      const entry = tf.serialization.SerializationMap.getMap().classNameMap[optimizer.className];
      opt = entry
        ? (entry[1](entry[0], optimizer.config as tf.serialization.ConfigDict) as unknown as tf.Optimizer)
        : optimizer.className.toLowerCase();
    }
    const f = saved.compile.functional;
    if (f && model instanceof Model) {
      const losses = f.losses.map((l) => l ?? undefined);
      if (losses.every((l) => l !== undefined))
        model.compile({ optimizer: opt, loss: losses as string[], lossWeights: f.lossWeights, metrics: f.metrics });
    } else if (loss !== undefined) (model as Sequential).compile({ optimizer: opt, loss, metrics });
  }
  return model as M;
}
