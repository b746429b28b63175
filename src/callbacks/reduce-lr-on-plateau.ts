/**
 * Keras 3's ReduceLROnPlateau: multiply the learning rate by `factor` when the monitored quantity has
 * not improved for `patience` epochs, down to `minLr`. Like Keras, it adds `learning_rate` to the logs.
 */
import type { Logs } from "./callback";
import { pyRepr } from "./format";
import { callbackOptions, type Mode, MonitorCallback, printMsg } from "./monitor";

export interface ReduceLROnPlateauArgs {
  /** Defaults to "val_loss". */
  monitor?: string;
  /** New rate = rate * factor; must be < 1. Defaults to 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Defaults to 10. */
  patience?: number;
  verbose?: number;
  mode?: Mode;
  /** Smallest change that counts as an improvement. Defaults to 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Defaults to 0. */
  cooldown?: number;
  /** Lower bound on the learning rate. Defaults to 0. */
  minLr?: number;
}

const OPTIONS = ["monitor", "factor", "patience", "verbose", "mode", "minDelta", "cooldown", "minLr"] as const;

export class ReduceLROnPlateau extends MonitorCallback {
  readonly factor: number;
  readonly patience: number;
  readonly verbose: number;
  readonly cooldown: number;
  readonly minLr: number;
  cooldownCounter = 0;
  wait = 0;

  constructor(args: ReduceLROnPlateauArgs = {}) {
    const o = callbackOptions("ReduceLROnPlateau", args, OPTIONS);
    super(o.monitor ?? "val_loss", o.mode ?? "auto", o.minDelta ?? 1e-4);
    const factor = o.factor ?? 0.1;
    if (factor >= 1.0) {
      throw new Error(`ReduceLROnPlateau does not support a factor >= 1.0. Received factor=${pyRepr(factor)}`);
    }
    this.factor = factor;
    this.patience = o.patience ?? 10;
    this.verbose = o.verbose ?? 0;
    this.cooldown = o.cooldown ?? 0;
    this.minLr = o.minLr ?? 0;
  }

  override onTrainBegin(): void {
    this.best = undefined;
    this.cooldownCounter = 0;
    this.wait = 0;
  }

  inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const l: Logs = logs ?? {};
    // Keras reads the rate back as float32 and reports it in the logs (History records it).
    if (this.model) l.learning_rate = Math.fround(this.model.learningRate);
    const current = l[this.monitor];
    if (current === undefined) {
      this.warnOnce(
        `Learning rate reduction is conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(l).join(",")}.`,
      );
      return;
    }
    if (this.inCooldown()) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (!this.inCooldown()) {
      this.wait += 1;
      if (this.wait >= this.patience && this.reduce(epoch)) {
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }

  private reduce(epoch: number): boolean {
    if (!this.model) return false;
    const oldLr = Math.fround(this.model.learningRate);
    if (!(oldLr > Math.fround(this.minLr))) return false;
    const newLr = Math.max(oldLr * this.factor, this.minLr);
    this.model.learningRate = newLr;
    if (this.verbose > 0) {
      printMsg(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${pyRepr(newLr)}.`);
    }
    return true;
  }
}
