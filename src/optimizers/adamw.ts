/**
 * Keras 3's AdamW: Adam with decoupled weight decay (default 0.004): before each update
 * w -= w * weightDecay * lr, then Adam's step (see adam.ts).
 */
import { tf } from "../tf";
import { Adam, type AdamArgs } from "./adam";

export interface AdamWArgs extends AdamArgs {
  /** Defaults to 0.004. */
  weightDecay?: number;
}

export class AdamW extends Adam {
  static override className = "AdamW";

  constructor(args?: AdamWArgs | number) {
    const raw = typeof args === "number" ? { learningRate: args } : { ...(args ?? {}) };
    const given = raw as Record<string, unknown>;
    if (given.weightDecay === null || given.weight_decay === null) {
      throw new Error("Argument `weight_decay` must be a float. Received: weight_decay=None");
    }
    if (given.weightDecay === undefined && given.weight_decay === undefined) given.weightDecay = 0.004;
    super(raw, "AdamW");
  }
}
tf.serialization.registerClass(AdamW);
