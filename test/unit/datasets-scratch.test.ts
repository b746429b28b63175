/**
 * A load killed while downloading (the 133 MB CIFAR-10 tarball) leaves its scratch folder inside the
 * dataset's cache folder, never in the system temp folder, and the next load removes it. A failed fetch
 * removes its scratch folder at once. The download here is a local server that sends part of a file and
 * then stalls, so nothing leaves the machine.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { DatasetUnavailableError, ensureDataset } from "../../src/datasets/index";

const quiet = { progress: "none" } as const;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-scratch-test-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

function tmpEntries(): string[] {
  return fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("tslab-keras-cifar10-"));
}

test("a load killed mid-download leaves its scratch folder in the cache; the next load removes it", async () => {
  const dir = path.join(scratch, "killed", "cifar10");
  let requested!: () => void;
  const gotRequest = new Promise<void>((resolve) => (requested = resolve));
  // Sends 1 MB of a 30 MB file, then stalls until the client goes away.
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { "content-length": String(30 << 20) });
    res.write(Buffer.alloc(1 << 20, 7));
    requested();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const before = tmpEntries();
  const childCode = `
    const { ensureDataset } = require(${JSON.stringify(path.resolve(__dirname, "../../src/datasets/index.ts"))});
    ensureDataset("cifar10", { progress: "none", cacheDir: ${JSON.stringify(dir)}, sources: ["url"] });
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", childCode], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, TSLAB_KERAS_DATASETS_BASE_URL: `http://127.0.0.1:${port}` },
  });
  try {
    await Promise.race([
      gotRequest,
      new Promise((_, reject) => child.on("exit", (code) => reject(new Error(`child exited early with ${code}`)))),
    ]);
    // Kill it once the first megabyte is on disk (the download itself never ends).
    const partialSize = () => {
      const scratchDir = fs.existsSync(dir) ? fs.readdirSync(dir).find((n) => n.startsWith(".fetch-")) : undefined;
      const file = scratchDir && path.join(dir, scratchDir, "data_batch_1.bin.gz");
      return file && fs.existsSync(file) ? fs.statSync(file).size : 0;
    };
    for (let waited = 0; partialSize() < 1 << 20; waited += 100) {
      if (waited > 60_000) throw new Error(`the partial download did not reach 1 MB (${partialSize()} bytes)`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
  } finally {
    server.closeAllConnections();
    server.close();
  }
  const left = fs.readdirSync(dir);
  assert.equal(left.length, 1, `one scratch folder, got ${left.join(", ")}`);
  assert.match(left[0], new RegExp(`^\\.fetch-${child.pid}-[A-Za-z0-9]+$`));
  const inside = fs.readdirSync(path.join(dir, left[0]));
  assert.deepEqual(inside, ["data_batch_1.bin.gz"], "the partial download sits in the scratch folder");
  assert.ok(fs.statSync(path.join(dir, left[0], inside[0])).size >= 1 << 20);
  assert.deepEqual(tmpEntries(), before, "nothing was written to the system temp folder");

  const error = await ensureDataset("cifar10", { ...quiet, cacheDir: dir, sources: [] }).catch((e: unknown) => e);
  assert.ok(error instanceof DatasetUnavailableError, String(error));
  assert.deepEqual(fs.readdirSync(dir), [], "the dead load's scratch folder was removed");
});

test("a failed fetch removes its scratch folder; a live process's folder is kept", async () => {
  const dir = path.join(scratch, "failed", "cifar10");
  fs.mkdirSync(dir, { recursive: true });
  // A folder of this (live) process, as a concurrent load in the same process would have.
  const live = path.join(dir, `.fetch-${process.pid}-abc123`);
  fs.mkdirSync(live);
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve)); // nobody listens: refused at once
  const saved = process.env.TSLAB_KERAS_DATASETS_BASE_URL;
  process.env.TSLAB_KERAS_DATASETS_BASE_URL = `http://127.0.0.1:${port}`;
  try {
    const error = await ensureDataset("cifar10", { ...quiet, cacheDir: dir, sources: ["url"] }).catch((e) => e);
    assert.ok(error instanceof DatasetUnavailableError, String(error));
    assert.match(error.message, /official URL/);
  } finally {
    if (saved === undefined) delete process.env.TSLAB_KERAS_DATASETS_BASE_URL;
    else process.env.TSLAB_KERAS_DATASETS_BASE_URL = saved;
  }
  assert.deepEqual(fs.readdirSync(dir), [path.basename(live)], "only the live process's folder is left");
});
