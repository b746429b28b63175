/**
 * Keras 3's Adamax (lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7).
 *   m += (g - m) * (1 - beta1);  u = max(beta2 * u, |g|)
 *   w -= lr * m / ((1 - beta1^t) * (u + eps))               (t = iterations + 1)
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface AdamaxArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: number | LearningRateSchedule;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Adamax extends KerasOptimizer {
  static className = "Adamax";
  beta1: number;
  beta2: number;
  epsilon: number;

  constructor(args?: AdamaxArgs | number) {
    super("Adamax", args, 0.001);
    this.beta1 = this.num("beta1", 0.9, [0, 1]);
    this.beta2 = this.num("beta2", 0.999, [0, 1]);
    this.epsilon = this.num("epsilon", 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ["momentum", "norm"];
  }

  protected stepContext(lr: number, step: number): StepContext {
    return { lrCorrected: tf.scalar(lr / (1 - Math.fround(this.beta1) ** step)) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [m, u] = slots;
    const newM = tf.add(m, tf.mul(tf.sub(grad, m), this.c(1 - this.beta1)));
    const newU = tf.maximum(tf.mul(this.c(this.beta2), u), tf.abs(grad));
    m.assign(newM);
    u.assign(newU);
    const update = tf.div(tf.mul(newM, ctx.lrCorrected), tf.add(newU, this.c(this.epsilon)));
    variable.assign(tf.sub(variable, update));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(Adamax);
