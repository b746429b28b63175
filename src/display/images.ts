/**
 * `showImages(images, { titles, cols, scale })`: a grid of small images (28×28 grey, 32×32 RGB, …) as the
 * lessons draw digits titled with predictions. Input is duck-typed — a tf.Tensor ([n,h,w], [n,h,w,1],
 * [n,h,w,3], [n,784], [n,3072]), typed arrays or nested arrays — so display never loads tfjs. Values in
 * 0–1 or 0–255 are detected and said so. The bundle has one composed `image/png` (pngjs), a `text/html`
 * grid with the titles, and `text/plain`.
 */
import { PNG } from "pngjs";
import { JUPYTER_DISPLAY, type JupyterDisplayable, type MimeBundle } from "./bridge";
import { escapeHTML } from "./html-export";
import { publish } from "./output";

/** Anything tensor-like: tf.Tensor fits (`shape`, `dataSync()`, optional `slice`/`dispose`). */
export interface TensorLike {
  shape: number[];
  dataSync?(): ArrayLike<number>;
  arraySync?(): unknown;
  slice?(begin: number, size: number): TensorLike;
  dispose?(): void;
}
type Pixels = ArrayLike<number> | unknown[];
export type ImagesInput = TensorLike | Pixels[] | TensorLike[] | ArrayLike<number>;

export interface ShowImagesOptions {
  /** One title per image (e.g. predictions), shown above it. */
  titles?: (string | number)[];
  /** Grid columns (default: up to 10). */
  cols?: number;
  /** Pixel scale (default: 2 for images up to 64 px). */
  scale?: number;
  /** Shape of one image for flat inputs: [h, w] or [h, w, channels]. */
  shape?: [number, number] | [number, number, number];
  /** "gray": 0 black, max white; "gray_r": reversed (black digits on white, like the seeds). */
  cmap?: "gray" | "gray_r";
  /** The value range to map to black…white (default: detected 0–1 or 0–255). */
  range?: [number, number];
  /** Most images shown (default 100); the rest are left out, and the text says so. */
  max?: number;
}

interface Img {
  h: number;
  w: number;
  c: number;
  data: ArrayLike<number>;
}

function isTensorLike(x: unknown): x is TensorLike {
  return (
    typeof x === "object" &&
    x !== null &&
    Array.isArray((x as TensorLike).shape) &&
    (typeof (x as TensorLike).dataSync === "function" || typeof (x as TensorLike).arraySync === "function")
  );
}

function flatten(x: unknown, shape: number[] = []): { data: number[]; shape: number[] } {
  const data: number[] = [];
  const walk = (v: unknown, depth: number) => {
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      const arr = v as ArrayLike<unknown>;
      if (shape.length <= depth) shape.push(arr.length);
      for (let i = 0; i < arr.length; i++) walk(arr[i], depth + 1);
    } else data.push(Number(v));
  };
  walk(x, 0);
  return { data, shape };
}

/** Reads a tensor's values without creating tensors (except a disposed slice when only `max` are shown). */
function tensorData(t: TensorLike, max: number): { data: ArrayLike<number>; shape: number[] } {
  const shape = [...t.shape];
  let source = t;
  let sliced: TensorLike | undefined;
  if (shape.length >= 3 && shape[0] > max && typeof t.slice === "function") {
    sliced = t.slice(0, max);
    source = sliced;
    shape[0] = max;
  }
  try {
    if (typeof source.dataSync === "function") return { data: source.dataSync(), shape };
    return { data: flatten(source.arraySync!()).data, shape };
  } finally {
    sliced?.dispose?.();
  }
}

const KNOWN_FLAT: Record<number, [number, number, number]> = { 784: [28, 28, 1], 3072: [32, 32, 3] };

