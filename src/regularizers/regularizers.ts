/**
 * Keras 3's weight regularizers as tfjs-layers `Regularizer`s (so tfjs layers accept them and saved
 * models reload them): `L1` → `l1 * sum(|x|)`, `L2` → `l2 * sum(x^2)`, `L1L2` → both, computed as
 * Keras does (the factor multiplies the sum).
 */
import { tf } from "../tf";

/** tfjs-layers' `Regularizer` base class (tfjs-layers does not export it by name). */
export interface Regularizer extends tf.serialization.Serializable {
  apply(x: tf.Tensor): tf.Scalar;
}

type RegularizerBase = new () => Regularizer;
const L1L2Base = tf.regularizers.l1l2({ l1: 0, l2: 0 }).constructor as unknown as object;
/** The runtime class tfjs-layers checks with `instanceof`. */
export const RegularizerBase = Object.getPrototypeOf(L1L2Base) as RegularizerBase;

/** Keras' `validate_float_arg`: a finite number >= 0. */
function factor(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new Error(
      `Invalid value for argument ${name}: expected a non-negative float. Received: ${name}=${String(value)}`,
    );
  }
  return value;
}

function penalty(x: tf.Tensor, l1: number, l2: number): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    if (l1 !== 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(x))));
    if (l2 !== 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(x))));
    return total;
  });
}

export interface L1L2Args {
  l1?: number;
  l2?: number;
}

/** Both penalties; Keras 3's defaults are 0 for an absent term (`L1L2({ l2: 0.1 })` is pure L2). */
export class L1L2 extends RegularizerBase {
  static className = "L1L2";
  readonly l1: number;
  readonly l2: number;

  constructor(args: L1L2Args = {}) {
    super();
    this.l1 = factor(args.l1 ?? 0, "l1");
    this.l2 = factor(args.l2 ?? 0, "l2");
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return penalty(x, this.l1, this.l2);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { l1: this.l1, l2: this.l2 };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}

/** `l1 * sum(|x|)`, default factor 0.01. */
export class L1 extends RegularizerBase {
  static className = "L1";
  readonly l1: number;

  constructor(args: { l1?: number } | number = {}) {
    super();
    this.l1 = factor((typeof args === "number" ? args : args.l1) ?? 0.01, "l1");
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return penalty(x, this.l1, 0);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { l1: this.l1 };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}

/** `l2 * sum(x^2)`, default factor 0.01. */
export class L2 extends RegularizerBase {
  static className = "L2";
  readonly l2: number;

  constructor(args: { l2?: number } | number = {}) {
    super();
    this.l2 = factor((typeof args === "number" ? args : args.l2) ?? 0.01, "l2");
  }

  override apply(x: tf.Tensor): tf.Scalar {
    return penalty(x, 0, this.l2);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { l2: this.l2 };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}

// Registering under "L1L2" replaces tfjs-layers' own class of that name: the config ({l1, l2}) is the same.
tf.serialization.registerClass(L1L2);
tf.serialization.registerClass(L1);
tf.serialization.registerClass(L2);
