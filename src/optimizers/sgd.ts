/**
 * Keras 3's SGD: plain, with momentum, or Nesterov momentum.
 *   m = momentum * m - lr * g;  w += m                      (momentum)
 *   m = momentum * m - lr * g;  w += momentum * m - lr * g  (nesterov)
 *   w -= lr * g                                              (momentum = 0)
 */
import { tf } from "../tf";
import type { LearningRateSchedule } from "./schedules/learning-rate-schedule";
import { type BaseOptimizerArgs, KerasOptimizer, type StepContext } from "./optimizer";

export interface SGDArgs extends BaseOptimizerArgs {
  /** Defaults to 0.01. */
  learningRate?: number | LearningRateSchedule;
  /** In [0, 1]; 0 (the default) is plain gradient descent. */
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends KerasOptimizer {
  static className = "SGD";
  momentum: number;
  nesterov: boolean;

  constructor(args?: SGDArgs | number) {
    super("SGD", args, 0.01);
    this.momentum = this.num("momentum", 0, [0, 1]);
    this.nesterov = this.bool("nesterov");
  }

  protected slotNames(): readonly string[] {
    return this.momentum !== 0 ? ["momentum"] : [];
  }

  protected stepContext(lr: number): StepContext {
    return { lr: tf.scalar(lr) };
  }

  protected updateStep(variable: tf.Variable, grad: tf.Tensor, slots: tf.Variable[], ctx: StepContext): void {
    const step = tf.mul(grad, ctx.lr);
    if (this.momentum === 0) {
      variable.assign(tf.sub(variable, step));
      return;
    }
    const [m] = slots;
    const mom = this.c(this.momentum);
    const newM = tf.sub(tf.mul(m, mom), step);
    m.assign(newM);
    variable.assign(tf.add(variable, this.nesterov ? tf.sub(tf.mul(newM, mom), step) : newM));
  }

  protected ownConfig(): tf.serialization.ConfigDict {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
tf.serialization.registerClass(SGD);
