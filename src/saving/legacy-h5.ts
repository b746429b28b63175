/**
 * Keras 2's HDF5 files (`.h5` / `.hdf5`), which Keras 3 still reads and writes ("legacy"):
 *   attrs model_config (JSON), training_config (JSON), keras_version, backend
 *   model_weights/ attrs layer_names; model_weights/<layer>/ attrs weight_names, datasets at those paths
 * A weights-only legacy file is the `model_weights` group's content at the root.
 * The optimizer's state is neither written nor read here (Keras 3 reloads such a model compiled, with
 * fresh optimizer slots when the file has none).
 */
import { tf } from "../tf";
import type { Layer } from "../layers/extras";
import { prepareTarget, writePrepared } from "./atomic";
import { type H5File, type H5Group, attr, getDataset, getGroup, openH5, readFloat32 } from "./h5";
import { writeFloat32, writeInt64 } from "./h5";
import { legacyLossNames } from "./compile-config";
import { kerasJson } from "./keras-json";
import { KERAS_VERSION, h5Bytes } from "./keras-zip";
import { type KerasObject, kerasWeightGroups } from "./layer-configs";
import { type SaveableModel, compileLoaded, modelFromKeras, modelToKeras } from "./model-config";

function strings(v: unknown): string[] {
  if (v == null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.map(String);
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<unknown>).map(String);
  return [];
}

function writeStrings(node: H5Group, name: string, values: string[]): void {
  if (values.length === 0) node.create_attribute(name, new Float64Array(0), [0], "<d");
  else node.create_attribute(name, values);
}

const shortName = (w: tf.LayerVariable) => w.originalName.split("/").at(-1)!.replace(/:\d+$/, "");

function writeWeightGroups(root: H5Group, model: SaveableModel): void {
  const layers = model.runtimeLayers();
  writeStrings(
    root,
    "layer_names",
    layers.map((l) => l.name),
  );
  root.create_attribute("backend", "tensorflow");
  root.create_attribute("keras_version", KERAS_VERSION);
  for (const layer of layers) {
    // Sub-objects' weights (a Bidirectional's two cells) are kept apart by their Keras path.
    const groups = kerasWeightGroups(layer);
    const int64 = new Set(groups.flatMap((wg) => (wg.int64 ?? []).map((j) => wg.weights[j])));
    const place = new Map(groups.flatMap((wg) => wg.weights.map((w) => [w, wg.path ? `${wg.path}/` : ""] as const)));
    const g = root.create_group(layer.name);
    const names = layer.weights.map((w) => `${model.name}/${layer.name}/${place.get(w) ?? ""}${shortName(w)}`);
    writeStrings(g, "weight_names", names);
    layer.weights.forEach((w, j) => {
      const parts = names[j].split("/");
      let at = g;
      for (const p of parts.slice(0, -1)) at = (getGroup(at, p) ?? at.create_group(p)) as H5Group;
      const t = w.read();
      if (int64.has(w)) writeInt64(at, parts.at(-1)!, t.dataSync(), [...t.shape]);
      else writeFloat32(at, parts.at(-1)!, t.dataSync() as Float32Array, [...t.shape]);
    });
  }
  writeStrings(root.create_group("top_level_model_weights"), "weight_names", []);
}

export async function saveLegacyH5(model: SaveableModel, file: string, overwrite = true, weightsOnly = false) {
  const full = modelToKeras(model);
  const target = prepareTarget(file, overwrite);
  const bytes = await h5Bytes(target, async (f) => {
    if (weightsOnly) {
      writeWeightGroups(f, model);
      return;
    }
    const { compile_config, ...modelConfig } = full;
    delete modelConfig.build_config;
    f.create_attribute("backend", "tensorflow");
    f.create_attribute("keras_version", KERAS_VERSION);
    f.create_attribute("model_config", kerasJson(modelConfig));
    if (compile_config) {
      const { optimizer, loss, ...rest } = compile_config as Record<string, unknown>;
      const o = optimizer as KerasObject;
      const training = {
        loss: legacyLossNames(loss),
        ...rest,
        optimizer_config: { class_name: o.class_name, config: o.config },
      };
      f.create_attribute("training_config", kerasJson(training));
    }
    writeWeightGroups(f.create_group("model_weights"), model);
  });
  writePrepared(target, file, bytes);
}

function readWeightGroups(root: H5Group, model: SaveableModel, file: string): void {
  const withWeights = (l: Layer) => l.weights.length > 0;
  const names = strings(attr(root, "layer_names"));
  const saved = names.filter((n) => strings(attr(getGroup(root, n)!, "weight_names")).length > 0);
  const layers = model.runtimeLayers().filter(withWeights);
  if (saved.length !== layers.length) {
    throw new Error(
      `${file} does not fit this model: it holds weights for ${saved.length} layers, the model has ${layers.length} layers with weights`,
    );
  }
  const all: tf.Tensor[][] = [];
  try {
    layers.forEach((layer, i) => {
      const g = getGroup(root, saved[i])!;
      const wn = strings(attr(g, "weight_names"));
      if (wn.length !== layer.weights.length) {
        throw new Error(
          `${file} does not fit this model: layer '${layer.name}' has ${layer.weights.length} weights, the file's layer '${saved[i]}' has ${wn.length}`,
        );
      }
      all.push(
        wn.map((n, j) => {
          const ds = getDataset(g, n);
          if (!ds) throw new Error(`${file} is corrupt: dataset '${n}' of layer '${saved[i]}' is missing`);
          const { values, shape } = readFloat32(ds);
          if (shape.join(",") !== layer.weights[j].shape.join(",")) {
            throw new Error(
              `${file} does not fit this model: weight '${n}' has shape [${shape}] but layer '${layer.name}' expects [${layer.weights[j].shape}]`,
            );
          }
          return tf.tensor(values, shape, "float32");
        }),
      );
    });
    layers.forEach((l, i) => l.setWeights(all[i]));
  } finally {
    all.forEach((ts) => tf.dispose(ts));
  }
}

function jsonAttr(f: H5File, name: string, file: string): Record<string, unknown> | undefined {
  const v = attr(f, name);
  if (v === undefined) return undefined;
  try {
    return JSON.parse(String(v)) as Record<string, unknown>;
  } catch {
    throw new Error(`${file} is corrupt: its '${name}' attribute is not JSON`);
  }
}

export async function loadLegacyH5(file: string): Promise<SaveableModel> {
  const f = await openH5(file);
  try {
    const config = jsonAttr(f, "model_config", file);
    if (!config) throw new Error(`${file} holds no model_config: it is a weights file; use model.loadWeights`);
    const model = modelFromKeras(config as unknown as KerasObject, file);
    try {
      const training = jsonAttr(f, "training_config", file);
      if (training) compileLoaded(model, training, file);
      const weights = getGroup(f, "model_weights");
      if (!weights) throw new Error(`${file} is corrupt: it has no model_weights group`);
      readWeightGroups(weights, model, file);
      return model;
    } catch (e) {
      model.dispose();
      throw e;
    }
  } finally {
    f.close();
  }
}

export async function loadLegacyH5Weights(model: SaveableModel, file: string): Promise<void> {
  const f = await openH5(file);
  try {
    readWeightGroups(getGroup(f, "model_weights") ?? f, model, file);
  } finally {
    f.close();
  }
}
