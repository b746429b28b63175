/**
 * Keras 3's EarlyStopping: stop when the monitored quantity has stopped improving for `patience`
 * epochs, optionally restoring the weights of the best epoch.
 */
import { tf } from "../tf";
import type { Logs } from "./callback";
import { callbackOptions, type Mode, MonitorCallback, printMsg } from "./monitor";

export interface EarlyStoppingArgs {
  /** Defaults to "val_loss". */
  monitor?: string;
  /** Smallest change that counts as an improvement (absolute value). Defaults to 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Defaults to 0. */
  patience?: number;
  verbose?: number;
  mode?: Mode;
  /** Training stops unless the monitored quantity beats this within `patience` epochs. */
  baseline?: number;
  /** Restore the best epoch's weights when training ends. Defaults to false. */
  restoreBestWeights?: boolean;
  /** Epochs to wait before watching for improvement at all. Defaults to 0. */
  startFromEpoch?: number;
}

const OPTIONS = [
  "monitor",
  "minDelta",
  "patience",
  "verbose",
  "mode",
  "baseline",
  "restoreBestWeights",
  "startFromEpoch",
] as const;

export class EarlyStopping extends MonitorCallback {
  readonly patience: number;
  readonly verbose: number;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  wait = 0;
  /** 0-based epoch at which training was stopped (0: not stopped). */
  stoppedEpoch = 0;
  /** 0-based epoch of the best value. */
  bestEpoch = 0;
  private bestWeights?: tf.Tensor[];

  constructor(args: EarlyStoppingArgs = {}) {
    const o = callbackOptions("EarlyStopping", args, OPTIONS);
    super(o.monitor ?? "val_loss", o.mode ?? "auto", o.minDelta ?? 0);
    this.patience = o.patience ?? 0;
    this.verbose = o.verbose ?? 0;
    this.baseline = o.baseline;
    this.restoreBestWeights = o.restoreBestWeights ?? false;
    this.startFromEpoch = o.startFromEpoch ?? 0;
  }

  override onTrainBegin(): void {
    // Instances can be reused across fit calls.
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = undefined;
    this.setBestWeights(undefined);
    this.bestEpoch = 0;
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const current = this.getMonitorValue(logs);
    if (current === undefined || epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === undefined) {
      // If best weights were never set, the current weights are the best.
      this.setBestWeights(this.snapshot());
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.setBestWeights(this.snapshot());
      // Only restart the wait if we beat both the baseline and our previous best.
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      if (this.model) this.model.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMsg(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights !== undefined) {
      if (this.verbose > 0) {
        printMsg(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      }
      this.model?.setWeights(this.bestWeights);
    }
    this.setBestWeights(undefined);
  }

  getMonitorValue(logs: Logs = {}): number | undefined {
    const value = logs[this.monitor];
    if (value === undefined) {
      this.warnOnce(
        `Early stopping conditioned on metric \`${this.monitor}\` which is not available. ` +
          `Available metrics are: ${Object.keys(logs).join(",")}`,
      );
    }
    return value;
  }

  /**
   * The model's weights as of now. Sequential.getWeights returns copies the caller owns; a live
   * variable (another CallbackModel) is copied, since it changes as training goes on.
   */
  private snapshot(): tf.Tensor[] | undefined {
    return this.model?.getWeights().map((w) => (w instanceof tf.Variable ? w.clone() : w));
  }

  private setBestWeights(weights: tf.Tensor[] | undefined): void {
    if (this.bestWeights !== undefined && this.bestWeights !== weights) {
      for (const w of this.bestWeights) w.dispose();
    }
    this.bestWeights = weights;
  }
}
