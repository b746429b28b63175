/**
 * Keras' LambdaCallback: a callback from plain functions,
 * e.g. `new LambdaCallback({ onEpochEnd: (epoch, logs) => console.log(epoch, logs?.loss) })`.
 * Keras' snake_case names (`on_epoch_end`, …) are accepted too.
 */
import { Callback, type Logs } from "./callback";
import { callbackOptions } from "./monitor";

type MaybePromise = void | Promise<void>;
type EpochFn = (epoch: number, logs?: Logs) => MaybePromise;
type BatchFn = (batch: number, logs?: Logs) => MaybePromise;
type LogsFn = (logs?: Logs) => MaybePromise;

export interface LambdaCallbackArgs {
  onEpochBegin?: EpochFn;
  onEpochEnd?: EpochFn;
  onTrainBegin?: LogsFn;
  onTrainEnd?: LogsFn;
  onTrainBatchBegin?: BatchFn;
  onTrainBatchEnd?: BatchFn;
  /** Keras 2's names for the train-batch hooks. */
  onBatchBegin?: BatchFn;
  onBatchEnd?: BatchFn;
}

const OPTIONS = [
  "onEpochBegin",
  "onEpochEnd",
  "onTrainBegin",
  "onTrainEnd",
  "onTrainBatchBegin",
  "onTrainBatchEnd",
  "onBatchBegin",
  "onBatchEnd",
] as const;

export class LambdaCallback extends Callback {
  private readonly fns: LambdaCallbackArgs;

  constructor(args: LambdaCallbackArgs = {}) {
    super();
    const o = callbackOptions("LambdaCallback", args, OPTIONS);
    for (const [k, v] of Object.entries(o)) {
      if (typeof v !== "function") throw new Error(`LambdaCallback: '${k}' must be a function`);
    }
    this.fns = o;
  }

  override onEpochBegin(epoch: number, logs?: Logs): MaybePromise {
    return this.fns.onEpochBegin?.(epoch, logs);
  }
  override onEpochEnd(epoch: number, logs?: Logs): MaybePromise {
    return this.fns.onEpochEnd?.(epoch, logs);
  }
  override onTrainBegin(logs?: Logs): MaybePromise {
    return this.fns.onTrainBegin?.(logs);
  }
  override onTrainEnd(logs?: Logs): MaybePromise {
    return this.fns.onTrainEnd?.(logs);
  }
  override onTrainBatchBegin(batch: number, logs?: Logs): MaybePromise {
    return (this.fns.onTrainBatchBegin ?? this.fns.onBatchBegin)?.(batch, logs);
  }
  override onTrainBatchEnd(batch: number, logs?: Logs): MaybePromise {
    return (this.fns.onTrainBatchEnd ?? this.fns.onBatchEnd)?.(batch, logs);
  }
}
