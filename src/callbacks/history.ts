/**
 * Keras' History: what fit returns. `history.history` maps each reported name (`loss`, the metrics as
 * the user spelt them, their `val_` twins) to plain numbers, one per finished epoch; `epoch` holds the
 * 0-based epoch indices.
 */
import { Callback, type Logs } from "./callback";

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
}
