/**
 * Keras 3's Nadam (Adam with Nesterov momentum; lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7):
 *   u_t = beta1 (1 - 0.5 * 0.96^t),  u_{t+1} likewise,  Π_t = u_1 … u_t      (t = iterations + 1)
 *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2)
 *   m̂ = u_{t+1} m / (1 - Π_t u_{t+1}) + (1 - u_t) g / (1 - Π_t);  v̂ = v / (1 - beta2^t)
 *   w -= lr m̂ / (sqrt(v̂) + eps)
 * Keras keeps Π_t in a variable; here it is recomputed from t on the host (every per-step value
 * depends on the step number only).
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface NadamArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: number | LearningRateSchedule;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export class Nadam extends KerasOptimizer {
  static className = "Nadam";
  beta1: number;
  beta2: number;
  epsilon: number;

  constructor(args?: NadamArgs | number) {
    super("Nadam", args, 0.001);
    this.beta1 = this.num("beta1", 0.9, [0, 1]);
    this.beta2 = this.num("beta2", 0.999, [0, 1]);
    this.epsilon = this.num("epsilon", 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ["momentum", "velocity"];
  }

  protected stepContext(lr: number, step: number): StepContext {
    const b1 = Math.fround(this.beta1);
    const u = (t: number) => Math.fround(b1 * (1 - 0.5 * Math.fround(0.96 ** t)));
    let product = 1;
    for (let t = 1; t <= step; t++) product = Math.fround(product * u(t));
    const ut = u(step);
    const ut1 = u(step + 1);
    return {
      lr: tf.scalar(lr),
      momentumScale: tf.scalar(ut1 / (1 - product * ut1)),
      gradScale: tf.scalar((1 - ut) / (1 - product)),
      velocityScale: tf.scalar(1 / (1 - Math.fround(this.beta2) ** step)),
    };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [m, v] = slots;
    const newM = tf.add(m, tf.mul(tf.sub(grad, m), this.c(1 - this.beta1)));
    const newV = tf.add(v, tf.mul(tf.sub(tf.square(grad), v), this.c(1 - this.beta2)));
    m.assign(newM);
    v.assign(newV);
    const mHat = tf.add(tf.mul(newM, ctx.momentumScale), tf.mul(grad, ctx.gradScale));
    const vHat = tf.mul(newV, ctx.velocityScale);
    const update = tf.div(tf.mul(mHat, ctx.lr), tf.add(tf.sqrt(vHat), this.c(this.epsilon)));
    variable.assign(tf.sub(variable, update));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(Nadam);
