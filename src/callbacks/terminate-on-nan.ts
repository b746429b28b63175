/** Keras 3's TerminateOnNaN: stop training as soon as a batch's loss is NaN or infinite. */
import type { Logs } from "./callback";
import { Callback } from "./callback";
import { callbackOptions, printMsg } from "./monitor";

export class TerminateOnNaN extends Callback {
  /** Throw instead of stopping after the epoch (Keras 3's `raise_error`). */
  readonly raiseError: boolean;

  constructor(args: { raiseError?: boolean } = {}) {
    super();
    this.raiseError = callbackOptions("TerminateOnNaN", args, ["raiseError"]).raiseError ?? false;
  }

  override onTrainBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    if (this.raiseError) {
      const shown = Number.isNaN(loss) ? "nan" : loss > 0 ? "inf" : "-inf";
      throw new Error(
        `NaN or Inf loss encountered at batch ${batch}. Loss value: ${shown}. Terminating training immediately.`,
      );
    }
    printMsg(`Batch ${batch}: Invalid loss, terminating training`);
    if (this.model) this.model.stopTraining = true;
  }
}
