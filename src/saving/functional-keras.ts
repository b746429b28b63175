/**
 * Keras' "Functional" model entry ⇄ tslab-keras' functional `Model`.
 *
 * Writing is `Model.getConfig` with every layer's Keras entry (layer-configs.ts). Reading takes Keras 3's
 * nodes (`{ args: [<__keras_tensor__ … keras_history: [layer, node, tensor]>], kwargs: {} }`) and Keras 2's
 * (`[[layer, node, tensor, kwargs], …]`), creates every layer, then calls each one on its inputs as they
 * become available — a shared layer once per node, in node order — and ends at `input_layers` /
 * `output_layers` (one, a list or a dict, as written). Embedding masks follow the graph as Keras' do.
 */
import type { Layer } from "../layers/extras";
import { Model } from "../models/functional";
import type { tf } from "../tf";
import { type KerasObject, layerFromKeras, layerToKeras } from "./layer-configs";
import { inputFromKeras } from "./model-config";

type Ref = [string, number, number];
/** A node's inputs: one tensor reference, or a list of them (possibly nested). */
type Refs = Ref | Refs[];

export function functionalToKeras(model: Model): Record<string, unknown> {
  return model.getConfig({ layerEntry: (l) => layerToKeras(l) });
}

const isRef = (v: unknown): v is Ref => Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "number";

/** A Keras 3 `__keras_tensor__` (or a list of them) → references. */
function tensorRefs(v: unknown, where: string): Refs {
  if (Array.isArray(v)) return v.map((x) => tensorRefs(x, where));
  const t = v as { class_name?: string; config?: { keras_history?: unknown } };
  const history = t?.config?.keras_history;
  if (t?.class_name !== "__keras_tensor__" || !isRef(history)) {
    throw new Error(`${where}: an input is ${JSON.stringify(v)}, not a tensor; tslab-keras passes only tensors`);
  }
  return [history[0], history[1], history[2] ?? 0];
}

/**
 * What a node's keyword arguments may hold: `training` (Keras overrides it with the model's own call, so
 * it changes nothing), and a `mask` from a `NotEqual(tokens, 0)` op — Keras 3 writes an Embedding's
 * mask_zero mask that way; tslab-keras passes that same mask along the graph itself.
 */
function checkKwargs(kwargs: unknown, where: string, masks: Set<string>): void {
  if (kwargs == null) return;
  for (const [name, value] of Object.entries(kwargs as Record<string, unknown>)) {
    if (value === null || value === undefined || name === "training") continue;
    if (name === "mask") {
      const refs = flat(tensorRefs(value, where));
      if (refs.every((r) => masks.has(key(r)))) continue;
    }
    throw new Error(
      `${where}: the call passes \`${name}=${JSON.stringify(value)}\`, which tslab-keras cannot pass to a layer in a loaded graph`,
    );
  }
}

/** One inbound node, Keras 3 or Keras 2 style, as the references it reads. */
function nodeRefs(node: unknown, where: string, masks: Set<string>): Refs {
  if (Array.isArray(node)) {
    // Keras 2: [[name, node, tensor, kwargs], …]; one entry is a single input.
    const refs = node.map((e) => {
      if (!isRef(e)) throw new Error(`${where}: inbound node entry ${JSON.stringify(e)} is not [layer, node, tensor]`);
      checkKwargs((e as unknown[])[3], where, masks);
      return [e[0], e[1], e[2]] as Ref;
    });
    return refs.length === 1 ? refs[0] : refs;
  }
  const n = node as { args?: unknown[]; kwargs?: unknown };
  if (!n || !Array.isArray(n.args)) throw new Error(`${where}: inbound node ${JSON.stringify(node)} has no args`);
  if (n.args.length !== 1) {
    throw new Error(
      `${where}: the call has ${n.args.length} positional arguments; tslab-keras passes one (a tensor or a list)`,
    );
  }
  checkKwargs(n.kwargs, where, masks);
  const refs = tensorRefs(n.args[0], where);
  const mask = flat(refs).find((r) => masks.has(key(r)));
  if (mask) throw new Error(`${where}: it reads the mask '${mask[0]}' as a tensor, which tslab-keras does not compute`);
  return refs;
}

/** Keras 3's op entries (module keras.src.ops…; the legacy .h5 drops the module, and a NotEqual is one). */
const isOp = (e: KerasObject) => e.module?.startsWith("keras.src.ops") || (!e.module && e.class_name === "NotEqual");

/** A Keras 3 `NotEqual(x, 0)` op entry (an Embedding's mask), else an error naming the op. */
function maskOp(e: KerasObject & { inbound_nodes?: unknown[] }, name: string, source: string): void {
  const node = e.inbound_nodes?.[0] as { args?: unknown[] } | undefined;
  if (e.class_name !== "NotEqual" || e.inbound_nodes?.length !== 1 || node?.args?.[1] !== 0) {
    throw new Error(
      `${source}: '${name}' is the Keras operation ${e.class_name} (${e.module}), not a layer; tslab-keras loads graphs of layers (Keras' own ops appear only as an Embedding's mask)`,
    );
  }
}

const key = (r: Ref) => `${r[0]}\u0000${r[1]}\u0000${r[2]}`;
const flat = (r: Refs): Ref[] => (isRef(r) ? [r] : (r as Refs[]).flatMap(flat));

type Endpoints = tf.SymbolicTensor | tf.SymbolicTensor[] | Record<string, tf.SymbolicTensor>;

