/**
 * TensorFlow.js' Layers format for the browser: a folder holding `model.json` (topology + weight
 * manifest) and `weights.bin`, which `tf.loadLayersModel("…/model.json")` reads (in Node:
 * `tf.loadLayersModel("file://…/model.json")`). Written into a temporary sibling folder and renamed
 * into place, so a killed export leaves the previous folder (or none).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { tf } from "../tf";
import { commitTemp, ensureFolder, pathError, removeStaleTemps, tempSibling } from "./atomic";
import type { SaveableModel } from "./model-config";

export async function exportTfjs(model: SaveableModel, dir: string, overwrite = true): Promise<void> {
  const target = path.resolve(dir);
  ensureFolder(path.dirname(target), dir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw pathError(dir, "it is a file; the tfjs format is a folder");
    if (!overwrite) throw new Error(`${dir} already exists; pass { overwrite: true } to replace it`);
  }
  removeStaleTemps(path.dirname(target));
  const tmp = tempSibling(target);
  try {
    await model.layersModel().save(`file://${tmp}`);
    browserTopology(path.join(tmp, "model.json"));
    commitTemp(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Stock tfjs spells two of Keras' initializer classes differently; a browser must find them all. */
const TFJS_CLASS_NAMES: Record<string, string> = { LecunUniform: "LeCunUniform", LecunNormal: "LeCunNormal" };

function browserTopology(jsonFile: string): void {
  const text = fs.readFileSync(jsonFile, "utf8");
  const fixed = text.replace(
    /"class_name":"(LecunUniform|LecunNormal)"/g,
    (_, c: string) => `"class_name":"${TFJS_CLASS_NAMES[c]}"`,
  );
  if (fixed !== text) fs.writeFileSync(jsonFile, fixed);
}

/** Loads a tfjs Layers model folder (or its model.json) as a plain tfjs LayersModel. */
export function loadTfjs(dirOrJson: string): Promise<tf.LayersModel> {
  const json = dirOrJson.endsWith(".json") ? dirOrJson : path.join(dirOrJson, "model.json");
  if (!fs.existsSync(json)) throw new Error(`No such file: ${json}`);
  return tf.loadLayersModel(`file://${path.resolve(json)}`);
}
