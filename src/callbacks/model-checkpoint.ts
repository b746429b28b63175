/**
 * Keras 3's ModelCheckpoint: save the model (or its weights) after every epoch, or only when the
 * monitored quantity improves. `filepath` may hold Python format fields filled from the epoch (1-based)
 * and the logs: `model/mnist-{epoch:02d}-{val_loss:.4f}.keras` → `model/mnist-03-0.3148.keras`.
 */
import type { Logs } from "./callback";
import { KeyError, pyFormat, pyFormatNumber } from "./format";
import { callbackOptions, type Mode, MonitorCallback, printMsg } from "./monitor";

export interface ModelCheckpointArgs {
  /** Where to save; Python format fields `{epoch:02d}`, `{val_loss:.4f}`, … are filled in. */
  filepath: string;
  /** Defaults to "val_loss". */
  monitor?: string;
  verbose?: number;
  /** Save only when the monitored quantity improves. Defaults to false. */
  saveBestOnly?: boolean;
  /** `model.saveWeights` instead of `model.save`. Defaults to false. */
  saveWeightsOnly?: boolean;
  mode?: Mode;
  /** "epoch" (default) or a number of batches between saves. */
  saveFreq?: "epoch" | number;
  /** A value the monitored quantity must beat for the first save (with saveBestOnly). */
  initialValueThreshold?: number;
}

const OPTIONS = [
  "filepath",
  "monitor",
  "verbose",
  "saveBestOnly",
  "saveWeightsOnly",
  "mode",
  "saveFreq",
  "initialValueThreshold",
] as const;

export class ModelCheckpoint extends MonitorCallback {
  readonly filepath: string;
  readonly verbose: number;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: "epoch" | number;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen?: number;

  constructor(args: ModelCheckpointArgs) {
    const o = callbackOptions("ModelCheckpoint", args, OPTIONS);
    super(o.monitor ?? "val_loss", o.mode ?? "auto", 0);
    if (typeof o.filepath !== "string" || o.filepath === "") {
      throw new Error("ModelCheckpoint needs a `filepath` (e.g. 'model/mnist-{epoch:02d}-{val_loss:.4f}.keras')");
    }
    this.filepath = o.filepath;
    this.verbose = o.verbose ?? 0;
    this.saveBestOnly = o.saveBestOnly ?? false;
    this.saveWeightsOnly = o.saveWeightsOnly ?? false;
    this.saveFreq = o.saveFreq ?? "epoch";
    if (this.saveFreq !== "epoch" && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(
        `Unrecognized save_freq: ${String(this.saveFreq)}. Expected save_freq are 'epoch' or integer values`,
      );
    }
    this.best = o.initialValueThreshold;
    // Keras 3's rules: weights go to `.weights.h5`; models to `.keras` (or legacy `.h5`).
    if (this.saveWeightsOnly) {
      if (!this.filepath.endsWith(".weights.h5")) {
        throw new Error(
          "When using `saveWeightsOnly: true` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` " +
            `(Keras weights format). Received: filepath=${this.filepath}`,
        );
      }
    } else if (![".keras", ".h5"].some((ext) => this.filepath.endsWith(ext))) {
      throw new Error(
        `The filepath provided must end in \`.keras\` (Keras model format). Received: filepath=${this.filepath}`,
      );
    }
  }

  override onEpochBegin(epoch: number): void {
    this.currentEpoch = epoch;
  }

  override async onTrainBatchEnd(batch: number, logs?: Logs): Promise<void> {
    if (this.shouldSaveOnBatch(batch)) await this.saveModel(this.currentEpoch, batch, logs);
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveFreq === "epoch") await this.saveModel(epoch, undefined, logs);
  }

  private shouldSaveOnBatch(batch: number): boolean {
    if (this.saveFreq === "epoch") return false;
    const add =
      this.lastBatchSeen === undefined || batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.batchesSinceSave += add;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      return true;
    }
    return false;
  }

  /** The file path for this epoch (and batch, when saving by batches). */
  getFilePath(epoch: number, batch: number | undefined, logs: Logs = {}): string {
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    const ints = ["epoch"];
    if (batch !== undefined && !("batch" in logs)) {
      values.batch = batch + 1;
      ints.push("batch");
    }
    try {
      return pyFormat(this.filepath, values, ints);
    } catch (e) {
      if (e instanceof KeyError) {
        throw new Error(
          `Failed to format this callback filepath: "${this.filepath}". Reason: '${e.key}' ` +
            `(available: ${Object.keys(values).join(", ")})`,
        );
      }
      throw e;
    }
  }

  private shouldSave(epoch: number, logs: Logs, filepath: string): boolean {
    if (!this.saveBestOnly) {
      if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: saving model to ${filepath}`);
      return true;
    }
    const current = logs[this.monitor];
    if (current === undefined) {
      this.warnOnce(`Can save best model only with ${this.monitor} available.`);
      return true;
    }
    const bestStr = this.best === undefined ? "None" : pyFormatNumber(this.best, ".5f");
    if (this.isImprovement(current, this.best)) {
      if (this.verbose > 0) {
        printMsg(
          `\nEpoch ${epoch + 1}: ${this.monitor} improved from ${bestStr} to ${pyFormatNumber(current, ".5f")}, ` +
            `saving model to ${filepath}`,
        );
      }
      this.best = current;
      return true;
    }
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: ${this.monitor} did not improve from ${bestStr}`);
    return false;
  }

  private async saveModel(epoch: number, batch: number | undefined, logs: Logs = {}): Promise<void> {
    const filepath = this.getFilePath(epoch, batch, logs);
    if (!this.shouldSave(epoch, logs, filepath)) return;
    if (!this.model) return; // save() checks and creates the folder (saving/atomic.ts)
    if (this.saveWeightsOnly) await this.model.saveWeights(filepath, { overwrite: true });
    else await this.model.save(filepath, { overwrite: true });
    if (this.verbose > 0) printMsg(`\nEpoch ${epoch + 1}: finished saving model to ${filepath}`);
  }
}
