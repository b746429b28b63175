/**
 * Keras' `Input(shape=…)`: a symbolic tensor (Keras' KerasTensor; here tfjs' SymbolicTensor) that layers are
 * called on to build a functional model, and that a Sequential model also accepts as its first entry.
 *
 *   const x = Input({ shape: [784], name: "pixels" });     // or Input([784])
 *   const y = layers.Dense(10, { activation: "softmax" })(x);
 *   const model = new Model({ inputs: x, outputs: y });
 */
import { inspect } from "node:util";
import { tf } from "../tf";
import { autoName } from "../utils/naming";
import { unknownIdentifierError } from "../utils/suggest";
import { positiveInt } from "./common";

export interface InputOptions {
  /** Shape of one sample, e.g. [784] or [32, 32, 3]; `null` for a dimension of any size (e.g. [null] for sequences). */
  shape?: (number | null)[] | number;
  /** Keras' `batch_shape`: the shape with the batch axis, e.g. [null, 784]. Instead of `shape`. */
  batchShape?: (number | null)[];
  batchSize?: number;
  /** "float32" (default), "int32"; Keras' "int64"/"uint8"/… are held as int32, "float64"/"float16" as float32. */
  dtype?: string;
  name?: string;
}

export type SymbolicTensor = tf.SymbolicTensor;

const DTYPES: Record<string, tf.DataType> = {
  float32: "float32",
  float16: "float32",
  float64: "float32",
  bfloat16: "float32",
  int32: "int32",
  int64: "int32",
  int16: "int32",
  int8: "int32",
  uint8: "int32",
  uint16: "int32",
  uint32: "int32",
  bool: "bool",
  string: "string",
};

function dimsOf(value: unknown, what: string): (number | null)[] {
  const shape = typeof value === "number" ? [value] : value;
  if (!Array.isArray(shape) || shape.some((d) => d !== null && (!Number.isInteger(d) || (d as number) <= 0))) {
    throw new Error(
      `${what} must be a list of positive integers (or null for any size) such as [784] or [28, 28, 1], got ${JSON.stringify(value)}`,
    );
  }
  return [...(shape as (number | null)[])];
}

const INPUT_KEYS = ["shape", "batchShape", "batchSize", "dtype", "name"];

/** Keras' `Input(shape, batch_size=None, dtype=None, batch_shape=None, name=None)`. */
export function Input(
  shape: (number | null)[] | number | InputOptions,
  options: Omit<InputOptions, "shape"> = {},
): SymbolicTensor {
  const o: InputOptions =
    typeof shape === "number" || Array.isArray(shape) ? { ...options, shape } : { ...(shape ?? {}) };
  for (const key of Object.keys(o)) {
    if (!INPUT_KEYS.includes(key)) throw unknownIdentifierError("Input option", key, INPUT_KEYS);
  }
  if (o.shape === undefined && o.batchShape === undefined) {
    throw new Error("Input: you must pass a `shape` argument, e.g. Input({ shape: [784] }).");
  }
  if (o.shape !== undefined && o.batchShape !== undefined) {
    throw new Error("Input: you cannot pass both `shape` and `batchShape` at the same time.");
  }
  const batchShape =
    o.batchShape !== undefined
      ? dimsOf(o.batchShape.slice(1), "Input: batchShape") && [o.batchShape[0] ?? null, ...o.batchShape.slice(1)]
      : [
          o.batchSize === undefined ? null : positiveInt(o.batchSize, "Input: batchSize"),
          ...dimsOf(o.shape, "Input: shape"),
        ];
  const dtypeName = (o.dtype ?? "float32").toLowerCase();
  const dtype = DTYPES[dtypeName];
  if (!dtype) throw unknownIdentifierError("dtype", o.dtype, Object.keys(DTYPES));
  return tf.input({ batchShape, dtype, name: o.name ?? autoName("input_layer") });
}

// A symbolic tensor prints as Keras' KerasTensor does (not as tfjs' object graph) in a notebook cell.
Object.defineProperty(tf.SymbolicTensor.prototype, inspect.custom, {
  configurable: true,
  value(this: tf.SymbolicTensor) {
    const dims = this.shape.map((d) => (d === null ? "None" : String(d)));
    const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(", ")})`;
    return `<KerasTensor shape=${shape}, dtype=${this.dtype}, sparse=False, ragged=False, name=${this.name}>`;
  },
});

export const isSymbolic = (x: unknown): x is SymbolicTensor => x instanceof tf.SymbolicTensor;
