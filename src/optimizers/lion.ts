/**
 * Keras 3's Lion (lr 0.001, beta1 0.9, beta2 0.99):
 *   w -= lr * sign(beta1 m + (1 - beta1) g);  m = beta2 m + (1 - beta2) g
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface LionArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: number | LearningRateSchedule;
  /** In (0, 1]; defaults to 0.9. */
  beta1?: number;
  /** Defaults to 0.99. */
  beta2?: number;
}

export class Lion extends KerasOptimizer {
  static className = "Lion";
  beta1: number;
  beta2: number;

  constructor(args?: LionArgs | number) {
    super("Lion", args, 0.001);
    this.beta1 = this.num("beta1", 0.9);
    this.beta2 = this.num("beta2", 0.99, [0, 1]);
    if (this.beta1 <= 0 || this.beta1 > 1) {
      throw new Error(
        `Argument \`beta_1\` must be in the [0, 1] range. Otherwise, the optimizer degenerates to SignSGD. Received: beta_1=${this.beta1}.`,
      );
    }
  }

  protected slotNames(): readonly string[] {
    return ["momentum"];
  }

  protected stepContext(lr: number): StepContext {
    return { lr: tf.scalar(lr) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [m] = slots;
    const direction = tf.sign(tf.add(tf.mul(m, this.c(this.beta1)), tf.mul(grad, this.c(1 - this.beta1))));
    variable.assign(tf.sub(variable, tf.mul(ctx.lr, direction)));
    m.assign(tf.add(tf.mul(m, this.c(this.beta2)), tf.mul(grad, this.c(1 - this.beta2))));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { beta_1: this.beta1, beta_2: this.beta2 };
  }
}
tf.serialization.registerClass(Lion);