function endpoints(
  v: unknown,
  what: string,
  tensors: Map<string, tf.SymbolicTensor>,
  source: string,
  at: (r: Ref) => Ref,
): Endpoints {
  const get = (r: unknown) => {
    if (!isRef(r)) throw new Error(`${source}: ${what} entry ${JSON.stringify(r)} is not [layer, node, tensor]`);
    const t = tensors.get(key(at(r)));
    if (!t)
      throw new Error(
        `${source}: ${what} names '${r[0]}' (node ${r[1]}, tensor ${r[2]}), which the graph does not produce`,
      );
    return t;
  };
  if (v == null) throw new Error(`${source}: the Functional config has no ${what}`);
  if (isRef(v)) return get(v);
  if (Array.isArray(v)) return v.length === 1 ? get(v[0]) : v.map(get); // Keras unwraps a list of one
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, r]) => [k, get(r)]));
}

interface Pending {
  name: string;
  layer: Layer;
  nodes: Refs[];
  done: number;
  /** File node index of the first call in other layers' inputs (1 in tf.keras 2 for nested models). */
  offset: number;
}

/**
 * Node indices in a file are calls of the layer, except for nested models: Keras 3 numbers a nested
 * functional model's calls from 1 in `input_layers` / `output_layers` (its own graph counts as node 0),
 * and tf.keras 2 did so everywhere, for a nested Sequential too — seen as references one past the calls.
 */
function nodeOffsets(pending: Pending[]): void {
  const refs = pending.flatMap((p) => p.nodes.flatMap(flat));
  for (const p of pending) {
    if (refs.some((r) => r[0] === p.name && r[1] >= p.nodes.length)) p.offset = 1;
  }
}

/** The call an `input_layers` / `output_layers` reference means. */
function endpointRef(r: Ref, pending: Map<string, Pending & { model: boolean }>): Ref {
  const p = pending.get(r[0]);
  const shift = p && (p.model || p.offset === 1 || r[1] >= p.nodes.length) ? 1 : 0;
  return [r[0], r[1] - shift, r[2] ?? 0];
}

/** Calls each layer on its inputs once they exist; a pass that calls nothing means an input never appears. */
function connect(pending: Pending[], tensors: Map<string, tf.SymbolicTensor>, source: string): void {
  nodeOffsets(pending);
  const offsets = new Map(pending.map((p) => [p.name, p.offset]));
  const inKey = (r: Ref) => key([r[0], r[1] - (offsets.get(r[0]) ?? 0), r[2]]);
  const resolve = (r: Refs): tf.SymbolicTensor | tf.SymbolicTensor[] =>
    isRef(r) ? tensors.get(inKey(r))! : (r as Refs[]).map(resolve as (x: Refs) => tf.SymbolicTensor);
  for (let progress = true; progress;) {
    progress = false;
    for (const p of pending) {
      while (p.done < p.nodes.length && flat(p.nodes[p.done]).every((r) => tensors.has(inKey(r)))) {
        let out: tf.SymbolicTensor | tf.SymbolicTensor[];
        try {
          out = p.layer.apply(resolve(p.nodes[p.done])) as tf.SymbolicTensor | tf.SymbolicTensor[];
        } catch (e) {
          throw new Error(
            `${source}: layer '${p.name}' (${p.layer.getClassName()}) cannot be called on its inputs: ${(e as Error).message}`,
          );
        }
        (Array.isArray(out) ? out : [out]).forEach((t, i) => tensors.set(key([p.name, p.done, i]), t));
        p.done++;
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => p.done < p.nodes.length);
  if (stuck) {
    const missing = flat(stuck.nodes[stuck.done]).find((r) => !tensors.has(inKey(r)))!;
    throw new Error(
      `${source}: layer '${stuck.name}' reads '${missing[0]}' (node ${missing[1]}, tensor ${missing[2]}), which no layer of the file produces`,
    );
  }
}

export function functionalFromKeras(config: Record<string, unknown>, source: string): Model {
  const entries = config.layers as (KerasObject & { name?: string; inbound_nodes?: unknown[] })[] | undefined;
  if (!Array.isArray(entries)) throw new Error(`${source}: the Functional config has no layer list`);
  for (const what of ["input_layers", "output_layers"]) {
    if (config[what] == null) throw new Error(`${source}: the Functional config has no ${what}`);
  }
  const tensors = new Map<string, tf.SymbolicTensor>();
  const masks = new Set<string>();
  const name = (e: KerasObject & { name?: string }) => String(e.name ?? e.config?.name);
  for (const e of entries) {
    if (isOp(e)) {
      maskOp(e, name(e), source);
      masks.add(key([name(e), 0, 0]));
    }
  }
  const pending: (Pending & { model: boolean })[] = [];
  try {
    for (const e of entries) {
      if (isOp(e)) continue;
      if (e.class_name === "InputLayer") {
        tensors.set(key([name(e), 0, 0]), inputFromKeras(e.config ?? {}, source));
        continue;
      }
      const where = `${source}: layer '${name(e)}' (${e.class_name})`;
      const nodes = (e.inbound_nodes ?? []).map((n) => nodeRefs(n, where, masks));
      const model = e.class_name === "Functional" || e.class_name === "Model";
      pending.push({ name: name(e), layer: layerFromKeras(e), nodes, done: 0, offset: 0, model });
    }
    connect(pending, tensors, source);
    const byName = new Map(pending.map((p) => [p.name, p]));
    const at = (r: Ref) => endpointRef(r, byName);
    const inputs = endpoints(config.input_layers, "input_layers", tensors, source, at);
    const outputs = endpoints(config.output_layers, "output_layers", tensors, source, at);
    return new Model({ inputs, outputs, name: String(config.name ?? "functional") });
  } catch (e) {
    // what was built so far holds weights: free them (a model that fails to load holds no tensors)
    for (const p of pending) {
      try {
        p.layer.dispose();
      } catch {
        // never built: nothing to free
      }
    }
    throw e;
  }
}
