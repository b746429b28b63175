/**
 * Keras 3's LearningRateScheduler: at the start of each epoch, `schedule(epoch, lr)` (0-based epoch,
 * the current rate as float32) gives the new learning rate; the rate is added to the epoch's logs as
 * `learning_rate` (so History records it).
 */
import type { Logs } from "./callback";
import { Callback } from "./callback";
import { pyRepr } from "./format";
import { callbackOptions, printMsg } from "./monitor";

export type Schedule = (epoch: number, lr: number) => number;

export interface LearningRateSchedulerArgs {
  /** 1 prints the rate each epoch. Defaults to 0. */
  verbose?: number;
}

export class LearningRateScheduler extends Callback {
  readonly schedule: Schedule;
  readonly verbose: number;

  constructor(schedule: Schedule, args: LearningRateSchedulerArgs = {}) {
    super();
    if (typeof schedule !== "function") {
      throw new Error(
        "LearningRateScheduler needs a schedule function (epoch, lr) => newLr, e.g. new callbacks.LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9))",
      );
    }
    this.schedule = schedule;
    this.verbose = callbackOptions("LearningRateScheduler", args, ["verbose"]).verbose ?? 0;
  }

  override onEpochBegin(epoch: number): void {
    if (!this.model) return;
    // Keras reads the optimizer's rate back from a float32 variable.
    const lr = this.schedule(epoch, Math.fround(this.model.learningRate));
    if (typeof lr !== "number" || !Number.isFinite(lr)) {
      throw new Error(`The output of the \`schedule\` function should be a float. Got: ${String(lr)}`);
    }
    this.model.learningRate = lr;
    if (this.verbose > 0)
      printMsg(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${pyRepr(lr)}.`);
  }

  override onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs && this.model) logs.learning_rate = Math.fround(this.model.learningRate);
  }
}
