/**
 * Randomness inside a training step, as TensorFlow's stateless random ops: a value depends only on
 * (layer seed, step counter). The counter is one int32 tfjs variable that the training step advances
 * (`advanceRandomStep`), so the eager step and the compiled graph traced from it draw the same masks,
 * and the graph draws fresh ones every step (a mask drawn in JavaScript would be frozen into the graph
 * as a constant). Every random layer (Dropout, GaussianNoise, SpatialDropout, Random* augmentation)
 * draws through here with its own seed (`layerSeed`).
 */
import { tf } from "../tf";
import { nextSeed, onSeed } from "../random";
import { runOp, tfDType } from "./ops";

let step: tf.Variable | undefined;
// Made when the library loads, not in the middle of a first fit (where it would look like a leaked tensor).
randomStep();

/** The step counter (int32 scalar) random draws in training depend on. */
export function randomStep(): tf.Variable {
  if (!step || step.isDisposed) step = tf.variable(tf.scalar(0, "int32"), false, "tslab_keras/random_step", "int32");
  return step;
}

// A fixed seed reproduces a run from its start: the counter restarts with it.
onSeed.push(() => {
  if (step && !step.isDisposed) tf.tidy(() => step!.assign(tf.scalar(0, "int32")));
});

/** Advances the counter: called once at the start of every training step. */
export function advanceRandomStep(): void {
  const s = randomStep();
  tf.tidy(() => s.assign(tf.add(s, tf.scalar(1, "int32"))));
}

/** A seed for a layer: from the global seed (`utils.setRandomSeed`) when one is set, else fresh. */
export function layerSeed(): number {
  return nextSeed() ?? Math.floor(Math.random() * 2 ** 31);
}

function seedPair(seed: number): tf.Tensor {
  return tf.stack([tf.scalar(seed | 0, "int32"), randomStep()]);
}

function stateless(op: string, shape: readonly number[], seed: number): tf.Tensor {
  return tf.tidy(() => {
    const dims = tf.tensor1d(shape as number[], "int32");
    const [out] = runOp(
      op,
      [
        { name: "dtype", type: "type", value: tfDType("float32") },
        { name: "T", type: "type", value: tfDType("int32") },
        { name: "Tseed", type: "type", value: tfDType("int32") },
      ],
      [dims, seedPair(seed)],
    );
    return out;
  });
}

/** Uniform [0, 1) float32 values of `shape` for (seed, current step). */
export function uniform(shape: readonly number[], seed: number): tf.Tensor {
  return stateless("StatelessRandomUniform", shape, seed);
}

/** Normal(mean, stddev) float32 values of `shape` for (seed, current step). */
export function normal(shape: readonly number[], seed: number, mean = 0, stddev = 1): tf.Tensor {
  return tf.tidy(() => {
    const z = stateless("StatelessRandomNormal", shape, seed);
    return mean === 0 && stddev === 1 ? z : tf.add(tf.mul(z, tf.scalar(stddev)), tf.scalar(mean));
  });
}

/**
 * Keras' inverted dropout: keeps each element with probability 1 - rate and scales kept ones by
 * 1 / (1 - rate). `noiseShape` (broadcast to x's shape, `null` entries taken from x) shares one draw
 * across the axes of size 1, as Keras' noise_shape does.
 */
export function dropout(x: tf.Tensor, rate: number, seed: number, noiseShape?: readonly (number | null)[]): tf.Tensor {
  if (rate <= 0) return x.clone();
  return tf.tidy(() => {
    const shape = noiseShape ? noiseShape.map((d, i) => d ?? x.shape[i]) : x.shape;
    const keep = tf.cast(tf.greaterEqual(uniform(shape, seed), tf.scalar(rate)), "float32");
    // Keras computes the scale in double precision and multiplies in float32.
    return tf.mul(tf.mul(x, keep), tf.scalar(1 / (1 - rate)));
  });
}
