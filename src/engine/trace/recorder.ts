/**
 * Records the TensorFlow ops one eager call executes on tfjs-node's backend — the way Keras' TensorFlow
 * backend traces `train_step` with `tf.function`, but from a real eager run: every kernel tfjs-node
 * runs goes through `executeSingleOutput` / `executeMultipleOutputs(name, attrs, inputs)`, so wrapping
 * those two calls for the duration of the call yields the whole computation (forward pass, tfjs'
 * gradients, the optimizer's update) as a list of ops over tensor data ids.
 *
 * An input of a recorded op is, by its data id: the output of an earlier recorded op; a declared input
 * (a batch placeholder); a variable's value at the start (state); or else a constant (its values are
 * read and frozen into the graph). Anything that would make the frozen graph differ from what the eager
 * code computes on the next call is detected and reported (`problem`): reading a traced value back to
 * JavaScript mid-call (data-dependent JS), an op input type the graph cannot take.
 */
import { tf } from "../../tf";

/** Where a recorded op's input comes from. */
export type Ref =
  | { kind: "node"; node: number; output: number }
  | { kind: "input"; index: number }
  | { kind: "state"; index: number }
  | { kind: "const"; index: number };

export interface NativeAttr {
  name: string;
  type: number;
  value: unknown;
}

export interface RecordedOp {
  op: string;
  attrs: NativeAttr[];
  inputs: Ref[];
  /** dtype codes (TF_DataType) of the outputs, as tfjs-node reported them. */
  outputDtypes: number[];
}

export interface RecordedConst {
  dtype: tf.DataType;
  shape: number[];
  values: Float32Array | Int32Array | Uint8Array;
}

export interface Recording {
  ops: RecordedOp[];
  consts: RecordedConst[];
  /** Ref of each value the caller asked about after the call (outputs, final state values). */
  refOf(t: tf.Tensor): Ref;
  /** Why the recording cannot stand for the call, or undefined. */
  problem?: string;
  /** Keys of the host inputs declared during the call (`hostInput`); their input index follows the inputs'. */
  hostKeys: string[];
}

/**
 * Inside a recorded call: makes `t` (a value the JS code computed on the host, e.g. a bias correction
 * from the step number) a placeholder fed on every run instead of a frozen constant. No-op outside.
 */
export function hostInput(t: tf.Tensor, key: string): void {
  active?.hostInput(t, key);
}

type DataId = object;
interface BackendLike {
  executeSingleOutput(name: string, attrs: NativeAttr[], inputs: tf.Tensor[]): tf.Tensor;
  executeMultipleOutputs(name: string, attrs: NativeAttr[], inputs: tf.Tensor[], n: number): tf.Tensor[];
  readSync(dataId: DataId): unknown;
  tensorMap: { get(dataId: DataId): { id: number; dtype: number } | undefined };
}

let active: Recorder | undefined;
/** > 0 while a kernel known to read its inputs only to validate them runs (tfjs-node's GatherV2). */
let validatingReads = 0;
let gatherWrapped = false;

/** tfjs-node's GatherV2 reads the indices to check bounds; TensorFlow's own kernel checks them too. */
function allowGatherBoundsCheck(): void {
  if (gatherWrapped) return;
  gatherWrapped = true;
  const kernel = tf.getKernel("GatherV2", "tensorflow") as { kernelFunc: (...a: unknown[]) => unknown } | undefined;
  if (!kernel) return;
  const inner = kernel.kernelFunc;
  kernel.kernelFunc = (...args: unknown[]) => {
    validatingReads++;
    try {
      return inner(...args);
    } finally {
      validatingReads--;
    }
  };
}

class Recorder {
  readonly ops: RecordedOp[] = [];
  readonly consts: RecordedConst[] = [];
  problem?: string;
  private readonly refs = new Map<DataId, Ref>();
  private readonly inputCount: number;

  constructor(
    private readonly backend: BackendLike,
    inputs: readonly tf.Tensor[],
    state: readonly tf.Tensor[],
  ) {
    this.inputCount = inputs.length;
    inputs.forEach((t, index) => this.refs.set(t.dataId, { kind: "input", index }));
    state.forEach((t, index) => {
      if (!this.refs.has(t.dataId)) this.refs.set(t.dataId, { kind: "state", index });
    });
  }

