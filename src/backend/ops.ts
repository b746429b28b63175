/**
 * Runs any TensorFlow op by name on tfjs-node's backend and returns tfjs tensors (tracked by tfjs'
 * engine, so `tf.tidy` disposes them). tfjs-node executes every kernel this way; ops that tfjs does not
 * wrap (stateless random ops, the engine's fused dropout) are reached through the same call, so the
 * compiled path's tracer (src/engine/trace/) records them like any other op.
 */
import { tf } from "../tf";

export type AttrType = "int" | "float" | "bool" | "type" | "string" | "shape";

/** An op attribute as the call takes it; lists are arrays of the element type. */
export interface OpAttr {
  name: string;
  type: AttrType;
  value: unknown;
}

interface NodeBinding {
  TF_ATTR_INT: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_STRING: number;
  TF_ATTR_SHAPE: number;
  TF_FLOAT: number;
  TF_INT32: number;
  TF_BOOL: number;
}

interface NodeBackend {
  binding: NodeBinding;
  executeMultipleOutputs(name: string, attrs: unknown[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

function nodeBackend(): NodeBackend {
  const b = tf.backend() as unknown as Partial<NodeBackend>;
  if (!b.binding || typeof b.executeMultipleOutputs !== "function") {
    throw new Error(`this needs tfjs-node's native TensorFlow backend; the active backend is '${tf.getBackend()}'`);
  }
  return b as NodeBackend;
}

/** TensorFlow's TF_DataType code of a tfjs dtype. */
export function tfDType(dtype: tf.DataType): number {
  const b = nodeBackend().binding;
  if (dtype === "float32") return b.TF_FLOAT;
  if (dtype === "int32") return b.TF_INT32;
  if (dtype === "bool") return b.TF_BOOL;
  throw new Error(`unsupported dtype ${dtype}`);
}

/** Runs op `name` with `inputs`; returns its first `numOutputs` outputs. */
export function runOp(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs = 1): tf.Tensor[] {
  const backend = nodeBackend();
  const b = backend.binding;
  const code: Record<AttrType, number> = {
    int: b.TF_ATTR_INT,
    float: b.TF_ATTR_FLOAT,
    bool: b.TF_ATTR_BOOL,
    type: b.TF_ATTR_TYPE,
    string: b.TF_ATTR_STRING,
    shape: b.TF_ATTR_SHAPE,
  };
  const native = attrs.map((a) => ({ name: a.name, type: code[a.type], value: a.value }));
  return backend.executeMultipleOutputs(name, native, inputs, numOutputs);
}
