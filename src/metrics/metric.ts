/**
 * Keras 3's stateful `Metric` (keras/src/metrics/metric.py): state in variables created up front
 * (`addVariable` in the constructor, or in an explicit `build`), `updateState` accumulating a batch with
 * tensor ops and `assign` only (so it traces into a graph: no host reads, no branching on values),
 * `result()` reading the state, `resetState()` zeroing it.
 *
 *   class Positives extends metrics.Metric {
 *     count = this.addVariable({ name: "count" });
 *     updateState(yTrue, yPred) { this.count.assign(tf.add(this.count, tf.sum(tf.greater(yPred, 0.5).toFloat()))); }
 *     result() { return this.count.clone(); }
 *   }
 */
import { tf } from "../tf";
import { autoName, toSnakeCase } from "../utils/naming";

export interface MetricOptions {
  /** The log key (defaults to Keras' name for the class, e.g. "auc", "auc_1"). */
  name?: string;
  /** Only "float32" is supported. */
  dtype?: "float32";
}

export interface VariableOptions {
  name?: string;
  /** Defaults to [] (a scalar). */
  shape?: number[];
  /** "zeros" (default), "ones", or a number to fill with. */
  initializer?: "zeros" | "ones" | number;
}

/** Each metric's state variables (kept outside the class so exported class expressions stay declarable). */
const STATE = new WeakMap<Metric, { variable: tf.Variable; name: string; fill: number }[]>();

export abstract class Metric {
  name: string;
  readonly dtype = "float32";

  constructor(options: MetricOptions = {}, defaultName?: string) {
    if (options.dtype !== undefined && options.dtype !== "float32") {
      throw new Error(`${new.target.name}: only dtype 'float32' is supported, got ${JSON.stringify(options.dtype)}`);
    }
    this.name = options.name ?? defaultName ?? autoName(toSnakeCase(new.target.name));
    STATE.set(this, []);
  }

  /** Creates a state variable (non-trainable). Call it in the constructor or `build`, never in updateState. */
  addVariable(options: VariableOptions = {}): tf.Variable {
    const fill = options.initializer === "ones" ? 1 : typeof options.initializer === "number" ? options.initializer : 0;
    // In a tidy, so the initial value (which the variable copies) is freed.
    const variable = tf.tidy(() => tf.variable(tf.fill(options.shape ?? [], fill), false));
    STATE.get(this)!.push({ variable, name: options.name ?? `variable_${STATE.get(this)!.length}`, fill });
    return variable;
  }

  /** Keras 2's spelling of addVariable. */
  addWeight(options: VariableOptions = {}): tf.Variable {
    return this.addVariable(options);
  }

  /** The state variables, in creation order. */
  get variables(): tf.Variable[] {
    return STATE.get(this)!.map((s) => s.variable);
  }

  /** Accumulates one batch (tensor ops and `variable.assign` only). */
  abstract updateState(yTrue: tf.Tensor, yPred?: tf.Tensor, sampleWeight?: tf.Tensor): void;

  /** The metric's value from its state, as a tensor (the caller disposes it). */
  abstract result(): tf.Tensor;

  /** Back to the initial state (every variable to its initial value). */
  resetState(): void {
    tf.tidy(() => {
      for (const { variable, fill } of STATE.get(this)!) variable.assign(tf.fill(variable.shape, fill));
    });
  }

  /** The result as a number (reads the device). */
  resultValue(): number {
    const r = this.result();
    try {
      return r.dataSync()[0];
    } finally {
      r.dispose();
    }
  }

  getConfig(): Record<string, unknown> {
    return { name: this.name, dtype: this.dtype };
  }

  /** Frees the state variables. */
  dispose(): void {
    for (const { variable } of STATE.get(this)!) variable.dispose();
    STATE.get(this)!.length = 0;
  }

  toString(): string {
    return `<${this.constructor.name} name=${this.name}>`;
  }
}
