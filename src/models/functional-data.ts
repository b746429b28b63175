/**
 * Data of a functional model with several inputs or outputs. Keras takes x as a list (in `inputs` order) or a
 * dict (by input name), y likewise by output. The training loops slice, shuffle and split ONE tensor per side,
 * so several arrays are packed side by side into one float32 tensor [n, Σ sample sizes] and unpacked inside
 * the step (a reshape of slices: exact for float32 data, and for integer labels below 2^24).
 */
import { tf } from "../tf";
import { unknownIdentifierError } from "../utils/suggest";
import { type DataLike, assertFinite, assertInputShape, assertNotEmpty, formatShape, toTensor } from "./data";

/** How to cut one entry back out of a packed tensor. */
export interface PackedPart {
  name: string;
  /** Sample shape (no batch axis), all dims known. */
  shape: number[];
  dtype: tf.DataType;
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

const isDataLike = (v: unknown): boolean =>
  v instanceof tf.Tensor ||
  ArrayBuffer.isView(v) ||
  Array.isArray(v) ||
  (typeof v === "object" && v !== null && "data" in v && "shape" in v);

const isPlainDict = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" &&
  v !== null &&
  !Array.isArray(v) &&
  !ArrayBuffer.isView(v) &&
  !(v instanceof tf.Tensor) &&
  !("data" in v && "shape" in v);

/**
 * x or y as one entry per name: a list in order, a dict by name, or (one name) the data itself.
 * `kind` is "input" or "output", for messages.
 */
export function entries(value: unknown, names: readonly string[], what: string, kind: string): DataLike[] {
  if (isPlainDict(value)) {
    for (const key of Object.keys(value)) {
      if (!names.includes(key)) {
        throw unknownIdentifierError(
          `${kind} name in ${what}`,
          key,
          names,
          `The model's ${kind}s are ${names.map((n) => `'${n}'`).join(", ")}.`,
        );
      }
    }
    return names.map((n) => {
      if (!(n in value)) {
        // Keras 3's words (`Missing data for input "b". You passed a data dictionary with keys ['a']. …`).
        throw new Error(
          `${what}: Missing data for ${kind} "${n}". You passed a data dictionary with keys [${Object.keys(value)
            .map((k) => `'${k}'`)
            .join(", ")}]. Expected the following keys: [${names.map((k) => `'${k}'`).join(", ")}]`,
        );
      }
      return value[n] as DataLike;
    });
  }
  // A list of tensors or typed arrays is one entry per input/output (a nested number array is one array).
  const arrays =
    Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof tf.Tensor || ArrayBuffer.isView(v));
  const quoted = names.map((n) => `'${n}'`).join(", ");
  if (names.length === 1) {
    if (arrays && value.length > 1) {
      throw new Error(
        `${what}: the model has 1 ${kind} (${quoted}) but received a list of ${value.length} arrays; pass one array (a list is for a model with several ${kind}s).`,
      );
    }
    return [(arrays ? value[0] : value) as DataLike];
  }
  const list = Array.isArray(value) && value.length === names.length && value.every(isDataLike) ? value : undefined;
  if (!list) {
    const received = arrays ? `a list of ${value.length} arrays` : isDataLike(value) ? "one array" : typeof value;
    throw new Error(
      `${what}: the model has ${names.length} ${kind}s (${quoted}) but received ${received}; pass a list of ${names.length} arrays in that order, or a dict keyed by those names.`,
    );
  }
  return list as DataLike[];
}

/** Converts and checks one entry per part (shapes against the model), then packs them. */
export function packInputs(
  value: unknown,
  parts: readonly { name: string; shape: (number | null)[] }[],
  what: string,
  fn: string,
  owned: tf.Tensor[],
): tf.Tensor {
  const data = entries(
    value,
    parts.map((p) => p.name),
    what,
    "input",
  );
  const tensors = data.map((d, i) => {
    const label = parts.length === 1 ? what : `${what}['${parts[i].name}']`;
    const t = toTensor(d, label, owned, parts[i].shape);
    assertNotEmpty(t, label, fn);
    assertInputShape(t, parts[i].shape, fn);
    assertFinite(t, `${fn}: ${label}`);
    return t;
  });
  return pack(
    tensors,
    parts.map((p) => p.name),
    what,
    owned,
  );
}

/** One tensor for several: [n, Σ sizes] float32 (a single tensor is returned as it is). */
export function pack(tensors: tf.Tensor[], names: readonly string[], what: string, owned: tf.Tensor[]): tf.Tensor {
  if (tensors.length === 1) return tensors[0];
  const n = tensors[0].shape[0];
  tensors.forEach((t, i) => {
    if (t.shape[0] !== n) {
      throw new Error(
        `${what}: all arrays must have the same number of samples, but '${names[0]}' has ${n} and '${names[i]}' has ${t.shape[0]} (shape ${formatShape(t.shape)}).`,
      );
    }
  });
  const packed = tf.tidy(() =>
    tf.concat(
      tensors.map((t) => tf.cast(t, "float32").reshape([n, -1])),
      1,
    ),
  );
  owned.push(packed);
  return packed;
}

/** The parts of a packed batch, reshaped and cast back (inside a tidy). */
export function unpack(packed: tf.Tensor, parts: readonly PackedPart[]): tf.Tensor[] {
  if (parts.length === 1) return [packed];
  const n = packed.shape[0];
  const pieces = tf.split(
    packed,
    parts.map((p) => size(p.shape)),
    1,
  );
  return pieces.map((t, i) => {
    const r = t.reshape([n, ...parts[i].shape]);
    return parts[i].dtype === "float32" ? r : tf.cast(r, parts[i].dtype);
  });
}

/** Checks that several inputs or outputs have fully known sample shapes (packing needs them). */
export function knownShape(shape: (number | null)[], name: string, kind: string): number[] {
  if (shape.some((d) => d === null)) {
    throw new Error(
      `The ${kind} '${name}' has a sample shape ${formatShape(shape)} with an unknown dimension; a model with several ${kind}s needs fixed shapes (give Input a full shape such as [20]).`,
    );
  }
  return shape as number[];
}
