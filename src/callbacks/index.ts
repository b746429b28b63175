/**
 * Keras' callbacks: `new callbacks.EarlyStopping({ monitor: "val_loss", patience: 10 })`, … passed to
 * `model.fit({ callbacks: [...] })`. One export line per module; the Keras callbacks a user constructs also
 * work without `new`, as Keras writes them (`callbacks.EarlyStopping({ patience: 3 })`).
 */
import { callableClass } from "../utils/callable-class";
import { EarlyStopping as EarlyStoppingClass } from "./early-stopping";
import { ModelCheckpoint as ModelCheckpointClass } from "./model-checkpoint";
import { ReduceLROnPlateau as ReduceLROnPlateauClass } from "./reduce-lr-on-plateau";
import { LambdaCallback as LambdaCallbackClass } from "./lambda-callback";
import { CSVLogger as CSVLoggerClass } from "./csv-logger";
import { BackupAndRestore as BackupAndRestoreClass } from "./backup-and-restore";
import { TerminateOnNaN as TerminateOnNaNClass } from "./terminate-on-nan";
import { LearningRateScheduler as LearningRateSchedulerClass } from "./learning-rate-scheduler";
export { Callback, CallbackList, type CallbackModel, type FitParams, type Logs } from "./callback";
export { History } from "./history";
export { interruptToken, TrainingInterrupted, type InterruptToken } from "./interrupt";
export { MonitorCallback, monitorDirection, type Mode } from "./monitor";
export type { EarlyStoppingArgs } from "./early-stopping";
export type { ModelCheckpointArgs } from "./model-checkpoint";
export type { ReduceLROnPlateauArgs } from "./reduce-lr-on-plateau";
export type { LambdaCallbackArgs } from "./lambda-callback";
export type { LearningRateSchedulerArgs, Schedule } from "./learning-rate-scheduler";
export type { CSVLoggerArgs } from "./csv-logger";
export type { BackupAndRestoreArgs } from "./backup-and-restore";
export { pyFormat, pyRepr } from "./format";
export * from "./progbar";
export * from "./live-plot";

export const EarlyStopping = callableClass(EarlyStoppingClass);
export type EarlyStopping = EarlyStoppingClass;
export const ModelCheckpoint = callableClass(ModelCheckpointClass);
export type ModelCheckpoint = ModelCheckpointClass;
export const ReduceLROnPlateau = callableClass(ReduceLROnPlateauClass);
export type ReduceLROnPlateau = ReduceLROnPlateauClass;
export const LambdaCallback = callableClass(LambdaCallbackClass);
export type LambdaCallback = LambdaCallbackClass;
export const CSVLogger = callableClass(CSVLoggerClass);
export type CSVLogger = CSVLoggerClass;
export const BackupAndRestore = callableClass(BackupAndRestoreClass);
export type BackupAndRestore = BackupAndRestoreClass;
export const TerminateOnNaN = callableClass(TerminateOnNaNClass);
export type TerminateOnNaN = TerminateOnNaNClass;
export const LearningRateScheduler = callableClass(LearningRateSchedulerClass);
export type LearningRateScheduler = LearningRateSchedulerClass;
