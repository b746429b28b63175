/**
 * Checked, atomic cache files. A file enters the cache only through `writeVerifiedFile`: it is
 * written to `<name>.partial-<pid>-<n>` beside its final place, hashed as it is written, checked
 * against its FileSpec, flushed, then renamed. A process killed half-way leaves only a `.partial-*`
 * file, which no loader trusts and `removeStalePartials` deletes once its writer is gone.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { FileSpec } from "./spec";
import { CIFAR_RECORD_BYTES } from "./spec";

/** A file that is not what the checksum list says, with what was expected and what to do. */
export class DatasetFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly expected: string,
    readonly remedy: string,
  ) {
    super(`${file}: ${problem}; expected ${expected}. ${remedy}`);
    this.name = "DatasetFileError";
  }
}

const REFETCH = "The file was removed; load the dataset again to fetch it anew (or `npm run datasets`).";

export async function sha256OfFile(file: string): Promise<string> {
  const hash = crypto.createHash("sha256");
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Checks a file's leading bytes (and, for CIFAR, every label byte present) against its spec. */
export function checkHeader(bytes: Uint8Array, spec: FileSpec, file: string, remedy = REFETCH): void {
  const format = spec.format;
  if (format.kind === "idx") {
    const headerBytes = 4 + 4 * format.dims.length;
    if (bytes.length < headerBytes) {
      throw new DatasetFileError(
        file,
        `only ${bytes.length} bytes, too short for an idx header`,
        `${headerBytes}`,
        remedy,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
    const found = [view.getUint32(0)];
    for (let i = 0; i < format.dims.length; i++) found.push(view.getUint32(4 + 4 * i));
    const wanted = [format.magic, ...format.dims];
    if (found.some((value, i) => value !== wanted[i])) {
      const show = (values: number[]) =>
        `magic 0x${values[0].toString(16).padStart(8, "0")}, dims [${values.slice(1)}]`;
      throw new DatasetFileError(file, `wrong idx header (${show(found)})`, show(wanted), remedy);
    }
    return;
  }
  for (let offset = 0; offset < bytes.length; offset += CIFAR_RECORD_BYTES) {
    if (bytes[offset] > 9) {
      const record = offset / CIFAR_RECORD_BYTES;
      throw new DatasetFileError(
        file,
        `record ${record} has label byte ${bytes[offset]}`,
        "a CIFAR-10 binary batch (labels 0-9, 3073-byte records)",
        remedy,
      );
    }
  }
}

/** The cheap check done on every load: size, then header (verify: also the sha256). Removes a bad file. */
export async function checkCachedFile(file: string, spec: FileSpec, verify: boolean): Promise<void> {
  try {
    const stat = await fs.promises.stat(file);
    if (stat.size !== spec.size) {
      throw new DatasetFileError(
        file,
        `size ${stat.size} bytes (truncated or not this file)`,
        `${spec.size} bytes`,
        REFETCH,
      );
    }
    const head = Buffer.alloc(Math.min(spec.size, spec.format.kind === "idx" ? 16 : CIFAR_RECORD_BYTES));
    const handle = await fs.promises.open(file, "r");
    try {
      await handle.read(head, 0, head.length, 0);
    } finally {
      await handle.close();
    }
    checkHeader(head, spec, file);
    if (verify) {
      const sha = await sha256OfFile(file);
      if (sha !== spec.sha256) throw new DatasetFileError(file, `sha256 ${sha}`, `sha256 ${spec.sha256}`, REFETCH);
    }
  } catch (error) {
    if (error instanceof DatasetFileError) await fs.promises.rm(file, { force: true });
    throw error;
  }
}

let partialCounter = 0;

/**
 * Writes `chunks` to `dest` atomically, refusing content whose size, header or sha256 differ from
 * `spec` (the temporary file is deleted and nothing reaches `dest`). `origin` names where the bytes came from.
 */
export async function writeVerifiedFile(
  dest: string,
  spec: FileSpec,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  origin: string,
  onBytes?: (written: number) => void,
): Promise<void> {
  await fs.promises.mkdir(path.dirname(dest), { recursive: true });
  const partial = `${dest}.partial-${process.pid}-${partialCounter++}`;
  const hash = crypto.createHash("sha256");
  const handle = await fs.promises.open(partial, "w");
  let written = 0;
  let head = Buffer.alloc(0);
  try {
    try {
      for await (const chunk of chunks) {
        hash.update(chunk);
        if (head.length < CIFAR_RECORD_BYTES) head = Buffer.concat([head, chunk.subarray(0, CIFAR_RECORD_BYTES)]);
        await handle.write(chunk);
        written += chunk.length;
        onBytes?.(written);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    const remedy = `Nothing was cached from ${origin}; it is not a faithful copy of ${spec.name}.`;
    if (written !== spec.size)
      throw new DatasetFileError(origin, `gave ${written} bytes for ${spec.name}`, `${spec.size} bytes`, remedy);
    checkHeader(head, spec, `${origin} (${spec.name})`, remedy);
    const sha = hash.digest("hex");
    if (sha !== spec.sha256)
      throw new DatasetFileError(origin, `${spec.name} has sha256 ${sha}`, `sha256 ${spec.sha256}`, remedy);
    await fs.promises.rename(partial, dest);
  } catch (error) {
    await fs.promises.rm(partial, { force: true });
    throw error;
  }
  await syncDirectory(path.dirname(dest));
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.promises.open(dir, "r");
    await handle.sync().finally(() => handle.close());
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  }
}

const PARTIAL = /\.partial-(\d+)-\d+$/;
const STALE_AFTER_MS = 24 * 3600 * 1000;

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A fetch's scratch folder (npm tarballs, downloads being unpacked): `<cache>/.fetch-<pid>-XXXXXX`, inside
 * the cache rather than the system temp folder, so a killed load leaves its 133 MB tarball where the next
 * load finds and removes it.
 */
export function scratchDirPrefix(dir: string): string {
  return path.join(dir, `.fetch-${process.pid}-`);
}
const SCRATCH = /^\.fetch-(\d+)-[A-Za-z0-9]+$/;

/**
 * Deletes `.partial-*` files and `.fetch-*` scratch folders whose writer has died (or that are a day old).
 * Returns the names removed.
 */
export async function removeStalePartials(dir: string): Promise<string[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const match = PARTIAL.exec(name) ?? SCRATCH.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    const file = path.join(dir, name);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    const old = stat !== undefined && Date.now() - stat.mtimeMs > STALE_AFTER_MS;
    if (pid !== process.pid && (old || !processIsAlive(pid))) {
      await fs.promises.rm(file, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}
