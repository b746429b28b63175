/**
 * `saving`: Keras 3's file formats, chosen by the file's extension as Keras 3 does:
 *   model.save("m.keras")            Keras 3 zip (config.json, metadata.json, model.weights.h5)
 *   model.save("m.h5" | "m.hdf5")    Keras 2 HDF5 ("legacy"; Keras 3 still reads and writes it)
 *   model.saveWeights("m.weights.h5") Keras 3 weights (layers and optimizer state)
 *   model.export("dir", { format: "tfjs" })  TensorFlow.js Layers format for the browser
 *   models.loadModel(path)           .keras, .h5/.hdf5 (whatever wrote them: Python Keras or us)
 */
import * as fs from "node:fs";
import { loadKeras, saveKeras } from "./keras-zip";
import { createH5, openH5 } from "./h5";
import { readKerasWeights, writeKerasWeights } from "./h5-weights";
import { loadLegacyH5, loadLegacyH5Weights, saveLegacyH5 } from "./legacy-h5";
import type { SaveableModel } from "./model-config";
import { exportTfjs } from "./tfjs-format";
import { prepareTarget, tempSibling, writePrepared } from "./atomic";
import { readZip } from "./keras-zip";
import { getGroup } from "./h5";

export { registerLayerMapping, type LayerMapping, KerasOptions } from "./layer-configs";
export { registerModelMapping, type ModelMapping } from "./model-config";
export { loadTfjs } from "./tfjs-format";

const isLegacy = (p: string) => p.endsWith(".h5") || p.endsWith(".hdf5");

export async function saveModel(model: SaveableModel, file: string, overwrite = true): Promise<void> {
  const p = String(file);
  if (p.endsWith(".keras")) return saveKeras(model, p, overwrite);
  if (isLegacy(p) && !p.endsWith(".weights.h5")) return saveLegacyH5(model, p, overwrite);
  throw new Error(
    "Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format " +
      '(recommended) or a `.h5` extension. Use `model.export(filepath, { format: "tfjs" })` for the browser. ' +
      `Received: filepath=${p}.`,
  );
}

export async function loadModelFile(file: string): Promise<SaveableModel> {
  const p = String(file);
  if (!fs.existsSync(p))
    throw new Error(`File not found: filepath=${p}. Please ensure the file is an accessible \`.keras\` zip file.`);
  const head = Buffer.alloc(40);
  const fd = fs.openSync(p, "r");
  try {
    fs.readSync(fd, head, 0, 40, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString("utf8").includes('"format":"tslab-keras-')) {
    throw new Error(`${p} is in tslab-keras' old JSON format, not a Keras file; re-save the model with this version`);
  }
  if (p.endsWith(".keras") || head.readUInt32LE(0) === 0x04034b50) return loadKeras(p);
  if (isLegacy(p)) return loadLegacyH5(p);
  throw new Error(
    `File format not supported: filepath=${p}. Keras 3 only supports V3 \`.keras\` files, legacy H5 format files (\`.h5\` extension).`,
  );
}

export async function saveWeightsFile(model: SaveableModel, file: string, overwrite = true): Promise<void> {
  const p = String(file);
  if (!p.endsWith(".weights.h5")) throw new Error(`The filename must end in \`.weights.h5\`. Received: filepath=${p}`);
  const target = prepareTarget(p, overwrite);
  const tmp = tempSibling(target);
  try {
    const f = await createH5(tmp);
    try {
      await writeKerasWeights(f, model);
    } finally {
      f.close();
    }
    writePrepared(target, p, fs.readFileSync(tmp));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export async function loadWeightsFile(model: SaveableModel, file: string): Promise<void> {
  const p = String(file);
  if (p.endsWith(".keras")) {
    const entries = readZip(p);
    const bytes = entries["model.weights.h5"];
    if (!bytes) throw new Error(`${p} is corrupt: it has no model.weights.h5`);
    const tmp = tempSibling(p);
    fs.writeFileSync(tmp, bytes);
    try {
      const f = await openH5(tmp, `${p} (its model.weights.h5)`);
      try {
        await readKerasWeights(f, model, p);
      } finally {
        f.close();
      }
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    return;
  }
  if (p.endsWith(".weights.h5") || isLegacy(p)) {
    const f = await openH5(p);
    let keras3: boolean;
    try {
      keras3 = getGroup(f, "layers") !== undefined;
      if (keras3) await readKerasWeights(f, model, p);
    } finally {
      f.close();
    }
    if (!keras3) await loadLegacyH5Weights(model, p);
    return;
  }
  throw new Error(
    `File format not supported: filepath=${p}. Keras 3 only supports V3 \`.keras\` and \`.weights.h5\` files, or legacy V1/V2 \`.h5\` files.`,
  );
}

export async function exportModel(
  model: SaveableModel,
  dir: string,
  options: { format?: string; overwrite?: boolean } = {},
): Promise<void> {
  const format = options.format ?? "tfjs";
  if (format !== "tfjs") {
    throw new Error(`Unrecognized format=${format}. tslab-keras exports format="tfjs" (TensorFlow.js Layers).`);
  }
  return exportTfjs(model, dir, options.overwrite ?? true);
}