function splitBatch(data: ArrayLike<number>, shape: number[], opts: ShowImagesOptions): Img[] {
  let dims: number[];
  const withC = (h: number, w: number, c = 1) => [h, w, c];
  if (shape.length === 4) dims = [shape[0], ...withC(shape[1], shape[2], shape[3])];
  else if (shape.length === 3) {
    const single = (shape[2] === 1 || shape[2] === 3) && shape[0] > 4 && shape[1] > 4 && !opts.shape;
    dims = single ? [1, ...withC(shape[0], shape[1], shape[2])] : [shape[0], ...withC(shape[1], shape[2])];
  } else if (shape.length === 2) {
    const per = opts.shape ?? KNOWN_FLAT[shape[1]];
    dims = per ? [shape[0], per[0], per[1], per[2] ?? 1] : [1, shape[0], shape[1], 1];
  } else if (shape.length === 1) {
    const per = opts.shape ?? KNOWN_FLAT[shape[0]];
    if (!per) {
      throw new Error(
        `showImages: cannot tell the size of an image from ${shape[0]} values; pass { shape: [h, w] } (28×28 = 784 and 32×32×3 = 3072 are recognized)`,
      );
    }
    dims = [1, per[0], per[1], per[2] ?? 1];
  } else {
    throw new Error(
      `showImages: expected images shaped [n,h,w], [n,h,w,1], [n,h,w,3] or [n,784]; got shape [${shape.join(",")}]`,
    );
  }
  const [n, h, w, c] = dims;
  if (c !== 1 && c !== 3)
    throw new Error(`showImages: images need 1 (grey) or 3 (RGB) channels; got ${c} (shape [${shape.join(",")}])`);
  if (!(h >= 1 && w >= 1 && h <= 1024 && w <= 1024))
    throw new Error(`showImages: image size ${h}×${w} is out of bounds (1–1024 px a side)`);
  const size = h * w * c;
  if (data.length !== n * size) {
    throw new Error(
      `showImages: ${data.length} values do not make ${n} image(s) of ${h}×${w}×${c}; check the shape option`,
    );
  }
  const subarray = (data as Float32Array).subarray?.bind(data);
  return Array.from({ length: n }, (_, i) => ({
    h,
    w,
    c,
    data: subarray ? subarray(i * size, (i + 1) * size) : Array.prototype.slice.call(data, i * size, (i + 1) * size),
  }));
}

function toImages(input: ImagesInput, opts: ShowImagesOptions, max: number): { images: Img[]; total: number } {
  if (isTensorLike(input)) {
    const total = input.shape.length >= 3 ? input.shape[0] : undefined;
    const { data, shape } = tensorData(input, max);
    const images = splitBatch(data, shape, opts);
    return { images: images.slice(0, max), total: total ?? images.length };
  }
  if (ArrayBuffer.isView(input) || (Array.isArray(input) && typeof input[0] === "number")) {
    const data = input as ArrayLike<number>;
    const per = opts.shape
      ? opts.shape[0] * opts.shape[1] * (opts.shape[2] ?? 1)
      : [784, 3072].find((k) => data.length % k === 0);
    const shape = per && data.length % per === 0 ? [data.length / per, per] : [data.length];
    const images = splitBatch(data, shape, opts);
    return { images: images.slice(0, max), total: images.length };
  }
  if (!Array.isArray(input)) throw new Error("showImages: expected a tensor, an array of images or a typed array");
  if (input.length === 0) throw new Error("showImages: no images given (empty array)");
  const images = input.slice(0, max).flatMap((item: unknown) => {
    if (isTensorLike(item)) {
      const { data, shape } = tensorData(item, max);
      return splitBatch(data, shape.length >= 3 && shape[0] === 1 ? shape.slice(1) : shape, opts);
    }
    const { data, shape } = flatten(item);
    return splitBatch(data, shape, opts);
  });
  return { images, total: input.length };
}

function detectRange(images: Img[], opts: ShowImagesOptions): { lo: number; hi: number; note: string } {
  if (opts.range)
    return { lo: opts.range[0], hi: opts.range[1], note: `values mapped from ${opts.range[0]}–${opts.range[1]}` };
  let min = Infinity;
  let max = -Infinity;
  images.forEach((img, k) => {
    for (let i = 0; i < img.data.length; i++) {
      const v = img.data[i];
      if (!Number.isFinite(v))
        throw new Error(`showImages: image ${k} has a ${v} pixel; images must be finite numbers`);
      if (v < min) min = v;
      if (v > max) max = v;
    }
  });
  if (min >= 0 && max <= 1) return { lo: 0, hi: 1, note: "values 0–1 detected (shown ×255)" };
  if (min >= 0 && max <= 255) return { lo: 0, hi: 255, note: "values 0–255 detected" };
  throw new Error(
    `showImages: pixel values range from ${min} to ${max}; expected 0–1 or 0–255 (pass { range: [${min}, ${max}] } to rescale)`,
  );
}

