/**
 * What a traced optimizer update needs from the host. Keras optimizers (src/optimizers) compute their
 * per-step values (learning rate after decay or schedule, bias corrections) on the host in
 * `stepContext(lr, step)`; while a step is traced those scalars become fed inputs, and every replay
 * recomputes them for the step it runs. tfjs counts steps in JavaScript (`iterations`), advanced here
 * after each replay as `applyGradients` would.
 */
import { tf } from "../tf";
import { hostInput } from "../engine/trace/recorder";

interface OptimizerInternals {
  iterations: number;
  currentLearningRate?: number;
  stepContext?: (lr: number, step: number) => Record<string, tf.Scalar>;
  iterations_?: number;
}

const PREFIX = "optimizer/";

/** Runs `fn` (which traces a step) with the optimizer's per-step scalars declared as host inputs. */
export function withOptimizerHostInputs<T>(optimizer: tf.Optimizer, fn: () => T): T {
  const opt = optimizer as unknown as OptimizerInternals;
  const original = opt.stepContext;
  if (typeof original !== "function") return fn();
  opt.stepContext = (lr, step) => {
    const ctx = original.call(optimizer, lr, step);
    for (const [k, t] of Object.entries(ctx)) hostInput(t, PREFIX + k);
    return ctx;
  };
  try {
    return fn();
  } finally {
    delete opt.stepContext; // back to the prototype's method
  }
}

/** The host inputs' values for the next step, in `keys` order. */
export function optimizerHostValues(optimizer: tf.Optimizer, keys: readonly string[]): number[] {
  if (keys.length === 0) return [];
  const opt = optimizer as unknown as OptimizerInternals;
  const lr = opt.currentLearningRate ?? 0;
  return tf.tidy(() => {
    const ctx = opt.stepContext!.call(optimizer, lr, opt.iterations + 1);
    return keys.map((k) => {
      const t = ctx[k.slice(PREFIX.length)];
      if (!t) throw new Error(`engine: the optimizer no longer computes '${k}'`);
      return t.dataSync()[0];
    });
  });
}

/** One step done by a replayed graph: the optimizer's JavaScript step counter moves on. */
export function advanceIterations(optimizer: tf.Optimizer): void {
  const opt = optimizer as unknown as OptimizerInternals;
  if (typeof opt.iterations_ === "number") opt.iterations_++;
}
