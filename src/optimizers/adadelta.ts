/**
 * Keras 3's Adadelta (lr 0.001, rho 0.95, epsilon 1e-7).
 *   ag = rho * ag + (1 - rho) * g^2
 *   delta = -sqrt(ad + eps) * g / sqrt(ag + eps)
 *   ad = rho * ad + (1 - rho) * delta^2
 *   w += lr * delta
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface AdadeltaArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001 (Keras 3; Keras 2 used 1.0). */
  learningRate?: number | LearningRateSchedule;
  rho?: number;
  epsilon?: number;
}

export class Adadelta extends KerasOptimizer {
  static className = "Adadelta";
  rho: number;
  epsilon: number;

  constructor(args?: AdadeltaArgs | number) {
    super("Adadelta", args, 0.001);
    this.rho = this.num("rho", 0.95, [0, 1]);
    this.epsilon = this.num("epsilon", 1e-7);
  }

  protected slotNames(): readonly string[] {
    return ["accumulated_grad", "accumulated_delta_var"];
  }

  protected stepContext(lr: number): StepContext {
    return { lr: tf.scalar(lr) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [accGrad, accDelta] = slots;
    const rho = this.c(this.rho);
    const oneMinusRho = this.c(1 - this.rho);
    const eps = this.c(this.epsilon);
    const ag = tf.add(tf.mul(rho, accGrad), tf.mul(oneMinusRho, tf.square(grad)));
    accGrad.assign(ag);
    const delta = tf.neg(tf.div(tf.mul(tf.sqrt(tf.add(accDelta, eps)), grad), tf.sqrt(tf.add(ag, eps))));
    accDelta.assign(tf.add(tf.mul(rho, accDelta), tf.mul(oneMinusRho, tf.square(delta))));
    variable.assign(tf.add(variable, tf.mul(ctx.lr, delta)));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
tf.serialization.registerClass(Adadelta);
