/**
 * A small typed builder over the addon's op-by-op graph API: named ops, constants, placeholders and
 * resource variables (VarHandleOp + an initialiser fed from the host), and the session that runs them.
 */
import {
  type Attr,
  type EngineAddon,
  type Feed,
  DT,
  type OpId,
  type Out,
  sessionConfig,
  type ThreadSettings,
} from "./native";

export interface GraphVariable {
  name: string;
  shape: number[];
  dtype: number;
  handle: Out;
  /** Placeholder + AssignVariableOp used to load a value from the host. */
  initValue: Out;
  init: OpId;
  /** A ReadVariableOp for fetching the value (not used by the step). */
  read: Out;
}

export class GraphBuilder {
  readonly graph: object;
  readonly variables: GraphVariable[] = [];
  private names = new Map<string, number>();

  constructor(readonly addon: EngineAddon) {
    this.graph = addon.newGraph();
  }

  private unique(base: string): string {
    const n = this.names.get(base) ?? 0;
    this.names.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  /** Adds an op; returns its id. */
  opId(
    type: string,
    inputs: (Out | Out[])[],
    attrs: Attr[] = [],
    opts: { name?: string; control?: OpId[] } = {},
  ): OpId {
    const name = this.unique(opts.name ?? type);
    return this.addon.addOp(this.graph, type, name, inputs, attrs, opts.control ?? []);
  }

  /** Adds an op; returns its first output. */
  op(type: string, inputs: (Out | Out[])[], attrs: Attr[] = [], opts: { name?: string; control?: OpId[] } = {}): Out {
    return [this.opId(type, inputs, attrs, opts), 0];
  }

  /** The outputs 0..n-1 of an op. */
  outs(
    type: string,
    inputs: (Out | Out[])[],
    n: number,
    attrs: Attr[] = [],
    opts: { name?: string; control?: OpId[] } = {},
  ): Out[] {
    const id = this.opId(type, inputs, attrs, opts);
    return Array.from({ length: n }, (_, i) => [id, i] as const);
  }

  scalar(value: number, dtype: number = DT.float32): Out {
    const data = dtype === DT.int32 ? Int32Array.of(value) : Float32Array.of(value);
    return this.op(
      "Const",
      [],
      [
        ["value", "tensor", [dtype, [], data]],
        ["dtype", "type", dtype],
      ],
      { name: "c" },
    );
  }

  constInts(values: number[]): Out {
    const data = Int32Array.from(values);
    return this.op(
      "Const",
      [],
      [
        ["value", "tensor", [DT.int32, [values.length], data]],
        ["dtype", "type", DT.int32],
      ],
      { name: "ci" },
    );
  }

  placeholder(name: string, dtype: number, shape: number[]): Out {
    return this.op(
      "Placeholder",
      [],
      [
        ["dtype", "type", dtype],
        ["shape", "shape", shape],
      ],
      { name },
    );
  }

  /** A resource variable with a host-fed initialiser. */
  variable(name: string, shape: number[], dtype: number = DT.float32): GraphVariable {
    const vname = this.unique(name);
    const handle = this.op(
      "VarHandleOp",
      [],
      [
        ["dtype", "type", dtype],
        ["shape", "shape", shape],
        ["shared_name", "string", vname],
      ],
      { name: vname },
    );
    const initValue = this.placeholder(`${vname}/init_value`, dtype, shape);
    const init = this.opId("AssignVariableOp", [handle, initValue], [["dtype", "type", dtype]], {
      name: `${vname}/assign`,
    });
    const read = this.read(handle, dtype, `${vname}/read_value`);
    const v: GraphVariable = { name: vname, shape, dtype, handle, initValue, init, read };
    this.variables.push(v);
    return v;
  }

  read(handle: Out, dtype: number = DT.float32, name = "read"): Out {
    return this.op("ReadVariableOp", [handle], [["dtype", "type", dtype]], { name });
  }

  assign(handle: Out, value: Out, control: OpId[] = []): OpId {
    return this.opId("AssignVariableOp", [handle, value], [["dtype", "type", DT.float32]], { name: "assign", control });
  }

  /** Elementwise binary op on float32 tensors. */
  bin(type: "AddV2" | "Sub" | "Mul" | "RealDiv" | "Maximum" | "Pow" | "GreaterEqual" | "Equal", a: Out, b: Out): Out {
    return this.op(type, [a, b], [["T", "type", DT.float32]]);
  }

  un(type: string, a: Out, dtype: number = DT.float32): Out {
    return this.op(type, [a], [["T", "type", dtype]]);
  }
}

/** A session over a builder's graph, with helpers to move variables to and from the host. */
export class GraphSession {
  private readonly session: object;

  constructor(
    private readonly g: GraphBuilder,
    threads: ThreadSettings,
  ) {
    this.session = g.addon.newSession(g.graph, sessionConfig(threads));
  }

  /** Set to true to record TensorFlow's step stats of the next runs in `traces` (profiling). */
  tracing = false;
  readonly traces: Uint8Array[] = [];

  run(feeds: Feed[], fetches: Out[], targets: OpId[] = []): (Float32Array | Int32Array | Uint8Array)[] {
    if (!this.tracing) return this.g.addon.run(this.session, feeds, fetches, targets);
    const out = this.g.addon.run(this.session, feeds, fetches, targets, true);
    this.traces.push(out.pop() as Uint8Array);
    return out;
  }

  /** Loads host values into variables (one run for all). */
  setVariables(values: Map<GraphVariable, Float32Array | Int32Array>): void {
    const feeds: Feed[] = [];
    const targets: OpId[] = [];
    for (const [v, data] of values) {
      feeds.push([v.initValue[0], v.initValue[1], v.dtype, v.shape, data]);
      targets.push(v.init);
    }
    if (targets.length > 0) this.run(feeds, [], targets);
  }

  getVariables(vars: GraphVariable[]): Float32Array[] {
    if (vars.length === 0) return [];
    return this.run(
      [],
      vars.map((v) => v.read),
    ) as Float32Array[];
  }
}
