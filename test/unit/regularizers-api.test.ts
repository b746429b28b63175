/** Regularizers' API: defaults, `get`, errors, tfjs-layers compatibility and serialization. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tf } from "../../src/tf";
import * as regularizers from "../../src/regularizers/index";

const penalty = (r: regularizers.Regularizer, values: number[]) => {
  const x = tf.tensor1d(values);
  const p = r.apply(x);
  const v = p.dataSync()[0];
  tf.dispose([x, p]);
  return v;
};

test("l1, l2 and l1_l2 compute Keras' penalties with Keras 3's defaults", () => {
  const w = [1, -2, 3];
  assert.ok(Math.abs(penalty(regularizers.l1(), w) - 0.06) < 1e-7);
  assert.ok(Math.abs(penalty(regularizers.l2(), w) - 0.14) < 1e-7);
  assert.ok(Math.abs(penalty(regularizers.l1_l2({ l1: 0.1 }), w) - 0.6) < 1e-6, "absent l2 is 0, not 0.01");
  assert.ok(Math.abs(penalty(regularizers.l1l2({ l2: 1 }), w) - 14) < 1e-5);
  assert.equal(penalty(regularizers.l1_l2(), w), 0);
  assert.deepEqual(regularizers.l1_l2({ l1: 0.01, l2: 0.01 }).getConfig(), { l1: 0.01, l2: 0.01 });
  assert.deepEqual(new regularizers.L1(0.5).getConfig(), { l1: 0.5 });
  assert.deepEqual(new regularizers.L2({ l2: 0.5 }).getConfig(), { l2: 0.5 });
});

test("get() resolves names, passes instances and undefined through, and suggests names", () => {
  assert.equal(regularizers.get(undefined), undefined);
  const r = regularizers.l2(0.3);
  assert.equal(regularizers.get(r), r);
  assert.deepEqual(regularizers.get("l1")!.getConfig(), { l1: 0.01 });
  assert.deepEqual(regularizers.get("L2")!.getConfig(), { l2: 0.01 });
  assert.deepEqual(regularizers.get("l1l2")!.getConfig(), { l1: 0, l2: 0 }, "Keras 3's L1L2()");
  assert.deepEqual(regularizers.get("l1_l2")!.getConfig(), { l1: 0.01, l2: 0.01 }, "Keras 2's l1_l2 defaults");
  assert.throws(
    () => regularizers.get("l3"),
    /Could not interpret regularizer identifier: 'l3'\. Valid names: 'l1', 'l2', /,
  );
});

test("a negative or non-numeric factor is Keras' error", () => {
  assert.throws(
    () => regularizers.l2(-1),
    /Invalid value for argument l2: expected a non-negative float\. Received: l2=-1/,
  );
  assert.throws(() => regularizers.l1_l2({ l1: NaN }), /argument l1/);
});

test("tfjs-layers accepts them as regularizers and the penalty joins the layer's losses", () => {
  const layer = tf.layers.dense({
    units: 2,
    inputShape: [3],
    kernelRegularizer: regularizers.l1_l2({ l1: 0.01, l2: 0.01 }),
    kernelInitializer: "ones",
  });
  const x = tf.ones([1, 3]);
  tf.tidy(() => {
    layer.apply(x);
    const losses = layer.losses as unknown as (() => tf.Scalar)[];
    assert.ok(losses.length >= 1);
  });
  // 6 kernel entries of 1: 0.01 * 6 + 0.01 * 6
  const reg = (layer.getConfig() as { kernelRegularizer: { className: string; config: object } }).kernelRegularizer;
  assert.deepEqual(reg, { className: "L1L2", config: { l1: 0.01, l2: 0.01 } });
  x.dispose();
  layer.dispose();
});

test("saved configs reload through tfjs serialization as these classes", () => {
  const map = tf.serialization.SerializationMap.getMap().classNameMap;
  for (const r of [regularizers.l1(0.2), regularizers.l2(0.3), regularizers.l1_l2({ l1: 0.1, l2: 0.4 })]) {
    const [cls, fromConfig] = map[r.getClassName()];
    const copy = fromConfig(cls, r.getConfig()) as unknown as regularizers.Regularizer;
    assert.equal(copy.constructor, r.constructor);
    assert.deepEqual(copy.getConfig(), r.getConfig());
  }
});
