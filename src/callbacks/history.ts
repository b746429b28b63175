/**
 * Keras' History: what fit returns. `history.history` maps each reported name (`loss`, the metrics as
 * the user spelt them, their `val_` twins) to plain numbers, one per finished epoch; `epoch` holds the
 * 0-based epoch indices.
 *
 * As a cell's last value (or in console.log) it shows a one-line summary, not its model and arrays —
 * `table(history)` and `plotHistory(history)` show the numbers.
 */
import { inspect } from "node:util";
import { Callback, type Logs } from "./callback";
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/bridge";

export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) {
      (this.history[key] ??= []).push(value);
    }
  }

  /** e.g. `History(3 epochs: loss 0.3121, accuracy 0.9012, val_loss 0.3350, val_accuracy 0.8890)`. */
  override toString(): string {
    const last = Object.entries(this.history)
      .map(([key, values]) => `${key} ${values.length ? values[values.length - 1].toFixed(4) : "-"}`)
      .join(", ");
    const n = this.epoch.length;
    return `History(${n} epoch${n === 1 ? "" : "s"}${last ? `: ${last}` : ""})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return { "text/plain": this.toString() };
  }
}