function encode(width: number, height: number, rgba: Buffer, grey: boolean): Buffer {
  const png = new PNG({ width, height });
  rgba.copy(png.data);
  return PNG.sync.write(png, { colorType: grey ? 0 : 2 });
}

export class ImageGrid implements JupyterDisplayable {
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly text: string;
  private readonly cells: { png: Buffer; title?: string }[] = [];
  private readonly cellSize: [number, number];
  private readonly cols: number;

  constructor(input: ImagesInput, opts: ShowImagesOptions = {}) {
    const max = opts.max ?? 100;
    const { images, total } = toImages(input, opts, max);
    if (images.length === 0) throw new Error("showImages: no images given");
    const { h, w, c } = images[0];
    if (images.some((im) => im.h !== h || im.w !== w || im.c !== c))
      throw new Error("showImages: images differ in size");
    const { lo, hi, note } = detectRange(images, opts);
    const scale = Math.max(1, Math.round(opts.scale ?? (Math.max(h, w) <= 64 ? 2 : 1)));
    const cols = Math.max(1, Math.min(opts.cols ?? Math.min(images.length, 10), images.length));
    const rows = Math.ceil(images.length / cols);
    const gap = 2;
    const [cw, ch] = [w * scale, h * scale];
    this.cellSize = [cw, ch];
    this.cols = cols;
    this.width = cols * cw + (cols - 1) * gap;
    this.height = rows * ch + (rows - 1) * gap;
    const grid = Buffer.alloc(this.width * this.height * 4, 255);
    const reversed = opts.cmap === "gray_r" && c === 1;
    const byte = (v: number) => {
      const b = Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * 255);
      return reversed ? 255 - b : b;
    };
    images.forEach((img, k) => {
      const cell = Buffer.alloc(cw * ch * 4, 255);
      const [ox, oy] = [(k % cols) * (cw + gap), Math.floor(k / cols) * (ch + gap)];
      for (let y = 0; y < ch; y++) {
        for (let x = 0; x < cw; x++) {
          const src = (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
          const r = byte(img.data[src]);
          const g = c === 3 ? byte(img.data[src + 1]) : r;
          const b = c === 3 ? byte(img.data[src + 2]) : r;
          const i = (y * cw + x) * 4;
          cell[i] = r;
          cell[i + 1] = g;
          cell[i + 2] = b;
          const j = ((oy + y) * this.width + ox + x) * 4;
          grid[j] = r;
          grid[j + 1] = g;
          grid[j + 2] = b;
        }
      }
      const title = opts.titles?.[k];
      this.cells.push({ png: encode(cw, ch, cell, c === 1), title: title === undefined ? undefined : String(title) });
    });
    this.png = encode(this.width, this.height, grid, c === 1);
    const left = total > images.length ? ` (first ${images.length} of ${total})` : "";
    const titles = opts.titles?.length ? `; titles: ${opts.titles.slice(0, images.length).join(" ")}` : "";
    this.text = `${images.length} image${images.length === 1 ? "" : "s"}${left}, ${h}×${w} ${c === 1 ? "grey" : "RGB"}, ${note}${titles}`;
  }

  toHTML(): string {
    const [cw, ch] = this.cellSize;
    const figs = this.cells.map(({ png, title }) => {
      const caption =
        title === undefined
          ? ""
          : `<figcaption style="font:13px sans-serif;text-align:center">${escapeHTML(title)}</figcaption>`;
      return `<figure style="margin:2px">${caption}<img width="${cw}" height="${ch}" style="image-rendering:pixelated" src="data:image/png;base64,${png.toString("base64")}"></figure>`;
    });
    return `<div style="display:flex;flex-wrap:wrap;max-width:${(cw + 8) * this.cols}px">${figs.join("")}</div>`;
  }

  bundle(): MimeBundle {
    return { "image/png": this.png.toString("base64"), "text/html": this.toHTML(), "text/plain": this.text };
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }

  show(): void {
    publish(this.bundle());
  }
}

/** A grid of images as one displayable (return it as a cell's last value, or call `.show()`). */
export function showImages(images: ImagesInput, options: ShowImagesOptions = {}): ImageGrid {
  return new ImageGrid(images, options);
}
