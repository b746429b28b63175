/**
 * Where a fit's batches come from. Small training sets are copied out of TensorFlow once per fit and
 * each batch is gathered natively from that copy (no per-step op). A large one (over
 * `batchRowLimits.hostCopyBytes`, 256 MB: e.g. CIFAR-10's 614 MB of float32 images) is not copied — a second copy would
 * put fit's peak memory above Keras' — and each batch is gathered from the tensor with one tfjs op
 * instead, which costs well under 1 % of such a model's step.
 */
import { tf } from "../tf";

/** `hostCopyBytes`: the largest training set fit copies to the host (a setting, so tests can lower it). */
export const batchRowLimits = { hostCopyBytes: 256 * 2 ** 20 };

export type HostRows = Float32Array | Int32Array;

/** Whether fit keeps a host copy of `t` (and gathers batches from it natively). */
export function keepsHostCopy(t: tf.Tensor): boolean {
  return t.size * 4 <= batchRowLimits.hostCopyBytes;
}

/** Rows order[start..start+size) (or start..start+size) of `t`, copied out as one contiguous array. */
export function tensorRows(t: tf.Tensor, order: Int32Array | undefined, start: number, size: number): HostRows {
  const rows = tf.tidy(() =>
    order ? tf.gather(t, tf.tensor1d(order.subarray(start, start + size), "int32")) : t.slice(start, size),
  );
  const data = rows.dataSync();
  rows.dispose();
  return data instanceof Float32Array || data instanceof Int32Array ? data : Int32Array.from(data);
}

/** The same rows gathered from a row-major host array of `width` values per row. */
export function hostRows<T extends HostRows>(
  data: T,
  width: number,
  order: Int32Array | undefined,
  start: number,
  size: number,
): T {
  if (!order) return data.subarray(start * width, (start + size) * width) as T;
  const out = new (data.constructor as new (n: number) => T)(size * width);
  for (let i = 0; i < size; i++) {
    const r = order[start + i];
    out.set(data.subarray(r * width, (r + 1) * width), i * width);
  }
  return out;
}
