/**
 * Keras 3's MonitorCallback: the shared logic of EarlyStopping, ModelCheckpoint and ReduceLROnPlateau
 * (which way is better for the monitored quantity, what counts as an improvement), plus option
 * handling that accepts Keras' snake_case spellings and rejects unknown options.
 */
import { closestFirst } from "../optimizers/suggest";
import { Callback } from "./callback";

export type Mode = "auto" | "min" | "max";

/** camelCase keys, with Keras' snake_case spellings accepted; unknown keys throw, naming the valid ones. */
export function callbackOptions<T extends object>(
  cls: string,
  args: T | undefined,
  valid: readonly string[],
): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args ?? {})) {
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!valid.includes(camel)) {
      const [closest] = closestFirst(camel, valid);
      throw new Error(
        `${cls} has no option '${key}' (closest: '${closest}'). Valid ${cls} options: ${valid.join(", ")}`,
      );
    }
    if (value !== undefined && value !== null) out[camel] = value;
  }
  return out as Partial<T>;
}

/** Metrics where higher is better, by (val_-less) name. */
const UP = /acc|^auc$|precision|recall|f1_score|fbeta_score|r2_score|true_positives|true_negatives|iou|^top_k/;
/** Metrics where lower is better. */
const DOWN =
  /loss|error|crossentropy|hinge|^mse$|^mae$|^mape$|^msle$|^rmse$|kl_divergence|^kld$|poisson|log_?cosh|false_positives|false_negatives/;

/** Which way is better for `monitor`: Keras knows "loss"; other metrics go by their names. */
export function monitorDirection(cls: string, monitor: string, mode: Mode): "min" | "max" {
  if (mode === "min" || mode === "max") return mode;
  const name = monitor.replace(/^val_/, "");
  if (DOWN.test(name)) return "min";
  if (UP.test(name)) return "max";
  throw new Error(
    `${cls} callback received monitor=${monitor}, but Keras isn't able to automatically determine whether ` +
      "that metric should be maximized or minimized. Pass `mode='max'` in order to monitor based on the highest " +
      "metric value, or pass `mode='min'` in order to use the lowest value.",
  );
}

export abstract class MonitorCallback extends Callback {
  readonly monitor: string;
  readonly mode: Mode;
  /** Best value so far (`undefined`: none yet). */
  best?: number;
  /** Signed as Keras does: negative when lower is better. */
  protected minDelta: number;
  private direction?: "min" | "max";
  private warned = new Set<string>();

  constructor(monitor = "val_loss", mode: string = "auto", minDelta = 0) {
    super();
    if (mode !== "auto" && mode !== "min" && mode !== "max") {
      console.warn(`${new.target.name} mode '${mode}' is unknown, fallback to auto mode.`);
      mode = "auto";
    }
    this.monitor = monitor;
    this.mode = mode as Mode;
    this.minDelta = Math.abs(minDelta);
    // Resolve "auto" now, so an ambiguous metric name is reported before training starts.
    this.setMonitorOp();
  }

  /** "min" or "max", as resolved from `mode` and the monitored name. */
  get monitorOp(): "min" | "max" {
    return this.setMonitorOp();
  }

  private setMonitorOp(): "min" | "max" {
    if (this.direction === undefined) {
      this.direction = monitorDirection(this.constructor.name, this.monitor, this.mode);
      if (this.direction === "min") this.minDelta *= -1;
    }
    return this.direction;
  }

  /** Keras' `_is_improvement`: no reference yet counts as an improvement. */
  protected isImprovement(current: number, reference: number | undefined): boolean {
    if (reference === undefined) return true;
    const shifted = current - this.minDelta;
    return this.monitorOp === "min" ? shifted < reference : shifted > reference;
  }

  /** Warns once per message, as Python's warnings module does for a repeated warning. */
  protected warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    console.warn(message);
  }
}

/** Keras' `io_utils.print_msg`: one line to stdout (the notebook cell). */
export function printMsg(message: string): void {
  console.log(message);
}
