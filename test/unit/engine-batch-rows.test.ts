/**
 * The host copy fit gathers batches from (src/engine/batch-rows.ts): floats as they are when they fit,
 * one byte a value for float data of integers 0..255 that fits only so, none otherwise.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import { batchRowLimits, hostCopy } from "../../src/engine/batch-rows";

function withLimit<T>(bytes: number, fn: () => T): T {
  const saved = batchRowLimits.hostCopyBytes;
  batchRowLimits.hostCopyBytes = bytes;
  try {
    return fn();
  } finally {
    batchRowLimits.hostCopyBytes = saved;
  }
}

test("hostCopy: floats that fit are copied as they are", () => {
  const t = tf.tensor2d([
    [0.5, 1],
    [2, 3],
  ]);
  const copy = withLimit(16, () => hostCopy(t));
  assert.ok(copy instanceof Float32Array);
  assert.deepEqual(Array.from(copy), [0.5, 1, 2, 3]);
  t.dispose();
});

test("hostCopy: integer values 0..255 too large as floats are copied as bytes, across read-back chunks", () => {
  // 3 rows of 700,000 values: the read-back chunk (2^20 values) holds one row, so three chunks are read.
  const width = 700_000;
  const values = new Float32Array(3 * width);
  for (let i = 0; i < values.length; i++) values[i] = (i * 7) % 256;
  const t = tf.tensor2d(values, [3, width]);
  const before = tf.memory().numTensors;
  const copy = withLimit(values.length, () => hostCopy(t));
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  assert.ok(copy instanceof Uint8Array, `got ${copy?.constructor.name}`);
  assert.equal(copy.length, values.length);
  assert.ok(
    copy.every((v, i) => v === values[i]),
    "every byte equals its float",
  );
  t.dispose();
});

test("hostCopy: no copy for normalized, negative or too large values, for int32, or past the byte limit", () => {
  const cases: [string, tf.Tensor][] = [
    ["normalized pixels", tf.tensor2d([0, 0.5, 1, 0], [2, 2])],
    ["a negative value", tf.tensor2d([0, -1, 1, 0], [2, 2])],
    ["a value above 255", tf.tensor2d([0, 256, 1, 0], [2, 2])],
    ["NaN", tf.tensor2d([0, NaN, 1, 0], [2, 2])],
    ["int32 labels", tf.tensor2d([0, 1, 1, 0], [2, 2], "int32")],
  ];
  for (const [what, t] of cases) {
    assert.equal(
      withLimit(4, () => hostCopy(t)),
      undefined,
      what,
    );
    t.dispose();
  }
  const bits = tf.tensor2d([0, 1, 1, 0], [2, 2]);
  assert.equal(
    withLimit(3, () => hostCopy(bits)),
    undefined,
    "4 bytes over a 3-byte limit",
  );
  assert.ok(withLimit(4, () => hostCopy(bits)) instanceof Uint8Array);
  bits.dispose();
});
