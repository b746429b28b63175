/**
 * Turns what users pass to fit/evaluate/predict (tf.Tensor, typed arrays, nested JS arrays, or
 * `{ data, shape }`) into tensors, and checks them the way a user needs: shapes against the model,
 * labels against the loss, empty data, mismatched lengths, NaN/Infinity — each error naming the fix.
 */
import { tf } from "../tf";
import type { LossKind } from "../losses/index";

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | Uint8ClampedArray;
export type NestedNumbers = number | NestedNumbers[];
/** Anything fit/evaluate/predict accept as x or y, like the NumPy arrays Keras takes. */
export type DataLike = tf.Tensor | TypedArray | NestedNumbers[] | { data: TypedArray | number[]; shape: number[] };

/** Python's tuple notation Keras prints: `(None, 784)`, `(60000,)`. */
export function formatShape(shape: readonly (number | null)[]): string {
  const dims = shape.map((d) => (d === null ? "None" : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
}

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** A float32 (or int32 for labels) tensor for `value`; tensors this creates are pushed to `owned`. */
export function toTensor(
  value: DataLike,
  what: string,
  owned: tf.Tensor[],
  sampleShape?: readonly (number | null)[],
): tf.Tensor {
  let t: tf.Tensor;
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new Error(`${what} is a disposed tensor; it can no longer be used`);
    if (value.dtype === "string") throw new Error(`${what} holds strings; convert it to numbers first`);
    if (value.dtype === "float32") return value;
    t = tf.cast(value, "float32");
  } else if (ArrayBuffer.isView(value)) {
    const data = value instanceof Float32Array ? value : Float32Array.from(value as ArrayLike<number>);
    const known = sampleShape && sampleShape.every((d) => d !== null) ? (sampleShape as number[]) : undefined;
    const size = known ? product(known) : 0;
    const shape = known && size > 0 && data.length % size === 0 ? [data.length / size, ...known] : [data.length];
    t = tf.tensor(data, shape, "float32");
  } else if (Array.isArray(value)) {
    // A list of tensors is how a model with several inputs/outputs takes its data, not one array.
    if (value.length === 1 && value[0] instanceof tf.Tensor) return toTensor(value[0], what, owned, sampleShape);
    if (value.some((v) => v instanceof tf.Tensor)) {
      throw new Error(
        `${what} is a list of ${value.length} tensors, but this model takes one array there; pass one tensor (a list of arrays is for a functional Model with several inputs or outputs).`,
      );
    }
    try {
      t = tf.tensor(value as number[], undefined, "float32");
    } catch (e) {
      throw new Error(
        `${what}: could not turn the nested array into a tensor (${(e as Error).message}); every row must have the same length`,
      );
    }
  } else if (value && typeof value === "object" && "data" in value && "shape" in value) {
    const data = value.data instanceof Float32Array ? value.data : Float32Array.from(value.data as ArrayLike<number>);
    if (data.length !== product(value.shape)) {
      throw new Error(
        `${what}: shape ${formatShape(value.shape)} needs ${product(value.shape)} values but data has ${data.length}`,
      );
    }
    t = tf.tensor(data, value.shape, "float32");
  } else {
    throw new Error(`${what} must be a tf.Tensor, a typed array or a nested array of numbers, got ${typeof value}`);
  }
  owned.push(t);
  return t;
}

const checkedFinite = new WeakSet<tf.Tensor>();

/** Throws if `t` holds NaN or ±Infinity, saying where. Each tensor is scanned at most once (tensors are immutable). */
export function assertFinite(t: tf.Tensor, what: string): void {
  if (checkedFinite.has(t) || t.dtype !== "float32") return;
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(t))).dataSync()[0]);
  if (bad) {
    const [row, kind] = tf.tidy(() => {
      const perRow = tf.reshape(tf.logicalNot(tf.isFinite(t)), [t.shape[0] ?? 1, -1]);
      const first = tf.argMax(tf.cast(tf.any(perRow, 1), "int32")).dataSync()[0];
      const hasNaN = tf.any(tf.isNaN(t)).dataSync()[0];
      return [first, hasNaN ? "NaN" : "Infinity"];
    });
    throw new Error(
      `${what} contains ${kind} (first at sample ${row}). Clean the data first, e.g. replace missing values, and check divisions such as x / x.max() on all-zero inputs.`,
    );
  }
  checkedFinite.add(t);
}

