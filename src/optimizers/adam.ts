/**
 * Keras 3's Adam, with AMSGrad (lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7, epsilon outside the sqrt).
 *   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)          (t = iterations + 1, on the host)
 *   m += (g - m) * (1 - beta1);  v += (g^2 - v) * (1 - beta2)
 *   (amsgrad) vhat = max(vhat, v), used in place of v
 *   w -= m * alpha / (sqrt(v) + eps)
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface AdamArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: number | LearningRateSchedule;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
}

export class Adam extends KerasOptimizer {
  static className = "Adam";
  beta1: number;
  beta2: number;
  epsilon: number;
  amsgrad: boolean;

  constructor(args?: AdamArgs | number, kind: "Adam" | "AdamW" = "Adam") {
    super(kind, args, 0.001);
    this.beta1 = this.num("beta1", 0.9, [0, 1]);
    this.beta2 = this.num("beta2", 0.999, [0, 1]);
    this.epsilon = this.num("epsilon", 1e-7);
    this.amsgrad = this.bool("amsgrad");
  }

  protected slotNames(): readonly string[] {
    return this.amsgrad ? ["momentum", "velocity", "velocity_hat"] : ["momentum", "velocity"];
  }

  protected stepContext(lr: number, step: number): StepContext {
    const b1 = Math.fround(this.beta1);
    const b2 = Math.fround(this.beta2);
    return { alpha: tf.scalar((lr * Math.sqrt(1 - b2 ** step)) / (1 - b1 ** step)) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [m, v] = slots;
    const newM = tf.add(m, tf.mul(tf.sub(grad, m), this.c(1 - this.beta1)));
    let newV = tf.add(v, tf.mul(tf.sub(tf.square(grad), v), this.c(1 - this.beta2)));
    m.assign(newM);
    v.assign(newV);
    if (this.amsgrad) {
      const vHat = slots[2];
      newV = tf.maximum(vHat, newV);
      vHat.assign(newV);
    }
    const update = tf.div(tf.mul(newM, ctx.alpha), tf.add(tf.sqrt(newV), this.c(this.epsilon)));
    variable.assign(tf.sub(variable, update));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}
tf.serialization.registerClass(Adam);
