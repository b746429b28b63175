/**
 * The engine's fused dropout op (native/dropout_op.cc): Keras' inverted dropout — each element kept with
 * probability 1 - rate and scaled by 1 / (1 - rate) — with masks drawn from (seed, step, element).
 * Checked on the op itself (statistics, determinism, independence) and inside a training step (the
 * backward pass drops exactly the units the forward pass dropped; a global seed reproduces a run).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { tf } from "../../src/tf";
import { DT, loadEngineAddon } from "../../src/engine/native";
import { GraphBuilder, GraphSession } from "../../src/engine/graph";
import { hasFusedDropout } from "../../src/engine/build";
import { createTrainStep } from "../../src/engine/train-step";
import { describeModel } from "../../src/engine/describe";
import { fusedDropout } from "../../src/engine/layers";
import { clearRandomSeed, setRandomSeed } from "../../src/random";

const addon = loadEngineAddon();
const skip =
  addon === undefined || !hasFusedDropout(new GraphBuilder(addon)) ? "fused dropout op not available" : false;

/** Runs TslabKerasDropout(ones[n] · value, step) for the given steps. */
function dropoutOf(n: number, rate: number, seed: number, steps: number[], value = 1): Float32Array[] {
  const g = new GraphBuilder(addon!);
  const x = g.placeholder("x", DT.float32, [n]);
  const step = g.placeholder("step", DT.int32, []);
  const y = fusedDropout(g, x, step, rate, seed);

  const s = new GraphSession(g, { intraOp: 1, interOp: 1 });
  const ones = new Float32Array(n).fill(value);
  return steps.map(
    (k) =>
      s.run(
        [
          [x[0], 0, DT.float32, [n], ones],
          [step[0], 0, DT.int32, [], Int32Array.of(k)],
        ],
        [y],
      )[0] as Float32Array,
  );
}

const kept = (m: Float32Array) => m.reduce((c, v) => c + (v !== 0 ? 1 : 0), 0);

test(
  "fused dropout: keeps 1 - rate of the elements (within 5σ), each scaled by exactly 1 / (1 - rate)",
  { skip },
  () => {
    const n = 100_000;
    for (const rate of [0.1, 0.2, 0.5, 0.8]) {
      const [m] = dropoutOf(n, rate, 42, [0], 3);
      const expected = n * (1 - rate);
      const sigma = Math.sqrt(n * rate * (1 - rate));
      assert.ok(Math.abs(kept(m) - expected) < 5 * sigma, `rate ${rate}: kept ${kept(m)}, expected ${expected}`);
      const scaled = Math.fround(3 * Math.fround(1 / (1 - rate)));
      assert.ok(
        m.every((v) => v === 0 || v === scaled),
        `rate ${rate}: values are 0 or ${scaled}`,
      );
    }
  },
);

test(
  "fused dropout: the mask is a function of (seed, step): same pair, same mask; new step or seed, new mask",
  { skip },
  () => {
    const n = 4096;
    const [a0, a1, a0again] = dropoutOf(n, 0.5, 7, [0, 1, 0]);
    const [b0] = dropoutOf(n, 0.5, 8, [0]);
    assert.deepEqual(a0again, a0);
    // Two independent masks at rate 0.5 agree on about half the elements.
    for (const [name, other] of [
      ["next step", a1],
      ["other seed", b0],
    ] as const) {
      const same = a0.reduce((c, v, i) => c + ((v !== 0) === (other[i] !== 0) ? 1 : 0), 0);
      assert.ok(Math.abs(same - n / 2) < 5 * Math.sqrt(n / 4), `${name}: ${same} of ${n} agree`);
    }
  },
);

