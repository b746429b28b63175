/**
 * Getting bytes from the mirrors: a small streaming tar reader, `npm pack` (a tarball without its
 * dependencies), `apt-get download` + `dpkg-deb` (a Debian package without installing it), and HTTP.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";

export interface TarEntry {
  /** Path inside the archive, without a leading "./". */
  name: string;
  data: Buffer;
}

/** Pulls exact byte counts out of a chunk stream without re-concatenating everything. */
class ChunkReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  constructor(private readonly source: AsyncIterator<Buffer | Uint8Array>) {}

  private async fill(bytes: number): Promise<boolean> {
    while (this.buffered < bytes) {
      const next = await this.source.next();
      if (next.done) return false;
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    return true;
  }

  /** The next `bytes` bytes, or undefined at the end of the stream. `keep: false` discards them. */
  async read(bytes: number, keep = true): Promise<Buffer | undefined> {
    if (!(await this.fill(bytes))) return undefined;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
    const out = keep ? all.subarray(0, bytes) : undefined;
    const rest = all.subarray(bytes);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out ?? Buffer.alloc(0);
  }
}

function parseNumber(field: Buffer): number {
  if (field[0] & 0x80) {
    // GNU base-256 encoding, used for sizes over 8 GiB.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + field[i];
    return value;
  }
  const text = field.toString("latin1").replace(/\0.*$/s, "").trim();
  return text ? parseInt(text, 8) : 0;
}

function cString(field: Buffer): string {
  const end = field.indexOf(0);
  return field.toString("utf8", 0, end < 0 ? field.length : end);
}

/** Yields the regular files of a (decompressed) tar stream whose names `wanted` accepts. */
export async function* tarEntries(
  source: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
  wanted: (name: string) => boolean,
): AsyncGenerator<TarEntry> {
  const reader = new ChunkReader(
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (async function* () {
          yield* source;
        })(),
  );
  let longName: string | undefined;
  for (;;) {
    const header = await reader.read(512);
    if (!header || header.every((byte) => byte === 0)) return;
    if (header.toString("latin1", 257, 262) !== "ustar" && header.toString("latin1", 257, 263) !== "ustar ") {
      // Old v7 archives have no magic; accept them if the checksum field parses.
      if (Number.isNaN(parseNumber(header.subarray(148, 156)))) throw new Error("not a tar archive");
    }
    const size = parseNumber(header.subarray(124, 136));
    const padded = Math.ceil(size / 512) * 512;
    const type = header[156] === 0 ? "0" : String.fromCharCode(header[156]);
    const prefix = cString(header.subarray(345, 500));
    let name =
      longName ?? (prefix ? `${prefix}/${cString(header.subarray(0, 100))}` : cString(header.subarray(0, 100)));
    longName = undefined;
    name = name.replace(/^\.\//, "");
    if (type === "L" || type === "x") {
      const body = (await reader.read(padded)) ?? Buffer.alloc(0);
      if (type === "L") longName = cString(body.subarray(0, size));
      else longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8", 0, size))?.[1];
      continue;
    }
    if ((type === "0" || type === "7") && wanted(name)) {
      const body = await reader.read(padded);
      if (!body) throw new Error(`tar archive ends inside ${name}`);
      yield { name, data: body.subarray(0, size) };
    } else if (padded > 0 && !(await reader.read(padded, false))) {
      throw new Error(`tar archive ends inside ${name}`);
    }
  }
}

/** Runs a command; resolves with its stdout, rejects with its stderr's last lines. */
export function run(command: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(stdout);
      else {
        // npm --json reports its error as JSON on stdout; other tools on stderr.
        const npmError = /"summary":\s*"((?:[^"\\]|\\.)*)"/.exec(stdout)?.[1];
        const lines = stderr
          .trim()
          .split("\n")
          .filter((line) => line && !/Unknown user config|^npm (warn|error) *$/.test(line));
        const tail = npmError ?? lines.slice(-3).join(" | ");
        reject(new Error(`\`${command} ${args.join(" ")}\` exited with ${code}${tail ? `: ${tail}` : ""}`));
      }
    });
  });
}

/** `npm pack name@version` into `dir` (no install, no dependencies); returns the tarball's path. */
export async function npmPack(spec: string, dir: string): Promise<string> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  // Few, short retries: offline, npm's defaults would wait over a minute before giving up.
  const retries = ["--fetch-retries=2", "--fetch-retry-mintimeout=1000", "--fetch-retry-maxtimeout=4000"];
  const stdout = await run(npm, ["pack", spec, "--pack-destination", dir, "--json", "--silent", ...retries], {
    cwd: dir,
  });
  const parsed = JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[];
  return path.join(dir, parsed[0].filename);
}

/** `apt-get download <pkg>` into `dir` (no root, no install); returns the .deb's path. */
export async function aptDownload(pkg: string, dir: string): Promise<string> {
  await run("apt-get", ["download", "-q", pkg], { cwd: dir });
  const deb = (await fs.promises.readdir(dir)).find((name) => name.startsWith(`${pkg}_`) && name.endsWith(".deb"));
  if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${dir}`);
  return path.join(dir, deb);
}

/** The data tar stream of a .deb (decompressed by dpkg-deb). */
export function debDataTar(deb: string): AsyncIterable<Buffer> {
  const child = spawn("dpkg-deb", ["--fsys-tarfile", deb], { stdio: ["ignore", "pipe", "inherit"] });
  return child.stdout;
}

/** Downloads `url` to `file` (streamed), reporting bytes; fails fast when the host cannot be reached. */
export async function httpDownload(
  url: string,
  file: string,
  onBytes?: (done: number, total?: number) => void,
): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(15 * 60 * 1000) });
  if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
  const total = Number(response.headers.get("content-length")) || undefined;
  const out = fs.createWriteStream(file);
  let done = 0;
  try {
    for await (const chunk of Readable.fromWeb(response.body as import("node:stream/web").ReadableStream<Uint8Array>)) {
      done += (chunk as Buffer).length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      onBytes?.(done, total);
    }
  } finally {
    await new Promise<void>((resolve) => out.end(() => resolve()));
  }
}