  refOf(t: tf.Tensor): Ref {
    const known = this.refs.get(t.dataId);
    if (known) return known;
    // A value created outside the recorded ops: freeze it as a constant.
    const values = this.backend.readSync(t.dataId) as Float32Array | Int32Array | Uint8Array;
    const index = this.consts.length;
    this.consts.push({ dtype: t.dtype, shape: t.shape.slice(), values: values.slice() });
    const ref: Ref = { kind: "const", index };
    this.refs.set(t.dataId, ref);
    return ref;
  }

  record(op: string, attrs: NativeAttr[], inputs: tf.Tensor[], outputs: tf.Tensor[]): void {
    if (inputs.some((t) => !(t && typeof t === "object" && "dataId" in t))) {
      this.problem ??= `op ${op} takes an input the graph cannot represent`;
      return;
    }
    const refs = inputs.map((t) => this.refOf(t));
    const node = this.ops.length;
    const dtypes = outputs.map((o) => this.backend.tensorMap.get(o.dataId)?.dtype ?? -1);
    this.ops.push({ op, attrs: attrs.map((a) => ({ ...a })), inputs: refs, outputDtypes: dtypes });
    outputs.forEach((o, output) => this.refs.set(o.dataId, { kind: "node", node, output }));
  }

  /** Declares a tensor created during the call as a placeholder the caller feeds on every run. */
  hostInput(t: tf.Tensor, key: string): void {
    if (t.dtype !== "float32" || t.rank !== 0) {
      this.problem ??= `host value '${key}' is not a float32 scalar`;
      return;
    }
    this.hostKeys.push(key);
    this.refs.set(t.dataId, { kind: "input", index: this.inputCount + this.hostKeys.length - 1 });
  }

  readonly hostKeys: string[] = [];

  /** A read of a traced value back into JavaScript: the JS code may branch on it, so the graph is not the call. */
  onRead(dataId: DataId): void {
    if (validatingReads > 0) return;
    const ref = this.refs.get(dataId);
    if (ref && ref.kind !== "const") {
      this.problem ??= "the step reads a tensor's value back to JavaScript (dataSync, array, …) while it runs";
    }
  }
}

/**
 * Runs `fn` eagerly (its results are real) while recording the ops it executes. `inputs` become the
 * graph's placeholders, `state` its variables (by the data id each holds when the call starts).
 */
export function record<T>(
  inputs: readonly tf.Tensor[],
  state: readonly tf.Tensor[],
  fn: () => T,
): { result: T; recording: Recording } {
  if (active) throw new Error("engine: nested traces are not supported");
  allowGatherBoundsCheck();
  const backend = tf.backend() as unknown as BackendLike;
  const recorder = new Recorder(backend, inputs, state);
  const single = backend.executeSingleOutput;
  const multiple = backend.executeMultipleOutputs;
  const readSync = backend.readSync;
  backend.executeSingleOutput = function (name, attrs, ins) {
    const out = single.call(backend, name, attrs, ins);
    recorder.record(name, attrs, ins, [out]);
    return out;
  };
  backend.executeMultipleOutputs = function (name, attrs, ins, n) {
    const outs = multiple.call(backend, name, attrs, ins, n);
    recorder.record(name, attrs, ins, outs);
    return outs;
  };
  backend.readSync = function (dataId) {
    recorder.onRead(dataId);
    return readSync.call(backend, dataId);
  };
  active = recorder;
  try {
    const result = fn();
    return {
      result,
      recording: {
        ops: recorder.ops,
        consts: recorder.consts,
        refOf: (t) => recorder.refOf(t),
        hostKeys: recorder.hostKeys,
        get problem() {
          return recorder.problem;
        },
      },
    };
  } finally {
    active = undefined;
    backend.executeSingleOutput = single;
    backend.executeMultipleOutputs = multiple;
    backend.readSync = readSync;
  }
}
