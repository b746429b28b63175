import { test } from "node:test";
import assert from "node:assert/strict";
import { ProgbarLogger, formatMetricValue, formatStepTime, sortMetricNames } from "../../src/callbacks/progbar";
import type { Logs } from "../../src/callbacks/callback";
import { fakeClock, fakeStream, installFakeSender } from "./display-helpers";

const EPOCH_LOGS = { loss: 0.35121, accuracy: 0.87312, val_loss: 0.379, val_accuracy: 0.865 };
const BAR = "━".repeat(20);

/** Runs a fake fit: `epochs` × `steps` batches of `msPerStep`, batch logs only on odd batches. */
async function fakeFit(
  cb: ProgbarLogger,
  clock: ReturnType<typeof fakeClock>,
  epochs: number,
  steps: number,
  verbose: 0 | 1 | 2,
  msPerStep = 8,
) {
  cb.setParams({ epochs, steps, verbose, metrics: ["loss", "accuracy", "val_loss", "val_accuracy"] });
  await cb.onTrainBegin();
  for (let e = 0; e < epochs; e++) {
    await cb.onEpochBegin(e);
    for (let b = 0; b < steps; b++) {
      clock.advance(msPerStep);
      const logs: Logs | undefined =
        b % 2 === 0 ? undefined : b % 3 === 0 ? { loss: 0.5 } : { loss: 0.5, accuracy: 0.8 };
      await cb.onTrainBatchEnd(b, logs);
    }
    await cb.onEpochEnd(e, EPOCH_LOGS);
  }
  await cb.onTrainEnd();
}

test("formatting helpers follow Keras 3", () => {
  assert.equal(formatMetricValue(0.87312), "0.8731");
  assert.equal(formatMetricValue(0.0001234), "1.2340e-04");
  assert.equal(formatMetricValue(0), "0.0000e+00");
  assert.equal(formatMetricValue(NaN), "nan");
  assert.equal(formatStepTime(0.005), " 5ms/step");
  assert.equal(formatStepTime(0.0005), " 500us/step");
  assert.equal(formatStepTime(2), " 2s/step");
  assert.deepEqual(sortMetricNames(["val_loss", "loss", "val_accuracy", "accuracy"]), [
    "accuracy",
    "loss",
    "val_accuracy",
    "val_loss",
  ]);
});

test("verbose 1 in a kernel: one output per epoch, updated in place, throttled, Keras' final line", async () => {
  const { sender, restore } = installFakeSender();
  const clock = fakeClock();
  try {
    await fakeFit(new ProgbarLogger({ clock: clock.now }), clock, 25, 375, 1);
  } finally {
    restore();
  }
  const ids = [...new Set(sender.sent.map((s) => s.options?.displayId))];
  assert.equal(ids.length, 25, "one display id per epoch");
  assert.ok(sender.sent.length <= 25 * (3000 / 100 + 3), `bounded: ${sender.sent.length} sends for 9375 batches`);
  for (const id of ids) {
    const mine = sender.sent.filter((s) => s.options?.displayId === id);
    assert.equal(mine[0].options?.update, false, "first send creates the output");
    assert.ok(
      mine.slice(1).every((s) => s.options?.update === true),
      "later sends update it",
    );
  }
  const last = sender.sent[sender.sent.length - 1].bundle;
  assert.equal(
    last["text/plain"],
    `Epoch 25/25\n375/375 ${BAR} 3s 8ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790`,
  );
  assert.match(
    last["text/html"] as string,
    /^<pre style="margin:0;white-space:pre;overflow-x:auto;font-size:calc\(var\(--jp-code-font-size, 13px\) \* 0\.9\)">Epoch 25\/25\n<b>375\/375<\/b> <span style="color:#3c3">━{20}<\/span>/,
  );
  const third = sender.sent.filter((s) => s.options?.displayId === ids[2]);
  const mid = third.find((s) => /^Epoch 3\/25\n\d+\/375 ━+─+ \d+s 8ms\/step/.test(s.bundle["text/plain"] as string));
  assert.ok(mid, "intermediate states show a partial bar and an ETA");
  assert.match(mid!.bundle["text/plain"] as string, / - accuracy: 0\.8000 - loss: 0\.5000$/);
});

test("verbose 2 in a kernel: one line per epoch in Keras' format", async () => {
  const { sender, restore } = installFakeSender();
  const clock = fakeClock();
  try {
    await fakeFit(new ProgbarLogger({ clock: clock.now }), clock, 3, 375, 2);
  } finally {
    restore();
  }
  assert.equal(sender.sent.length, 6, "header, then the epoch's line, per epoch");
  assert.equal(
    sender.sent[5].bundle["text/plain"],
    "Epoch 3/3\n375/375 - 3s - 8ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790",
  );
});

test("terminal: \\r updates on a TTY, only the final line per epoch on a pipe", async () => {
  const clock = fakeClock();
  const tty = fakeStream(true);
  await fakeFit(new ProgbarLogger({ clock: clock.now, stream: tty }), clock, 2, 100, 1);
  assert.equal(tty.out[0], "Epoch 1/2\n");
  const [headers, updates] = [
    tty.out.filter((s) => s.startsWith("Epoch")),
    tty.out.filter((s) => !s.startsWith("Epoch")),
  ];
  assert.deepEqual(headers, ["Epoch 1/2\n", "Epoch 2/2\n"]);
  assert.ok(
    updates.every((s) => s.startsWith("\r")),
    "in-place updates",
  );
  assert.equal(updates.filter((s) => s.endsWith("\n")).length, 2, "one finished line per epoch");
  assert.ok(tty.out.length < 2 * 12, `throttled: ${tty.out.length} writes`);
  const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, ""); // eslint-disable-line no-control-regex
  assert.equal(
    plain(tty.out[tty.out.length - 1]).trimEnd(),
    `\r100/100 ${BAR} 1s 8ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790`,
  );

  const pipe = fakeStream(false);
  await fakeFit(new ProgbarLogger({ clock: clock.now, stream: pipe }), clock, 2, 100, 1);
  assert.deepEqual(pipe.out, [
    "Epoch 1/2\n",
    `100/100 ${BAR} 1s 8ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790\n`,
    "Epoch 2/2\n",
    `100/100 ${BAR} 1s 8ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790\n`,
  ]);

  const single = fakeStream(false);
  await fakeFit(new ProgbarLogger({ clock: clock.now, stream: single }), clock, 1, 50, 2, 2);
  assert.deepEqual(single.out, [
    "50/50 - 0s - 2ms/step - accuracy: 0.8731 - loss: 0.3512 - val_accuracy: 0.8650 - val_loss: 0.3790\n",
  ]);

  const quiet = fakeStream(true);
  await fakeFit(new ProgbarLogger({ clock: clock.now, stream: quiet }), clock, 2, 10, 0);
  assert.deepEqual(quiet.out, []);
});

test("evaluate outside fit gets its own bar", async () => {
  const clock = fakeClock();
  const pipe = fakeStream(false);
  const cb = new ProgbarLogger({ clock: clock.now, stream: pipe });
  cb.setParams({ epochs: 1, steps: 313, verbose: 1 });
  await cb.onTestBegin();
  for (let b = 0; b < 313; b++) {
    clock.advance(3);
    await cb.onTestBatchEnd(b, { loss: 0.3 });
  }
  await cb.onTestEnd({ loss: 0.2637, accuracy: 0.9266 });
  assert.deepEqual(pipe.out, [`313/313 ${BAR} 1s 3ms/step - accuracy: 0.9266 - loss: 0.2637\n`]);
});
