/**
 * The activations' gradients as one TensorFlow kernel each (src/backend/activation-grads.ts): the same
 * values as tfjs' compositions, one recorded op instead of several.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { tf } from "../../src/tf";
import { registerActivationGradients } from "../../src/backend/activation-grads";
import { record } from "../../src/engine/trace/recorder";

registerActivationGradients();

const x = () => tf.tensor1d([-3, -0.5, 0, 0.25, 2, 7]);
const cases: { name: string; fn: (t: tf.Tensor) => tf.Tensor; op: string; expected: (v: number) => number }[] = [
  { name: "relu", fn: (t) => tf.relu(t), op: "ReluGrad", expected: (v) => (v > 0 ? 1 : 0) },
  { name: "relu6", fn: (t) => tf.relu6(t), op: "Relu6Grad", expected: (v) => (v > 0 && v < 6 ? 1 : 0) },
  {
    name: "sigmoid",
    fn: (t) => tf.sigmoid(t),
    op: "SigmoidGrad",
    expected: (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2,
  },
  { name: "tanh", fn: (t) => tf.tanh(t), op: "TanhGrad", expected: (v) => 1 - Math.tanh(v) ** 2 },
  { name: "softplus", fn: (t) => tf.softplus(t), op: "SoftplusGrad", expected: (v) => 1 / (1 + Math.exp(-v)) },
  { name: "leakyRelu", fn: (t) => tf.leakyRelu(t, 0.3), op: "LeakyReluGrad", expected: (v) => (v > 0 ? 1 : 0.3) },
];

for (const c of cases) {
  test(`${c.name}'s gradient is TensorFlow's ${c.op}, with the derivative's values`, () => {
    const input = x();
    const dy = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const before = tf.memory().numTensors;
    const { result, recording } = record([input, dy], [], () => tf.grad((t) => c.fn(t))(input, dy));
    const ops = recording.ops.map((o) => o.op);
    assert.ok(ops.includes(c.op), `${c.op} in ${ops.join(", ")}`);
    assert.ok(!ops.some((o) => ["IsNan", "Select", "SelectV2"].includes(o)), `no composition: ${ops.join(", ")}`);
    const got = Array.from(result.dataSync());
    const want = Array.from(input.dataSync()).map((v, i) => c.expected(v) * (i + 1));
    got.forEach((g, i) =>
      assert.ok(Math.abs(g - want[i]) < 1e-5, `${c.name}'(${input.dataSync()[i]}): ${g} vs ${want[i]}`),
    );
    result.dispose();
    assert.equal(tf.memory().numTensors, before, "no tensor left behind");
    tf.dispose([input, dy]);
  });
}
