/**
 * Keras 3's `.keras` file: a zip (stored, uncompressed, as Keras writes it) of `metadata.json`,
 * `config.json` and `model.weights.h5`. Zip through fflate, HDF5 through h5wasm.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { prepareTarget, tempSibling, writePrepared } from "./atomic";
import { kerasJson } from "./keras-json";
import { createH5, openH5 } from "./h5";
import { readKerasWeights, writeKerasWeights } from "./h5-weights";
import type { KerasObject } from "./layer-configs";
import { type SaveableModel, compileLoaded, modelFromKeras, modelToKeras } from "./model-config";

/** The Keras version whose format we write (read back by Keras 3.x). */
export const KERAS_VERSION = "3.15.1";

function dateSaved(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The bytes of an HDF5 file written by `write`, through a temporary sibling of `target`. */
export async function h5Bytes(target: string, write: (f: Awaited<ReturnType<typeof createH5>>) => Promise<void>) {
  const tmp = tempSibling(target);
  try {
    const f = await createH5(tmp);
    try {
      await write(f);
    } finally {
      f.close();
    }
    return fs.readFileSync(tmp);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

export async function saveKeras(model: SaveableModel, file: string, overwrite = true): Promise<void> {
  const config = modelToKeras(model); // before touching the disk: an unmappable layer fails here
  const target = prepareTarget(file, overwrite);
  const weights = await h5Bytes(target, (f) => writeKerasWeights(f, model));
  const zip = zipSync(
    {
      "metadata.json": strToU8(JSON.stringify({ keras_version: KERAS_VERSION, date_saved: dateSaved() })),
      "config.json": strToU8(kerasJson(config)),
      "model.weights.h5": new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength),
    },
    { level: 0 },
  );
  writePrepared(target, file, zip);
}

/** The entries of a `.keras` zip, or a message saying it is truncated/corrupt. */
export function readZip(file: string): Record<string, Uint8Array> {
  if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
  if (fs.statSync(file).isDirectory()) throw new Error(`${file} is a folder, not a .keras file`);
  const bytes = fs.readFileSync(file);
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) {
    const json = bytes.subarray(0, 40).toString("utf8").includes('"format":"tslab-keras-model"');
    throw new Error(
      json
        ? `${file} is in tslab-keras' old JSON format, not a Keras file; re-save the model with this version`
        : `${file} is corrupt: it is not a zip archive, so not a .keras file`,
    );
  }
  try {
    return unzipSync(bytes);
  } catch (e) {
    throw new Error(`${file} is truncated or corrupt: its zip archive cannot be read (${(e as Error).message})`);
  }
}

export async function loadKeras(file: string): Promise<SaveableModel> {
  const entries = readZip(file);
  for (const need of ["config.json", "model.weights.h5"]) {
    if (!entries[need]) throw new Error(`${file} is corrupt: it has no ${need}`);
  }
  let config: KerasObject & { compile_config?: Record<string, unknown> };
  try {
    config = JSON.parse(strFromU8(entries["config.json"]));
  } catch {
    throw new Error(`${file} is corrupt: its config.json is not JSON`);
  }
  const model = modelFromKeras(config, file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-load-"));
  try {
    if (config.compile_config) compileLoaded(model, config.compile_config, file);
    const h5file = path.join(dir, "model.weights.h5");
    fs.writeFileSync(h5file, entries["model.weights.h5"]);
    const f = await openH5(h5file, `${file} (its model.weights.h5)`);
    try {
      await readKerasWeights(f, model, file);
    } finally {
      f.close();
    }
  } catch (e) {
    model.dispose(); // a model that failed to load holds no tensors
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return model;
}
