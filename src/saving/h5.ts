/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly; its Node build reads and writes real
 * files). Loaded lazily (h5wasm is an ES module), with HDF5's error printing replaced by exceptions, and
 * a file that is not HDF5 or was cut short gets a message saying so instead of HDF5's diagnostics.
 */
import * as fs from "node:fs";

type H5 = typeof import("h5wasm/node", { with: { "resolution-mode": "import" } });
export type H5File = InstanceType<H5["File"]>;
export type H5Group = InstanceType<H5["Group"]>;
export type H5Dataset = InstanceType<H5["Dataset"]>;

let loading: Promise<H5> | undefined;

export function h5wasm(): Promise<H5> {
  loading ??= (async () => {
    const mod = (await import("h5wasm/node")) as H5 & { default?: H5 };
    const h5 = (mod.default ?? mod) as H5;
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    return h5;
  })();
  return loading;
}

const SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** "truncated" when the superblock's end-of-file address lies past the file's end, else undefined. */
function truncation(file: string): string | undefined {
  const head = Buffer.alloc(64);
  const fd = fs.openSync(file, "r");
  let n: number;
  let size: number;
  try {
    n = fs.readSync(fd, head, 0, 64, 0);
    size = fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
  if (n < 8 || !head.subarray(0, 8).equals(SIGNATURE)) return undefined;
  const version = head[8];
  // Superblock v0/v1: EOF address at byte 40 (v1: 44); v2/v3: at byte 28 (8-byte offsets assumed).
  const at = version === 0 ? 40 : version === 1 ? 44 : 28;
  if (n < at + 8) return `it is truncated (${size} bytes)`;
  const eof = Number(head.readBigUInt64LE(at));
  return eof > size ? `it is truncated (${size} of ${eof} bytes)` : undefined;
}

/** Opens an HDF5 file for reading; `what` names it in messages ("the weights file"). */
export async function openH5(file: string, label = file): Promise<H5File> {
  if (!fs.existsSync(file)) throw new Error(`No such file: ${label}`);
  const head = Buffer.alloc(8);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, head, 0, 8, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SIGNATURE)) throw new Error(`${label} is corrupt: it is not an HDF5 file`);
  const cut = truncation(file);
  if (cut) throw new Error(`${label} is corrupt: ${cut}`);
  const h5 = await h5wasm();
  try {
    return new h5.File(file, "r");
  } catch (e) {
    throw new Error(`${label} is corrupt or truncated: HDF5 cannot open it (${firstLine(e)})`);
  }
}

export async function createH5(file: string): Promise<H5File> {
  const h5 = await h5wasm();
  return new h5.File(file, "w");
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split("\n")[0];
}

const kind = (node: unknown) => (node as { type?: string } | null)?.type;

/** The group at `path`, creating each missing level (h5wasm creates one level at a time). */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let g = root;
  for (const part of path.split("/").filter(Boolean)) {
    const next = g.get(part);
    g = kind(next) === "Group" ? (next as H5Group) : g.create_group(part);
  }
  return g;
}

export function getGroup(root: H5Group, path: string): H5Group | undefined {
  const node = root.get(path);
  return kind(node) === "Group" ? (node as H5Group) : undefined;
}

export function getDataset(root: H5Group, path: string): H5Dataset | undefined {
  const node = root.get(path);
  return kind(node) === "Dataset" ? (node as H5Dataset) : undefined;
}

/** A string attribute (or list of strings) of a node, if present. */
export function attr(node: H5Group | H5Dataset, name: string): unknown {
  const a = node.attrs[name];
  return a === undefined ? undefined : a.value;
}

/** float32 values and shape of a dataset (float64/int datasets converted). */
export function readFloat32(ds: H5Dataset): { values: Float32Array; shape: number[] } {
  const v = ds.value as unknown;
  const shape = [...(ds.shape ?? [])];
  if (v instanceof Float32Array) return { values: v, shape };
  if (ArrayBuffer.isView(v)) return { values: Float32Array.from(v as unknown as ArrayLike<number>, Number), shape };
  if (typeof v === "number" || typeof v === "bigint") return { values: Float32Array.of(Number(v)), shape };
  throw new Error(`dataset ${ds.path} does not hold numbers`);
}

export function readNumber(ds: H5Dataset): number {
  const v = ds.value as unknown;
  if (typeof v === "number" || typeof v === "bigint") return Number(v);
  if (ArrayBuffer.isView(v)) return Number((v as unknown as ArrayLike<number | bigint>)[0]);
  throw new Error(`dataset ${ds.path} does not hold a number`);
}

export function writeFloat32(group: H5Group, name: string, values: Float32Array, shape: number[]): void {
  group.create_dataset({ name, data: values, shape, dtype: "<f" });
}

export function writeInt64Scalar(group: H5Group, name: string, value: number): void {
  group.create_dataset({ name, data: BigInt64Array.of(BigInt(value)), shape: [], dtype: "<q" });
}

/** Integer values stored as Keras stores int64 variables (Normalization's count). */
export function writeInt64(group: H5Group, name: string, values: ArrayLike<number>, shape: number[]): void {
  const data = BigInt64Array.from(Array.from(values, (v) => BigInt(Math.round(v))));
  group.create_dataset({ name, data, shape, dtype: "<q" });
}
