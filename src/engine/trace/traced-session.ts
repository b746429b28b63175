/**
 * A TensorFlow session that replays recorded eager calls (recorder.ts) as graph functions. One graph
 * and one session per trainer: every tfjs variable a function touches becomes one resource variable
 * of the graph, shared by all the functions traced into it (a training step per batch size, the
 * inference pass), so switching functions moves no weights.
 *
 * Who holds the truth: after `pushState` the graph does (the tfjs variables are stale until
 * `pullState`); an eager call (a new trace) needs `pullState` first and a `pushState` after.
 */
import { tf } from "../../tf";
import { GraphBuilder, GraphSession, type GraphVariable } from "../graph";
import {
  DT,
  type Attr,
  type AttrKind,
  type EngineAddon,
  type Feed,
  type OpId,
  type Out,
  type ThreadSettings,
} from "../native";
import { inputArgs } from "./opdef";
import { type NativeAttr, type Recording, type Ref, record } from "./recorder";

/** A placeholder of a traced function: dtype and exact shape (the trace is shape-specific). */
export interface InputSpec {
  dtype: tf.DataType;
  shape: number[];
}

export interface TracedFunction {
  readonly inputs: InputSpec[];
  /** Host inputs declared during the trace (e.g. the optimizer's per-step scalars), fed after `inputs`. */
  readonly hostKeys: string[];
  readonly placeholders: Out[];
  readonly hostPlaceholders: Out[];
  readonly fetches: Out[];
  /** Runs the state updates (a NoOp after every assign), or undefined for a pure function. */
  readonly target?: OpId;
}

const DTYPE: Record<string, number> = { float32: DT.float32, int32: DT.int32, bool: DT.bool };

function dtypeCode(d: tf.DataType): number {
  const c = DTYPE[d];
  if (c === undefined) throw new Error(`engine: dtype ${d} is not supported by the compiled path`);
  return c;
}

interface BindingCodes {
  TF_ATTR_STRING: number;
  TF_ATTR_INT: number;
  TF_ATTR_FLOAT: number;
  TF_ATTR_BOOL: number;
  TF_ATTR_TYPE: number;
  TF_ATTR_SHAPE: number;
}

function attrKinds(): Map<number, [AttrKind, AttrKind | undefined]> {
  const b = (tf.backend() as unknown as { binding: BindingCodes }).binding;
  return new Map<number, [AttrKind, AttrKind | undefined]>([
    [b.TF_ATTR_STRING, ["string", undefined]],
    [b.TF_ATTR_INT, ["int", "ints"]],
    [b.TF_ATTR_FLOAT, ["float", "floats"]],
    [b.TF_ATTR_BOOL, ["bool", "bools"]],
    [b.TF_ATTR_TYPE, ["type", "types"]],
    [b.TF_ATTR_SHAPE, ["shape", undefined]],
  ]);
}

export class TracedSession {
  readonly g: GraphBuilder;
  private session?: GraphSession;
  private readonly vars = new Map<tf.Variable, GraphVariable>();
  private readonly kinds = attrKinds();
  /** True when the graph's variables hold newer values than the tfjs variables. */
  private graphIsTruth = false;

  constructor(
    addon: EngineAddon,
    private readonly threads: ThreadSettings,
  ) {
    this.g = new GraphBuilder(addon);
  }

  private get sess(): GraphSession {
    this.session ??= new GraphSession(this.g, this.threads);
    return this.session;
  }

  /**
   * Runs `fn` eagerly on `inputs` while recording it, and adds it to the graph. Returns the eager
   * results and the function, or a reason why the recording cannot stand for the call.
   */
  trace(inputs: tf.Tensor[], fn: () => tf.Tensor[]): { outputs: tf.Tensor[]; fn?: TracedFunction; reason?: string } {
    this.pullState();
    const all = Object.values(tf.engine().registeredVariables) as tf.Variable[];
    const before = new Map(all.map((v) => [v, v.dataId]));
    const { result, recording } = record(inputs, all, fn);
    const after = Object.values(tf.engine().registeredVariables) as tf.Variable[];
    if (after.some((v) => !before.has(v))) return { outputs: result, reason: "the step created new variables" };
    if (recording.problem) return { outputs: result, reason: recording.problem };
    const changed = all.filter((v) => !v.isDisposed && v.dataId !== before.get(v));
    try {
      const traced = this.build(recording, inputs, all, changed, result);
      return { outputs: result, fn: traced };
    } catch (e) {
      return { outputs: result, reason: `the graph could not be built: ${(e as Error).message}` };
    }
  }

  private variableFor(v: tf.Variable): GraphVariable {
    let gv = this.vars.get(v);
    if (!gv) {
      gv = this.g.variable(`state/${v.name.replace(/[^A-Za-z0-9_.\-/]/g, "_")}`, v.shape.slice(), dtypeCode(v.dtype));
      this.vars.set(v, gv);
      this.graphIsTruth = false; // the new variable must be loaded before the next run
    }
    return gv;
  }

