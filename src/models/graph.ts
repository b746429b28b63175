/**
 * The layer graph of a functional model, read from the symbolic tensors that `Input()` and layer calls
 * produce (tfjs' SymbolicTensor / Node bookkeeping, the same as Keras' KerasTensor history): its nodes in
 * execution order, each node's depth (for summary order and plotModel's rows), and Keras' checks —
 * inputs must come from `Input()`, outputs must be reachable from the inputs, layer names must be unique.
 */
import { tf } from "../tf";
import type { Layer } from "../layers/extras";

/** One call of a layer: which tensors went in, which came out. */
export interface GraphNode {
  layer: Layer;
  /** Index of this call among the layer's calls (Keras' node index, shown as `dense[0][0]`). */
  nodeIndex: number;
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
  /** Longest path from an input, inputs being 0. */
  depth: number;
}

export interface LayerGraph {
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
  /** Nodes in an order where every node comes after the nodes it reads from (inputs first). */
  nodes: GraphNode[];
  /** Each layer once, in Keras' `model.layers` order (by depth, then call order). */
  layers: Layer[];
}

type InternalNode = { inputTensors: tf.SymbolicTensor[]; outputTensors: tf.SymbolicTensor[] };

function nodeOf(t: tf.SymbolicTensor): InternalNode {
  const nodes = (t.sourceLayer as unknown as { inboundNodes: InternalNode[] }).inboundNodes;
  return nodes[t.nodeIndex];
}

const isInputLayer = (l: Layer) => l.getClassName() === "InputLayer";

function describeValue(v: unknown): string {
  if (v instanceof tf.Tensor) return `a tf.Tensor of shape [${v.shape.join(", ")}]`;
  if (v instanceof tf.layers.Layer) return `the layer '${v.name}'`;
  return v === null ? "null" : typeof v;
}

/** Keras' message when a model's inputs or outputs are not symbolic tensors. */
export function checkSymbolic(list: unknown[], what: "inputs" | "outputs"): tf.SymbolicTensor[] {
  list.forEach((t) => {
    if (!(t instanceof tf.SymbolicTensor)) {
      const fix =
        what === "inputs"
          ? "Create inputs with Input({ shape: [...] })."
          : "Pass the result of calling a layer on the inputs, e.g. outputs: layers.Dense(10)(x).";
      throw new Error(
        `All \`${what}\` values must be KerasTensors (symbolic tensors). Received ${describeValue(t)}. ${fix}`,
      );
    }
  });
  return list as tf.SymbolicTensor[];
}

export function buildGraph(inputs: tf.SymbolicTensor[], outputs: tf.SymbolicTensor[]): LayerGraph {
  if (inputs.length === 0)
    throw new Error("A functional Model needs at least one input, e.g. inputs: Input({ shape: [784] }).");
  if (outputs.length === 0) throw new Error("A functional Model needs at least one output (a layer's result).");
  for (const t of inputs) {
    if (!isInputLayer(t.sourceLayer) || t.inputs.length > 0) {
      throw new Error(
        `Model inputs must come from \`Input()\` (Keras' keras.Input); '${t.name}' is the output of layer '${t.sourceLayer.name}' (${t.sourceLayer.getClassName()}). Pass the Input tensor the graph starts from instead.`,
      );
    }
  }
  const inputIds = new Set(inputs.map((t) => t.id));
  // Walk back from the outputs; every path must end at one of the model's inputs.
  const nodeKey = (t: tf.SymbolicTensor) => `${t.sourceLayer.id}:${t.nodeIndex}`;
  const found = new Map<string, GraphNode>();
  const order: GraphNode[] = [];
  const visiting = new Set<string>();
  const visit = (t: tf.SymbolicTensor, from: tf.SymbolicTensor): number => {
    const key = nodeKey(t);
    const known = found.get(key);
    if (known) return known.depth;
    if (isInputLayer(t.sourceLayer)) {
      if (!inputIds.has(t.id)) {
        throw new Error(
          `Output '${from.sourceLayer.name}' is not connected to the model's inputs: it depends on the Input '${t.sourceLayer.name}' ${formatShapeOf(t)}, which is not in \`inputs\`. Add it to \`inputs\` (inputs: [${t.sourceLayer.name}, …]) or build the output from the given inputs.`,
        );
      }
      const node: GraphNode = { layer: t.sourceLayer, nodeIndex: t.nodeIndex, inputs: [], outputs: [t], depth: 0 };
      found.set(key, node);
      order.push(node);
      return 0;
    }
    if (visiting.has(key)) throw new Error(`The layer graph has a cycle through layer '${t.sourceLayer.name}'.`);
    visiting.add(key);
    const internal = nodeOf(t);
    const depth = 1 + Math.max(...internal.inputTensors.map((i) => visit(i, from)));
    visiting.delete(key);
    const node: GraphNode = {
      layer: t.sourceLayer,
      nodeIndex: t.nodeIndex,
      inputs: [...internal.inputTensors],
      outputs: [...internal.outputTensors],
      depth,
    };
    found.set(key, node);
    order.push(node);
    return depth;
  };
  for (const out of outputs) visit(out, out);
  // Inputs the outputs never read still belong to the model (Keras keeps them, in `inputs` order).
  for (const t of inputs) if (!found.has(nodeKey(t))) visit(t, t);
  const byDepth = [...order].sort((a, b) => a.depth - b.depth || order.indexOf(a) - order.indexOf(b));
  const inputNodes = inputs.map((t) => found.get(nodeKey(t))!);
  const sorted = [...inputNodes, ...byDepth.filter((n) => !inputNodes.includes(n))];
  const layers: Layer[] = [];
  for (const n of sorted) if (!layers.includes(n.layer)) layers.push(n.layer);
  const names = new Map<string, Layer>();
  for (const l of layers) {
    const other = names.get(l.name);
    if (other && other !== l) {
      throw new Error(
        `The name "${l.name}" is used 2 times in the model. All operation names should be unique. Give one of the layers another \`name\`.`,
      );
    }
    names.set(l.name, l);
  }
  return { inputs, outputs, nodes: sorted, layers };
}

function formatShapeOf(t: tf.SymbolicTensor): string {
  return `(shape [${t.shape.map((d) => (d === null ? "null" : d)).join(", ")}])`;
}

/**
 * Keras' node index of the call that produced `t`. A tfjs model used as a layer (a nested Sequential or Model)
 * holds one extra node of its own at index 0 (its inputs to its outputs), which Keras does not count.
 */
export function kerasNodeIndex(t: tf.SymbolicTensor): number {
  return t.sourceLayer instanceof tf.LayersModel ? t.nodeIndex - 1 : t.nodeIndex;
}

/** The layers that produced `t`'s inputs, as Keras' summary writes them: `dense[0][0]`. */
export function connectedTo(node: GraphNode): string[] {
  return node.inputs.map((t) => `${t.sourceLayer.name}[${kerasNodeIndex(t)}][${t.tensorIndex}]`);
}
