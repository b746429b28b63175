/**
 * Keras' callbacks: `new callbacks.EarlyStopping({ monitor: "val_loss", patience: 10 })`, … passed to
 * `model.fit({ callbacks: [...] })`. One export line per module.
 */
export { Callback, CallbackList, type CallbackModel, type FitParams, type Logs } from "./callback";
export { History } from "./history";
export { interruptToken, TrainingInterrupted, type InterruptToken } from "./interrupt";
export { MonitorCallback, monitorDirection, type Mode } from "./monitor";
export { EarlyStopping, type EarlyStoppingArgs } from "./early-stopping";
export { ModelCheckpoint, type ModelCheckpointArgs } from "./model-checkpoint";
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from "./reduce-lr-on-plateau";
export { TerminateOnNaN } from "./terminate-on-nan";
export { LambdaCallback, type LambdaCallbackArgs } from "./lambda-callback";
export { LearningRateScheduler, type LearningRateSchedulerArgs, type Schedule } from "./learning-rate-scheduler";
export { CSVLogger, type CSVLoggerArgs } from "./csv-logger";
export { BackupAndRestore, type BackupAndRestoreArgs } from "./backup-and-restore";
export { pyFormat, pyRepr } from "./format";
export * from "./progbar";
export * from "./live-plot";
