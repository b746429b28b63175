/**
 * Where a fit's batches come from. Small training sets are copied out of TensorFlow once per fit and
 * each batch is gathered natively from that copy (no per-step op). A large one (over
 * `batchRowLimits.hostCopyBytes`, 256 MB: e.g. CIFAR-10's 614 MB of float32 images) is not copied — a second copy would
 * put fit's peak memory above Keras' — and each batch is gathered from the tensor with one tfjs op
 * instead, which costs well under 1 % of such a model's step.
 *
 * Between the two, float data whose values are all integers 0..255 (multi-hot or one-hot rows, raw
 * pixels) is copied as one byte a value, a quarter of the memory, and widened to float32 as the addon
 * gathers each batch: an IMDB-style 8192 × 10,000 multi-hot set (328 MB) trains from an 82 MB copy
 * instead of paying a tfjs gather, a read-back and a copy (three passes over 20 MB) every step.
 */
import { tf } from "../tf";

/** `hostCopyBytes`: the largest training set fit copies to the host (a setting, so tests can lower it). */
export const batchRowLimits = { hostCopyBytes: 256 * 2 ** 20 };

export type HostRows = Float32Array | Int32Array | Uint8Array;

/** How many values `byteCopy` reads back from TensorFlow at a time (4 MB of floats). */
const CHUNK_VALUES = 2 ** 20;

/**
 * The host copy fit gathers `t`'s batches from, or undefined when there is none (gather with a tfjs op):
 * the values as they are, or one byte a value for float data too large for that whose values are all
 * integers 0..255. A Uint8Array copy stands for float32 rows: the addon widens it as it gathers.
 */
export function hostCopy(t: tf.Tensor): HostRows | undefined {
  if (t.size * 4 <= batchRowLimits.hostCopyBytes) return hostArray(t);
  return t.dtype === "float32" && t.size <= batchRowLimits.hostCopyBytes ? byteCopy(t) : undefined;
}

/**
 * `t`'s values as bytes if every one is an integer 0..255, else undefined. Read back a few rows at a
 * time, so the full float copy that would not fit is never made; normalized data stops at its first
 * value.
 */
function byteCopy(t: tf.Tensor): Uint8Array | undefined {
  const n = t.shape[0];
  const width = t.size / n;
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_VALUES / width));
  let out: Uint8Array | undefined; // made once the first chunk qualifies
  for (let start = 0; start < n; start += rowsPerChunk) {
    const chunk = t.slice(start, Math.min(rowsPerChunk, n - start));
    const values = chunk.dataSync() as Float32Array;
    chunk.dispose();
    if (!allBytes(values)) return undefined;
    out ??= new Uint8Array(t.size);
    out.set(values, start * width);
  }
  return out;
}

function allBytes(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= 0 && v <= 255 && v === Math.floor(v))) return false;
  }
  return true;
}

/** Values read back from TensorFlow as the addon takes them: float32 as is, other dtypes as int32. */
function asRows(data: tf.TypedArray): Float32Array | Int32Array {
  return data instanceof Float32Array || data instanceof Int32Array ? data : Int32Array.from(data);
}

/** All of `t`'s values, copied out of TensorFlow. */
export function hostArray(t: tf.Tensor): Float32Array | Int32Array {
  return asRows(t.dataSync());
}

/** Rows order[start..start+size) (or start..start+size) of `t`, copied out as one contiguous array. */
export function tensorRows(
  t: tf.Tensor,
  order: Int32Array | undefined,
  start: number,
  size: number,
): Float32Array | Int32Array {
  const rows = tf.tidy(() =>
    order ? tf.gather(t, tf.tensor1d(order.subarray(start, start + size), "int32")) : t.slice(start, size),
  );
  const data = asRows(rows.dataSync());
  rows.dispose();
  return data;
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
