import { test } from "node:test";
import assert from "node:assert/strict";
import { LivePlot } from "../../src/callbacks/live-plot";
import { VEGALITE_MIME, type VegaLiteSpec } from "../../src/display/index";
import { fakeClock, installFakeSender } from "./display-helpers";

async function fakeFit(cb: LivePlot, epochs: number, steps: number, clock = fakeClock()) {
  cb.setParams({ epochs, steps, verbose: 0, metrics: ["loss", "acc", "val_loss", "val_acc"] });
  await cb.onTrainBegin();
  for (let e = 0; e < epochs; e++) {
    await cb.onEpochBegin(e);
    for (let b = 0; b < steps; b++) {
      clock.advance(100);
      await cb.onTrainBatchEnd(b, b % 2 ? { loss: 1 / (e + 1 + b / steps) } : undefined);
    }
    await cb.onEpochEnd(e, { loss: 1 / (e + 2), acc: 0.5 + e / 20, val_loss: 1 / (e + 1.5), val_acc: 0.45 + e / 20 });
  }
  await cb.onTrainEnd();
}

type Row = { epoch: number; series: string };
const rowsOf = (spec: VegaLiteSpec): Row[] =>
  ((spec.layer as { data: { values: Row[] } }[]) ?? []).flatMap((l) => l.data.values);

test("LivePlot: one chart updated in place each epoch; the last update carries the SVG", async () => {
  const { sender, restore } = installFakeSender();
  try {
    await fakeFit(new LivePlot(), 5, 20);
  } finally {
    restore();
  }
  assert.equal(sender.sent.length, 6, "one per epoch plus the final render");
  assert.equal(new Set(sender.sent.map((s) => s.options?.displayId)).size, 1, "a single display id");
  assert.deepEqual(
    sender.sent.map((s) => s.options?.update),
    [false, true, true, true, true, true],
  );
  const last = sender.sent[5].bundle;
  assert.ok((last["image/svg+xml"] as string).startsWith("<svg"));
  assert.equal(sender.sent[4].bundle["image/svg+xml"], undefined, "intermediate updates skip the SVG render");
  const spec = last[VEGALITE_MIME] as VegaLiteSpec;
  const panels = spec.hconcat as VegaLiteSpec[];
  assert.equal(panels.length, 2, "loss and acc panels");
  assert.deepEqual(
    rowsOf(panels[0])
      .filter((r) => r.series === "val_loss")
      .map((r) => r.epoch),
    [1, 2, 3, 4, 5],
  );
  assert.match(last["text/plain"] as string, /^LivePlot: epoch 5\/5\n {2}loss/);
});

test("LivePlot: everyNBatches adds mid-epoch points, throttled, to the same display", async () => {
  const { sender, restore } = installFakeSender();
  try {
    await fakeFit(new LivePlot({ metrics: "loss", everyNBatches: 5, interval: 0 }), 3, 20);
  } finally {
    restore();
  }
  assert.equal(new Set(sender.sent.map((s) => s.options?.displayId)).size, 1);
  const spec = sender.sent[sender.sent.length - 1].bundle[VEGALITE_MIME] as VegaLiteSpec;
  const loss = rowsOf(spec)
    .filter((r) => r.series === "loss")
    .map((r) => r.epoch);
  // every 5th batch (b = 4, 9, 14, 19): only odd b carry logs, so points at epoch + 10/20 and + 20/20
  assert.ok(
    loss.some((x) => !Number.isInteger(x)),
    `fractional epochs: ${loss.join(",")}`,
  );
  assert.deepEqual(loss.filter(Number.isInteger), [1, 2, 3], "epoch-end values at whole epochs");
  assert.ok(sender.sent.length <= 3 * 4 + 3 + 1);
});

test("LivePlot: outside a kernel it does nothing; a missing metric is a note, not a crash", async () => {
  const writes: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = ((s: string) => (writes.push(s), true)) as typeof process.stdout.write;
  try {
    await fakeFit(new LivePlot(), 2, 4);
  } finally {
    process.stdout.write = original;
  }
  assert.deepEqual(writes, []);

  const { sender, restore } = installFakeSender();
  try {
    await fakeFit(new LivePlot({ metrics: ["mae"] }), 2, 4);
  } finally {
    restore();
  }
  const text = sender.sent[sender.sent.length - 1].bundle["text/plain"] as string;
  assert.match(text, /note: no "mae" in the logs \(keys: loss, acc, val_loss, val_acc\)/);
});
