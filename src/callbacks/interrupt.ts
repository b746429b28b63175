/**
 * Cooperative interrupt for training loops.
 *
 * tslab alone answers Jupyter's interrupt by abandoning the cell's await while `fit` keeps running.
 * The kernel launcher instead sets `requested` on this shared token when a training loop is active;
 * the loop checks it after every batch and ends cleanly ("training interrupted at epoch E, batch B"),
 * keeping the model's weights and the finished epochs in `history`.
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

/** Thrown (and caught by fit) when a user interrupt stops a training loop. */
export class TrainingInterrupted extends Error {
  constructor(
    readonly epoch: number,
    readonly batch: number,
  ) {
    super(`training interrupted at epoch ${epoch}, batch ${batch}`);
    this.name = "TrainingInterrupted";
  }
}
