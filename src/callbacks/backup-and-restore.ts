/**
 * Keras 3's BackupAndRestore: fault tolerance for long fits. After every epoch (or every `saveFreq`
 * batches) the model's weights, the optimizer's state and the finished epoch count are written to
 * `backupDir`; a later `fit` with the same callback restores them in onTrainBegin and resumes at the
 * epoch after the last finished one. When fit completes, the backup is deleted (`deleteCheckpoint`).
 * An interrupted fit (an error, the kernel's ■, a killed process) keeps it. Every file is written to a
 * temporary name and renamed into place, so a crash never leaves a half-written backup.
 *
 *   new callbacks.BackupAndRestore({ backupDir: "/tmp/backup" })
 */
import { copyFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { tf } from "../tf";
import { ensureFolder, writeAtomic } from "../saving/atomic";
import { FORMAT_VERSION, type SavedWeights, decodeWeights, encodeWeights } from "./backup-format";
import type { Logs } from "./callback";
import { Callback } from "./callback";
import { callbackOptions } from "./monitor";

export interface BackupAndRestoreArgs {
  /** Folder for the backup (created if needed). */
  backupDir: string;
  /** "epoch" (default) or a number of batches between backups. */
  saveFreq?: "epoch" | number;
  /** Delete the backup when fit completes. Defaults to true. */
  deleteCheckpoint?: boolean;
  /** Keep the previous backup as `.bkp` too, and fall back to it if the latest cannot be read. Defaults to false. */
  doubleCheckpoint?: boolean;
}

const BACKUP_FORMAT = "tslab-keras-backup";

type NamedTensor = { name: string; tensor: tf.Tensor };
interface Restorable {
  trainableVariables?(): tf.Variable[];
  optimizer?: { getWeights(): Promise<NamedTensor[]>; setWeights(w: NamedTensor[]): Promise<void> };
}

interface Backup extends SavedWeights {
  format: string;
  /** How many model weights lead weightSpecs; the optimizer's follow. */
  modelWeights: number;
}

export class BackupAndRestore extends Callback {
  readonly backupDir: string;
  readonly saveFreq: "epoch" | number;
  readonly deleteCheckpoint: boolean;
  readonly doubleCheckpoint: boolean;
  private readonly weightsPath: string;
  private readonly metadataPath: string;
  private currentEpoch = 0;
  private batchesSinceSave = 0;
  private lastBatchSeen = 0;
  private completed = false;
  /** Tells fit that this callback reads the optimizer's state mid-fit (the compiled engine keeps it until the end). */
  readonly savesOptimizerState = true;

  constructor(args: BackupAndRestoreArgs) {
    super();
    const o = callbackOptions("BackupAndRestore", args, [
      "backupDir",
      "saveFreq",
      "deleteCheckpoint",
      "doubleCheckpoint",
    ]);
    if (typeof o.backupDir !== "string" || o.backupDir === "") throw new Error("Empty `backup_dir` argument passed");
    this.backupDir = o.backupDir;
    this.saveFreq = o.saveFreq ?? "epoch";
    if (this.saveFreq !== "epoch" && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new Error(
        `Invalid value for argument \`save_freq\`. Received: save_freq=${String(this.saveFreq)}. Expected either 'epoch' or an integer value.`,
      );
    }
    this.deleteCheckpoint = o.deleteCheckpoint ?? true;
    this.doubleCheckpoint = o.doubleCheckpoint ?? false;
    this.weightsPath = join(this.backupDir, "latest.weights.json");
    this.metadataPath = join(this.backupDir, "training_metadata.json");
  }

  override async onTrainBegin(): Promise<void> {
    this.completed = false;
    this.currentEpoch = 0;
    this.batchesSinceSave = 0;
    this.lastBatchSeen = 0;
    try {
      await this.load(this.weightsPath, this.metadataPath);
    } catch (e) {
      // The latest backup is unreadable: fall back to the previous one if there is one.
      if (!existsSync(`${this.weightsPath}.bkp`)) throw e;
      await this.load(`${this.weightsPath}.bkp`, `${this.metadataPath}.bkp`);
    }
  }

  private async load(weightsPath: string, metadataPath: string): Promise<void> {
    if (!this.model || !existsSync(weightsPath)) return;
    const backup = JSON.parse(readFileSync(weightsPath, "utf8")) as Backup;
    if (backup.format !== BACKUP_FORMAT) throw new Error(`${weightsPath} is not a BackupAndRestore backup`);
    const tensors = decodeWeights(backup, weightsPath);
    try {
      this.model.setWeights(tensors.slice(0, backup.modelWeights));
      await this.restoreOptimizer(
        backup.weightSpecs.slice(backup.modelWeights).map((s, i) => ({
          name: s.name,
          tensor: tensors[backup.modelWeights + i],
        })),
      );
    } finally {
      for (const t of tensors) t.dispose();
    }
    const epoch = existsSync(metadataPath) ? Number(JSON.parse(readFileSync(metadataPath, "utf8")).epoch) : 0;
    this.currentEpoch = epoch;
    this.model.initialEpoch = epoch;
  }

  /** Optimizer slots are saved by the position of their variable (tfjs variable names differ per model). */
  private async restoreOptimizer(weights: NamedTensor[]): Promise<void> {
    const m = this.model as unknown as Restorable;
    if (!m.optimizer || weights.length === 0) return;
    const names = m.trainableVariables?.().map((v) => v.name) ?? [];
    const renamed = weights.map(({ name, tensor }) => {
      const cut = name.indexOf("/");
      const index = Number(name.slice(0, cut));
      return cut > 0 && Number.isInteger(index) && names[index] !== undefined
        ? { name: `${names[index]}${name.slice(cut)}`, tensor }
        : { name, tensor };
    });
    await m.optimizer.setWeights(renamed);
  }

  override async onTrainBatchEnd(batch: number): Promise<void> {
    if (this.saveFreq === "epoch") return;
    this.batchesSinceSave += batch <= this.lastBatchSeen ? batch + 1 : batch - this.lastBatchSeen;
    this.lastBatchSeen = batch;
    if (this.batchesSinceSave >= this.saveFreq) {
      this.batchesSinceSave = 0;
      await this.save();
    }
  }

  override async onEpochEnd(epoch: number, _logs?: Logs): Promise<void> {
    this.currentEpoch = epoch + 1;
    this.lastBatchSeen = 0;
    if (this.saveFreq === "epoch") await this.save();
    if (epoch + 1 >= this.params.epochs || this.model?.stopTraining) this.completed = true;
  }

  private async save(): Promise<void> {
    if (!this.model) return;
    ensureFolder(this.backupDir, this.weightsPath); // fails fast on /proc-like or unwritable paths
    if (this.doubleCheckpoint) {
      if (existsSync(this.weightsPath)) copyFileSync(this.weightsPath, `${this.weightsPath}.bkp`);
      if (existsSync(this.metadataPath)) copyFileSync(this.metadataPath, `${this.metadataPath}.bkp`);
    }
    const modelWeights = this.model.getWeights();
    const m = this.model as unknown as Restorable;
    const names = m.trainableVariables?.().map((v) => v.name) ?? [];
    const optimizer = m.optimizer ? await m.optimizer.getWeights() : [];
    const optimizerEntries = optimizer.map(({ name, tensor }) => {
      const cut = name.lastIndexOf("/");
      const index = names.indexOf(name.slice(0, cut));
      return { name: index >= 0 ? `${index}${name.slice(cut)}` : name, value: tensor };
    });
    try {
      const backup: Backup = {
        format: BACKUP_FORMAT,
        formatVersion: FORMAT_VERSION,
        modelWeights: modelWeights.length,
        ...encodeWeights([...modelWeights.map((value, i) => ({ name: `weight_${i}`, value })), ...optimizerEntries]),
      } as Backup;
      writeAtomic(this.weightsPath, JSON.stringify(backup));
      writeAtomic(this.metadataPath, JSON.stringify({ epoch: this.currentEpoch, batch: this.lastBatchSeen }));
    } finally {
      for (const t of modelWeights) t.dispose();
      for (const w of optimizer.filter((w) => w.name === "iter")) w.tensor.dispose();
    }
  }

  override onTrainEnd(): void {
    if (this.completed && this.deleteCheckpoint && existsSync(this.backupDir)) {
      rmSync(this.backupDir, { recursive: true, force: true });
    }
  }
}
