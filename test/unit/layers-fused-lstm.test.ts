/**
 * LSTM's fused kernel (backend/fused-lstm.ts, BlockLSTM/BlockLSTMGrad) against the step loop it
 * replaces: the same outputs, states and gradients for every call form that takes it. A mask of all ones
 * sends the same layer through the step loop with identical math, so the loop is the reference here;
 * the Keras goldens (golden-layers-more) check both against Python.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { layers, tf } from "../../src/index";
import type { LSTMLayer } from "../../src/layers/lstm";

type Call = { call(x: tf.Tensor, kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] };

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const forms = [
  { name: "last output", options: {} },
  { name: "sequences, backwards", options: { returnSequences: true, goBackwards: true } },
  { name: "sequences and states", options: { returnSequences: true, returnState: true } },
  { name: "no bias, states", options: { useBias: false, returnState: true } },
];

for (const form of forms) {
  test(`fused LSTM = step loop (${form.name}): outputs and gradients of x, weights and initial state`, () => {
    const before = tf.memory().numTensors;
    const lstm = layers.LSTM(5, { ...form.options, seed: 3 }) as LSTMLayer;
    const [batch, time, features] = [3, 7, 4];
    lstm.build([batch, time, features]);
    const x = tf.randomNormal([batch, time, features], 0, 1, "float32", 1);
    const h0 = tf.randomNormal([batch, 5], 0, 1, "float32", 2);
    const c0 = tf.randomNormal([batch, 5], 0, 1, "float32", 3);
    const ones = tf.ones([batch, time], "bool");
    const weights = lstm.trainableWeights.map((w) => w.read() as tf.Variable);
    const run = (masked: boolean) =>
      tf.tidy(() => {
        const f = (xs: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
          const out = (lstm as unknown as Call).call(xs, {
            initialState: [h, c],
            mask: masked ? ones : undefined,
          });
          const list = Array.isArray(out) ? out : [out];
          // A weighted sum so every output element has its own gradient.
          return tf.addN(list.map((t, i) => tf.sum(tf.mul(t, tf.linspace(0.5, 2 + i, t.size).reshape(t.shape)))));
        };
        const { value, grads } = tf.variableGrads(() => f(x, h0, c0) as tf.Scalar, weights as tf.Variable[]);
        const inputGrads = tf.grads(f)([x, h0, c0]);
        const outputs = (lstm as unknown as Call).call(x, { initialState: [h0, c0], mask: masked ? ones : undefined });
        return [value, ...(Array.isArray(outputs) ? outputs : [outputs]), ...Object.values(grads), ...inputGrads];
      });
    const fused = run(false);
    const loop = run(true);
    assert.equal(fused.length, loop.length);
    fused.forEach((t, i) => {
      assert.deepEqual(t.shape, loop[i].shape, `tensor ${i}'s shape`);
      assert.ok(maxDiff(t, loop[i]) < 1e-4, `tensor ${i} differs by ${maxDiff(t, loop[i])}`);
    });
    tf.dispose([...fused, ...loop, x, h0, c0, ones]);
    tf.dispose(weights);
    assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  });
}

test("fused LSTM with input dropout in training draws Keras' one mask per sample, as the loop does", () => {
  const lstm = layers.LSTM(4, { dropout: 0.5, seed: 11, returnSequences: true }) as LSTMLayer;
  lstm.build([2, 6, 3]);
  const x = tf.randomNormal([2, 6, 3], 0, 1, "float32", 5);
  const ones = tf.ones([2, 6], "bool");
  const fused = (lstm as unknown as Call).call(x, { training: true }) as tf.Tensor;
  const loop = (lstm as unknown as Call).call(x, { training: true, mask: ones }) as tf.Tensor;
  assert.ok(maxDiff(fused, loop) < 1e-5);
  const inference = (lstm as unknown as Call).call(x, {}) as tf.Tensor;
  assert.ok(maxDiff(fused, inference) > 1e-3, "dropout changed the training output");
  tf.dispose([x, ones, fused, loop, inference]);
});
