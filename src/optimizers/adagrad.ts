/**
 * Keras 3's Adagrad (lr 0.001, initialAccumulatorValue 0.1, epsilon 1e-7).
 *   acc += g^2;  w -= lr * g / sqrt(acc + eps)
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface AdagradArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: number | LearningRateSchedule;
  initialAccumulatorValue?: number;
  epsilon?: number;
}

export class Adagrad extends KerasOptimizer {
  static className = "Adagrad";
  initialAccumulatorValue: number;
  epsilon: number;

  constructor(args?: AdagradArgs | number) {
    super("Adagrad", args, 0.001);
    this.initialAccumulatorValue = this.num("initialAccumulatorValue", 0.1);
    this.epsilon = this.num("epsilon", 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ["accumulator"];
  }

  protected override slotInitialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected stepContext(lr: number): StepContext {
    return { lr: tf.scalar(lr) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [accumulator] = slots;
    const acc = tf.add(accumulator, tf.square(grad));
    accumulator.assign(acc);
    const update = tf.div(tf.mul(ctx.lr, grad), tf.sqrt(tf.add(acc, this.c(this.epsilon))));
    variable.assign(tf.sub(variable, update));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(Adagrad);