  private build(
    rec: Recording,
    inputs: tf.Tensor[],
    state: tf.Variable[],
    changed: tf.Variable[],
    outputs: tf.Tensor[],
  ): TracedFunction {
    const g = this.g;
    const specs: InputSpec[] = inputs.map((t) => ({ dtype: t.dtype, shape: t.shape.slice() }));
    const placeholders = specs.map((s, i) => g.placeholder(`input_${i}`, dtypeCode(s.dtype), s.shape));
    const hostPlaceholders = rec.hostKeys.map((k) => g.placeholder(`host/${k}`, DT.float32, []));
    const allInputs = [...placeholders, ...hostPlaceholders];
    const reads = new Map<number, Out>();
    const readOps: OpId[] = [];
    const consts = new Map<number, Out>();
    const nodes: Out[][] = [];
    const out = (ref: Ref): Out => {
      switch (ref.kind) {
        case "input":
          return allInputs[ref.index];
        case "node":
          return nodes[ref.node][ref.output];
        case "const": {
          let c = consts.get(ref.index);
          if (!c) {
            const k = rec.consts[ref.index];
            const code = dtypeCode(k.dtype);
            c = g.op(
              "Const",
              [],
              [
                ["value", "tensor", [code, k.shape, k.values]],
                ["dtype", "type", code],
              ],
              { name: "const" },
            );
            consts.set(ref.index, c);
          }
          return c;
        }
        case "state": {
          let r = reads.get(ref.index);
          if (!r) {
            const v = state[ref.index];
            const gv = this.variableFor(v);
            r = g.read(gv.handle, gv.dtype, "state_read");
            reads.set(ref.index, r);
            readOps.push(r[0]);
          }
          return r;
        }
      }
    };
    for (const op of rec.ops) {
      const flat = op.inputs.map(out);
      const attrs = op.attrs.map((a) => this.attr(a));
      const grouped = this.groupInputs(op.op, op.attrs, flat);
      const id = g.opId(op.op, grouped, attrs, { name: op.op });
      nodes.push(op.outputDtypes.map((_, i) => [id, i] as const));
    }
    const fetches = outputs.map((t) => out(rec.refOf(t)));
    // State updates run after every read of the old values (a resource read is a snapshot only once it ran).
    const assigns = changed.map((v) => {
      const value = out(rec.refOf(v));
      const gv = this.variableFor(v);
      return g.opId("AssignVariableOp", [gv.handle, value], [["dtype", "type", gv.dtype]], {
        name: "state_assign",
        control: readOps,
      });
    });
    const target = assigns.length > 0 ? g.opId("NoOp", [], [], { name: "step", control: assigns }) : undefined;
    return { inputs: specs, hostKeys: rec.hostKeys.slice(), placeholders, hostPlaceholders, fetches, target };
  }

  private attr(a: NativeAttr): Attr {
    const kind = this.kinds.get(a.type);
    if (!kind) throw new Error(`attr ${a.name} of type ${a.type}`);
    if (Array.isArray(a.value) && kind[0] !== "shape") {
      if (!kind[1]) throw new Error(`list attr ${a.name}`);
      return [a.name, kind[1], a.value];
    }
    return [a.name, kind[0], a.value];
  }

  /** tfjs-node passes inputs flat; the graph wants each list argument as one list (from the OpDef). */
  private groupInputs(op: string, attrs: NativeAttr[], flat: Out[]): (Out | Out[])[] {
    const args = inputArgs(this.g.addon, op);
    if (args.every((a) => !a.numberAttr && !a.typeListAttr)) return flat;
    const attr = (name: string) => attrs.find((a) => a.name === name)?.value;
    const grouped: (Out | Out[])[] = [];
    let i = 0;
    for (const arg of args) {
      if (arg.numberAttr) {
        const n = Number(attr(arg.numberAttr));
        grouped.push(flat.slice(i, i + n));
        i += n;
      } else if (arg.typeListAttr) {
        const n = (attr(arg.typeListAttr) as unknown[] | undefined)?.length ?? 0;
        grouped.push(flat.slice(i, i + n));
        i += n;
      } else {
        grouped.push(flat[i++]);
      }
    }
    return grouped;
  }

  /** Copies every tfjs variable the graph uses into it (the graph then holds the truth). */
  pushState(): void {
    if (this.graphIsTruth) return;
    const values = new Map<GraphVariable, Float32Array | Int32Array>();
    for (const [v, gv] of this.vars) {
      const data = v.dataSync();
      values.set(
        gv,
        data instanceof Float32Array || data instanceof Int32Array ? data : Int32Array.from(data as Uint8Array),
      );
    }
    this.sess.setVariables(values);
    this.graphIsTruth = true;
  }

  /** Copies the graph's variables back into the tfjs variables (before eager code reads or changes them). */
  pullState(): void {
    if (!this.graphIsTruth) return;
    const entries = [...this.vars];
    const values = this.sess.getVariables(entries.map(([, gv]) => gv));
    entries.forEach(([v, gv], i) => {
      if (v.isDisposed) return;
      const t = tf.tensor(values[i], gv.shape, v.dtype);
      v.assign(t);
      t.dispose();
    });
    this.graphIsTruth = false;
  }

  /**
   * The tfjs variables were changed on the host after `pullState` (or before any run): the graph takes
   * them before its next run. (Only valid while the host holds the truth: call after `pullState`.)
   */
  hostChanged(): void {
    if (this.graphIsTruth) this.pullState();
    this.graphIsTruth = false;
  }

  /** Runs a traced function: `inputs` per placeholder (whole arrays or gathered rows), host values by key. */
  run(fn: TracedFunction, feeds: Feed[], host: number[]): (Float32Array | Int32Array | Uint8Array)[] {
    this.pushState();
    const all: Feed[] = [...feeds];
    fn.hostKeys.forEach((_, i) => {
      const p = fn.hostPlaceholders[i];
      all.push([p[0], p[1], DT.float32, [], Float32Array.of(host[i])]);
    });
    return this.sess.run(all, fn.fetches, fn.target === undefined ? [] : [fn.target]);
  }
}