export function assertNotEmpty(t: tf.Tensor, what: string, fn: string): void {
  if (t.rank === 0 || t.shape[0] === 0) {
    throw new Error(`${fn}: ${what} is empty (shape ${formatShape(t.shape)}); pass at least one sample`);
  }
}

export function assertSameLength(x: tf.Tensor, y: tf.Tensor, fn: string, names = ["x", "y"]): void {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(
      `${fn}: ${names[0]} has ${x.shape[0]} samples but ${names[1]} has ${y.shape[0]}; they must have the same length (first dimension). Data cardinality is ambiguous.`,
    );
  }
}

/** Checks x's sample shape against the model's input shape (None matches any size). */
export function assertInputShape(x: tf.Tensor, expected: readonly (number | null)[], fn: string): void {
  const sample = x.shape.slice(1);
  const ok = sample.length === expected.length && expected.every((d, i) => d === null || d === sample[i]);
  if (ok) return;
  const want = formatShape([null, ...expected]);
  const known = expected.every((d) => d !== null) ? (expected as number[]) : undefined;
  const fix =
    known && product(sample) === product(known)
      ? `did you reshape? x.reshape([-1, ${known.join(", ")}])`
      : `each sample has shape ${formatShape(sample)}; change the first layer's inputShape to [${sample.join(", ")}] or resize the data`;
  throw new Error(`${fn}: expected shape ${want} but got ${formatShape(x.shape)}; ${fix}`);
}

/**
 * Labels in the form the loss needs: one-hot float32 for categorical, int32 class ids (shape [N]) for
 * sparse categorical, float32 with the output's shape otherwise. Explains the common mix-ups.
 */
export function prepareLabels(
  y: tf.Tensor,
  lossKind: LossKind,
  lossName: string,
  outputShape: readonly (number | null)[],
  fn: string,
  owned: tf.Tensor[],
): tf.Tensor {
  const outSample = outputShape.slice(1) as number[];
  const classes = outSample[outSample.length - 1];
  const n = y.shape[0];
  const looksSparse = y.rank === 1 || (y.rank === outputShape.length && y.shape[y.rank - 1] === 1);
  if (lossKind === "categorical" && classes > 1 && looksSparse) {
    throw new Error(
      `${fn}: loss '${lossName}' needs one-hot labels of shape ${formatShape([n, ...outSample])}, but y has shape ${formatShape(y.shape)} (integer class labels). ` +
        `One-hot encode them with y = utils.toCategorical(y, ${classes}), or compile with loss: 'sparse_categorical_crossentropy'.`,
    );
  }
  if (lossKind === "sparse_categorical") {
    if (!looksSparse) {
      const hint =
        y.shape[y.rank - 1] === classes
          ? `y looks one-hot; use loss 'categorical_crossentropy', or pass class ids (utils.argmax(y, -1))`
          : `pass one integer class id per sample`;
      throw new Error(
        `${fn}: loss '${lossName}' needs integer class labels of shape ${formatShape([n])}, but y has shape ${formatShape(y.shape)}; ${hint}.`,
      );
    }
    const ids = tf.tidy(() => tf.cast(tf.reshape(y, [n]), "int32"));
    owned.push(ids);
    const [lo, hi] = tf.tidy(() => [tf.min(ids).dataSync()[0], tf.max(ids).dataSync()[0]]);
    if (lo < 0 || hi >= classes) {
      throw new Error(
        `${fn}: class labels must be in [0, ${classes - 1}] for a model with ${classes} outputs, but y ranges over [${lo}, ${hi}].`,
      );
    }
    return ids;
  }
  let labels = y;
  const same = y.rank === outputShape.length && outSample.every((d, i) => d === null || d === y.shape[i + 1]);
  if (!same) {
    if (outSample.every((d) => d !== null) && y.size === n * product(outSample)) {
      labels = tf.reshape(y, [n, ...outSample]);
      owned.push(labels);
    } else {
      throw new Error(
        `${fn}: y has shape ${formatShape(y.shape)} but the model outputs ${formatShape(outputShape)}; the labels must match the last layer's output (check its units, or the loss).`,
      );
    }
  }
  if (labels.dtype !== "float32") {
    labels = tf.cast(labels, "float32");
    owned.push(labels);
  }
  return labels;
}
