/**
 * Cooperative interrupt for training loops.
 *
 * tslab alone answers Jupyter's interrupt by abandoning the cell's await while `fit` keeps running.
 * The kernel launcher instead sets `requested` on this shared token when a training loop is active;
 * the loop checks it after every batch, ends cleanly (the model keeps its weights, `model.history` the
 * finished epochs) and then throws TrainingInterrupted, so the cell ends there as Python's
 * KeyboardInterrupt ends it: nothing after the interrupted call runs (a loop of fits needs one interrupt).
 */
export interface InterruptToken {
  /** Number of training loops currently running (fit, evaluate, predict). */
  active: number;
  /** Set by the kernel on SIGINT while a loop is active; cleared by the loop that honours it. */
  requested: boolean;
}

const TOKEN = Symbol.for("tslab-keras.interruptToken");

export function interruptToken(): InterruptToken {
  const g = globalThis as Record<symbol, InterruptToken | undefined>;
  let token = g[TOKEN];
  if (!token) {
    token = { active: 0, requested: false };
    g[TOKEN] = token;
  }
  return token;
}

/**
 * Thrown by fit / evaluate / predict once a user interrupt has stopped them, after they cleaned up.
 * Named KeyboardInterrupt, as Python's error for the same event; `history` (fit only) holds the
 * finished epochs, also set as `model.history`.
 */
export class TrainingInterrupted extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
    readonly history?: unknown,
    what = "training",
  ) {
    super(
      epoch > 0 ? `${what} interrupted at epoch ${epoch}, batch ${batch}` : `${what} interrupted at batch ${batch}`,
    );
    this.name = "KeyboardInterrupt";
  }
}
