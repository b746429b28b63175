/**
 * Keras 3's RMSprop (Keras 3 defaults: lr 0.001, rho 0.9, momentum 0, epsilon 1e-7, centered false).
 *   v = rho * v + (1 - rho) * g^2
 *   (centered) a = rho * a + (1 - rho) * g;  denom = v - a^2 + eps, else denom = v + eps
 *   inc = lr * g / sqrt(denom)
 *   (momentum) mom = momentum * mom + inc;  w -= mom, else w -= inc
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface RMSpropArgs extends BaseOptimizerArgs {
  /** Defaults to 0.001. */
  learningRate?: number | LearningRateSchedule;
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

export class RMSprop extends KerasOptimizer {
  static className = "RMSprop";
  rho: number;
  momentum: number;
  epsilon: number;
  centered: boolean;

  constructor(args?: RMSpropArgs | number) {
    super("RMSprop", args, 0.001);
    this.rho = this.num("rho", 0.9, [0, 1]);
    this.momentum = this.num("momentum", 0, [0, 1]);
    this.epsilon = this.num("epsilon", 1e-7);
    this.centered = this.bool("centered");
  }

  protected slotNames(): readonly string[] {
    return ["velocity", ...(this.momentum > 0 ? ["momentum"] : []), ...(this.centered ? ["average_gradient"] : [])];
  }

  protected stepContext(lr: number): StepContext {
    return { lr: tf.scalar(lr) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const [velocity] = slots;
    const rho = this.c(this.rho);
    const oneMinusRho = this.c(1 - this.rho);
    const eps = this.c(this.epsilon);
    const v = tf.add(tf.mul(rho, velocity), tf.mul(oneMinusRho, tf.square(grad)));
    velocity.assign(v);
    let denominator: tf.Tensor;
    if (this.centered) {
      const avg = slots[this.momentum > 0 ? 2 : 1];
      const a = tf.add(tf.mul(rho, avg), tf.mul(oneMinusRho, grad));
      avg.assign(a);
      denominator = tf.add(tf.sub(v, tf.square(a)), eps);
    } else {
      denominator = tf.add(v, eps);
    }
    const increment = tf.div(tf.mul(ctx.lr, grad), tf.sqrt(denominator));
    if (this.momentum > 0) {
      const mom = slots[1];
      const m = tf.add(tf.mul(this.c(this.momentum), mom), increment);
      mom.assign(m);
      variable.assign(tf.sub(variable, m));
    } else {
      variable.assign(tf.sub(variable, increment));
    }
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
tf.serialization.registerClass(RMSprop);
