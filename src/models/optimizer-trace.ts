/**
 * What a traced optimizer update needs from the host. Keras optimizers (src/optimizers) compute their
 * per-step values (learning rate after decay or schedule, bias corrections) on the host in
 * `stepContext(lr, step)`; while a step is traced those scalars become fed inputs, and every replay
 * recomputes them for the step it runs. tfjs counts steps in JavaScript (`iterations`), advanced here
 * after each replay as `applyGradients` would.
 */
import { tf } from "../tf";
import { hostInput } from "../engine/trace/recorder";

type StepScalars = (lr: number, step: number) => Record<string, tf.Scalar>;

interface OptimizerInternals {
  iterations: number;
  currentLearningRate?: number;
  /** Keras optimizers: every per-step scalar (the subclass's `stepContext` plus the weight-decay factor). */
  stepScalars?: StepScalars;
  stepContext?: StepScalars;
  iterations_?: number;
}

/** The method that makes an optimizer's per-step scalars. */
function scalarsMethod(opt: OptimizerInternals): "stepScalars" | "stepContext" | undefined {
  if (typeof opt.stepScalars === "function") return "stepScalars";
  if (typeof opt.stepContext === "function") return "stepContext";
  return undefined;
}

const PREFIX = "optimizer/";

/** Runs `fn` (which traces a step) with the optimizer's per-step scalars declared as host inputs. */
export function withOptimizerHostInputs<T>(optimizer: tf.Optimizer, fn: () => T): T {
  const opt = optimizer as unknown as OptimizerInternals;
  const method = scalarsMethod(opt);
  if (!method) return fn();
  const original = opt[method]!;
  opt[method] = (lr, step) => {
    const ctx = original.call(optimizer, lr, step);
    for (const [k, t] of Object.entries(ctx)) hostInput(t, PREFIX + k);
    return ctx;
  };
  try {
    return fn();
  } finally {
    delete opt[method]; // back to the prototype's method
  }
}

/** The host inputs' values for the next step, in `keys` order. */
export function optimizerHostValues(optimizer: tf.Optimizer, keys: readonly string[]): number[] {
  if (keys.length === 0) return [];
  const opt = optimizer as unknown as OptimizerInternals;
  const lr = opt.currentLearningRate ?? 0;
  return tf.tidy(() => {
    const ctx = opt[scalarsMethod(opt)!]!.call(optimizer, lr, opt.iterations + 1);
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