test("fused dropout: no position is favoured and neighbours are independent over many steps", { skip }, () => {
  const n = 256;
  const steps = 2000;
  const rate = 0.2;
  const masks = dropoutOf(
    n,
    rate,
    3,
    Array.from({ length: steps }, (_, k) => k),
  );
  const perUnit = new Float64Array(n);
  let both = 0;
  let pairs = 0;
  for (const m of masks) {
    for (let i = 0; i < n; i++) {
      if (m[i] !== 0) perUnit[i]++;
      if (i > 0) {
        pairs++;
        if (m[i] !== 0 && m[i - 1] !== 0) both++;
      }
    }
  }
  const p = 1 - rate;
  const sigma = Math.sqrt(steps * p * (1 - p));
  // Each unit: kept ≈ p·steps (6σ: 256 units tested at once).
  perUnit.forEach((c, i) => assert.ok(Math.abs(c - p * steps) < 6 * sigma, `unit ${i} kept ${c} of ${steps}`));
  // Adjacent pairs kept together ≈ p² of the time, as for independent draws.
  const sigmaPairs = Math.sqrt(pairs * p * p * (1 - p * p));
  assert.ok(
    Math.abs(both - pairs * p * p) < 5 * sigmaPairs,
    `adjacent kept together ${both / pairs}, expected ${p * p}`,
  );
});

/** Dropout(rate) → Dense(2, softmax, no bias) over `units` inputs, plain SGD. */
function dropoutModelStep(units: number, rate: number, learningRate: number) {
  const model = tf.sequential({
    layers: [
      tf.layers.dropout({ rate, inputShape: [units] }),
      tf.layers.dense({ units: 2, activation: "softmax", useBias: false }),
    ],
  });
  const spec = describeModel(model);
  model.dispose();
  assert.ok(typeof spec !== "string");
  const step = createTrainStep(
    spec,
    { kind: "sgd", learningRate, momentum: 0, nesterov: false, decay: 0 },
    "categorical_crossentropy",
  );
  assert.ok(step);
  return step;
}

test(
  "fused dropout in a training step: the backward pass drops exactly the units the forward pass dropped",
  { skip },
  () => {
    const units = 400;
    const step = dropoutModelStep(units, 0.5, 1);
    // Column 0 averages the inputs, column 1 is zero: logit0 = 2·kept / units for x = 1.
    const kernel = new Float32Array(units * 2);
    for (let i = 0; i < units; i++) kernel[i * 2] = 1 / units;
    const x = new Float32Array(units).fill(1);
    const y = Float32Array.of(0, 1);
    for (let s = 0; s < 5; s++) {
      step.setWeights([kernel]);
      step.resetMetrics();
      step.trainBatch(x, y, 1);
      // Forward: the loss gives the number of kept units.
      const l0 = Math.log(Math.exp(step.readMetrics().loss) - 1);
      const keptForward = Math.round((l0 * units) / 2);
      // Backward: dW[i] = x_dropped[i] · dz, so exactly the kept units' rows moved.
      const [after] = step.getWeights();
      let keptBackward = 0;
      for (let i = 0; i < units; i++) {
        const moved = after[i * 2] !== kernel[i * 2] || after[i * 2 + 1] !== kernel[i * 2 + 1];
        if (moved) keptBackward++;
      }
      assert.equal(keptBackward, keptForward, `step ${s}: rows updated = units kept in the forward pass`);
      assert.ok(keptForward > units * 0.3 && keptForward < units * 0.7, `step ${s}: kept ${keptForward} of ${units}`);
    }
  },
);

test("fused dropout in a training step: setRandomSeed reproduces the masks, no seed gives fresh ones", { skip }, () => {
  const units = 64;
  const run = (seed?: number) => {
    if (seed === undefined) clearRandomSeed();
    else setRandomSeed(seed);
    const step = dropoutModelStep(units, 0.5, 0.1);
    const kernel = Float32Array.from({ length: units * 2 }, (_, i) => ((i * 37) % 11) / 11 - 0.5);
    step.setWeights([kernel]);
    const x = Float32Array.from({ length: units * 4 }, (_, i) => ((i * 13) % 7) / 7);
    const y = Float32Array.from({ length: 8 }, (_, i) => (i % 2 === (i >> 1) % 2 ? 1 : 0));
    for (let s = 0; s < 5; s++) step.trainBatch(x, y, 4);
    return step.getWeights()[0];
  };
  try {
    assert.deepEqual(run(11), run(11));
    assert.notDeepEqual(run(11), run(12));
    assert.notDeepEqual(run(), run());
  } finally {
    clearRandomSeed();
  }
});
