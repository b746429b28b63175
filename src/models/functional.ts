/**
 * Keras' functional `Model`: a graph of layers from `Input()` tensors to outputs, with several inputs and
 * outputs (lists or dicts, as Keras takes them), trained by the same loops as Sequential (model-base.ts).
 *
 *   const x = Input({ shape: [784] });
 *   const h = layers.Dense(64, { activation: "relu" })(x);
 *   const model = new Model({ inputs: x, outputs: layers.Dense(10, { activation: "softmax" })(h) });
 *
 * tfjs-layers holds the weights (a tf.LayersModel over the same graph, for saving and the weight lists); the
 * forward pass walks the graph here, layer by layer, with steps.ts' handling of Dropout and regularizers.
 */
import { tf } from "../tf";
import type { Logs } from "../callbacks/callback";
import type { Layer } from "../layers/extras";
import type { LossFn } from "../losses/index";
import { autoName } from "../utils/naming";
import { unknownIdentifierError } from "../utils/suggest";
import { type DataLike, formatShape } from "./data";
import { type PackedPart, knownShape, packInputs, unpack } from "./functional-data";
import {
  type FunctionalCompileOptions,
  type MultiCompiled,
  multiOutputTargets,
  resolveCompile,
} from "./functional-compile";
import { type LayerConfigFn, type LayerEntryFn, functionalConfig } from "./functional-config";
import { type LayerGraph, buildGraph, checkSymbolic, connectedTo } from "./graph";
import { exportModel, loadWeightsFile, saveModel, saveWeightsFile } from "../saving/index";
import {
  type CallOptions,
  type CompileOptions,
  type CompileState,
  ModelBase,
  type SavingBackend,
  metricList,
} from "./model-base";
import { applyLayer, nextMask } from "./steps";
import { renderSummary } from "./summary";
import * as loops from "./training";
import type { MetricIdentifier, PreparedTargets } from "./types";

type Structure<T> = T | T[] | Record<string, T>;

export interface ModelOptions {
  inputs: Structure<tf.SymbolicTensor>;
  outputs: Structure<tf.SymbolicTensor>;
  name?: string;
}

/** x or y for a functional model: one array, a list (in inputs/outputs order) or a dict by name. */
export type ModelData = DataLike | DataLike[] | Record<string, DataLike>;

function flatten<T>(
  value: Structure<T>,
  what: string,
): { list: T[]; names?: string[]; kind: "single" | "list" | "dict" } {
  if (Array.isArray(value)) return { list: value, kind: "list" };
  if (value instanceof tf.SymbolicTensor || value === null || typeof value !== "object")
    return { list: [value as T], kind: "single" };
  const keys = Object.keys(value);
  if (keys.length === 0) throw new Error(`Model: \`${what}\` is an empty dict.`);
  return { list: keys.map((k) => (value as Record<string, T>)[k]), names: keys, kind: "dict" };
}

/** Callable like a layer: `model(x)` ≡ `.apply(x)` (see ModelBase). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Model {
  (
    inputs: tf.SymbolicTensor | tf.SymbolicTensor[] | Record<string, tf.SymbolicTensor>,
    options?: CallOptions,
  ): tf.SymbolicTensor;
  (inputs: tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>, options?: CallOptions): tf.Tensor;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Model extends ModelBase {
  readonly name: string;
  readonly inputs: tf.SymbolicTensor[];
  readonly outputs: tf.SymbolicTensor[];
  /** Keras' `input_names` / `output_names`: dict keys, else the layers' names. */
  readonly inputNames: string[];
  readonly outputNames: string[];
  private readonly inputKind: "single" | "list" | "dict";
  private readonly outputKind: "single" | "list" | "dict";
  private readonly graph: LayerGraph;
  private readonly engine: tf.LayersModel;
  private multi?: MultiCompiled;

  /** `new Model({ inputs, outputs, name })`, or Keras' positional `new Model(inputs, outputs, { name })`. */
  constructor(options: ModelOptions);
  constructor(inputs: Structure<tf.SymbolicTensor>, outputs: Structure<tf.SymbolicTensor>, options?: { name?: string });
  constructor(
    first: ModelOptions | Structure<tf.SymbolicTensor>,
    outputs?: Structure<tf.SymbolicTensor>,
    rest: { name?: string } = {},
  ) {
    super();
    const options = (outputs !== undefined ? { ...rest, inputs: first, outputs } : first) as ModelOptions;
    if (!options || typeof options !== "object" || !("inputs" in options) || !("outputs" in options)) {
      throw new Error(
        "Model: pass { inputs, outputs }, e.g. new Model({ inputs: x, outputs: y }) with x = Input({ shape: [784] }).",
      );
    }
    for (const key of Object.keys(options)) {
      if (!["inputs", "outputs", "name"].includes(key))
        throw unknownIdentifierError("Model option", key, ["inputs", "outputs", "name"]);
    }
    const ins = flatten(options.inputs, "inputs");
    const outs = flatten(options.outputs, "outputs");
    this.inputs = checkSymbolic(ins.list, "inputs");
    this.outputs = checkSymbolic(outs.list, "outputs");
    this.inputKind = ins.kind;
    this.outputKind = outs.kind;
    this.graph = buildGraph(this.inputs, this.outputs);
    this.inputNames = ins.names ?? this.inputs.map((t) => t.sourceLayer.name);
    this.outputNames = outs.names ?? this.outputs.map((t) => t.sourceLayer.name);
    this.name = options.name ?? autoName("functional");
    this.engine = tf.model({ inputs: this.inputs, outputs: this.outputs, name: this.name });
  }

  /** Keras' `model.layers`: every layer once, inputs first, in graph order. */
  get layers(): Layer[] {
    return [...this.graph.layers];
  }

  /** Keras' `get_layer(name)`. */
  getLayer(name: string): Layer {
    const layer = this.graph.layers.find((l) => l.name === name);
    if (!layer)
      throw unknownIdentifierError(
        "layer",
        name,
        this.graph.layers.map((l) => l.name),
      );
    return layer;
  }

  /** The layer graph (nodes in execution order with their depth): what summary and plotModel draw. */
  layerGraph(): LayerGraph {
    return this.graph;
  }

  /**
   * Keras 3's `get_config()`: the layers with their `inbound_nodes`, `input_layers`, `output_layers` (the
   * `config` of a .keras file's "Functional" entry). `layerConfig` serializes each layer's own config.
   */
  getConfig(options: { layerConfig?: LayerConfigFn; layerEntry?: LayerEntryFn } = {}): Record<string, unknown> {
    return functionalConfig(this.name, this.graph, {
      layerConfig: options.layerConfig,
      layerEntry: options.layerEntry,
      inputNames: this.inputKind === "dict" ? this.inputNames : undefined,
      outputNames: this.outputKind === "dict" ? this.outputNames : undefined,
    });
  }

  get built(): boolean {
    return true;
  }

  protected override callInputNames(): { names: string[]; named: boolean } {
    return { names: [...this.inputNames], named: true };
  }

  protected engineFor(): tf.LayersModel {
    return this.engine;
  }

  ensureBuilt(): void {}

  runtimeLayers(): Layer[] {
    return this.graph.layers.filter((l) => l.getClassName() !== "InputLayer");
  }

  batchInputShape(): (number | null)[] {
    return [...this.inputs[0].shape];
  }

  batchOutputShape(): (number | null)[] {
    return [...this.outputs[0].shape];
  }

  /** Runs the graph on concrete inputs (one per model input); returns one tensor per output. */
  call(xs: tf.Tensor[], training = false, penalties?: tf.Scalar[]): tf.Tensor[] {
    const values = new Map<number, tf.Tensor>();
    const masks = new Map<number, tf.Tensor>();
    this.inputs.forEach((t, i) => values.set(t.id, xs[i]));
    for (const node of this.graph.nodes) {
      if (node.inputs.length === 0) continue; // an Input
      const ins = node.inputs.map((t) => values.get(t.id)!);
      // An Embedding's maskZero mask follows single-input layers as in a Sequential (merges drop it).
      const mask = ins.length === 1 ? masks.get(node.inputs[0].id) : undefined;
      const out = applyLayer(node.layer, ins.length === 1 ? ins[0] : ins, training, penalties, mask);
      const outs = Array.isArray(out) ? out : [out];
      node.outputs.forEach((t, i) => values.set(t.id, outs[i]));
      if (ins.length === 1) {
        const next = node.layer.getClassName() === "Dropout" ? mask : nextMask(node.layer, ins[0], mask);
        if (next) masks.set(node.outputs[0].id, next);
      }
    }
    return this.outputs.map((t) => values.get(t.id)!);
  }

  private inputParts(): PackedPart[] {
    return this.inputs.map((t, i) => ({
      name: this.inputNames[i],
      shape:
        this.inputs.length === 1
          ? (t.shape.slice(1) as number[])
          : knownShape(t.shape.slice(1), this.inputNames[i], "input"),
      dtype: t.dtype,
    }));
  }

  private outputParts(): PackedPart[] {
    return this.outputs.map((t, i) => ({
      name: this.outputNames[i],
      shape:
        this.outputs.length === 1
          ? (t.shape.slice(1) as number[])
          : knownShape(t.shape.slice(1), this.outputNames[i], "output"),
      dtype: "float32",
    }));
  }

  prepareInputs(x: unknown, what: string, fn: string, owned: tf.Tensor[]): tf.Tensor {
    const parts = this.inputs.map((t, i) => ({ name: this.inputNames[i], shape: t.shape.slice(1) }));
    return packInputs(x, parts, what, fn, owned);
  }

  forwardFn(): (x: tf.Tensor, training: boolean, penalties?: tf.Scalar[]) => tf.Tensor {
    const inParts = this.inputParts();
    const single = this.outputs.length === 1;
    return (x, training, penalties) => {
      const outs = this.call(unpack(x, inParts), training, penalties);
      if (single) return outs[0];
      const n = x.shape[0];
      return tf.concat(
        outs.map((o) => o.reshape([n, -1])),
        1,
      );
    };
  }

  splitOutputs(out: tf.Tensor): tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor> {
    if (this.outputs.length === 1) {
      const only = out.clone();
      return this.outputKind === "single"
        ? only
        : this.outputKind === "dict"
          ? { [this.outputNames[0]]: only }
          : [only];
    }
    const parts = tf.tidy(() => unpack(out, this.outputParts()).map((t) => t.clone()));
    if (this.outputKind !== "dict") return parts;
    return Object.fromEntries(parts.map((t, i) => [this.outputNames[i], t]));
  }

  /** Keras' compile for functional models: `loss`, `lossWeights` and `metrics` per output (list or dict). */
  override compile(config: FunctionalCompileOptions): void;
  override compile(
    optimizer: string | tf.Optimizer,
    loss: string | LossFn,
    options?: { metrics?: MetricIdentifier[] },
  ): void;
  override compile(
    a: FunctionalCompileOptions | string | tf.Optimizer,
    loss?: string | LossFn,
    options: { metrics?: MetricIdentifier[] } = {},
  ): void {
    (super.compile as (...args: unknown[]) => void).call(this, a, loss, options);
  }

  protected override compileOptionNames(): string[] {
    return [...super.compileOptionNames(), "lossWeights"];
  }

  protected override compileWith(o: CompileOptions, optimizer: tf.Optimizer): void {
    const multi = resolveCompile(o as unknown as FunctionalCompileOptions, this.outputNames);
    const single = this.outputs.length === 1;
    const weightedMetrics = metricList(o.weightedMetrics, "weightedMetrics");
    if (!single && weightedMetrics.length > 0)
      throw new Error(
        "compile: weightedMetrics for a model with several outputs is not supported by tslab-keras yet; use metrics (per output).",
      );
    // A custom loss or metric function anywhere sends fit to the eager path (trainer-choice.ts reads these).
    const custom = multi.losses.find((l) => l.kind === "custom");
    this.compiled = {
      optimizer,
      loss: custom ?? multi.losses[0],
      metrics: single ? multi.metrics[0] : multi.metrics.flat().filter((m) => typeof m === "function"),
      weightedMetrics,
    };
    this.multi = single && multi.weights[0] === 1 ? undefined : multi;
  }

  /** Used by the loops when the model has several outputs (or a weighted single loss). */
  get prepareTargets(): ((y: unknown, what: string, fn: string, owned: tf.Tensor[]) => PreparedTargets) | undefined {
    return this.multi ? (y, what, fn, owned) => this.targets(y, what, fn, owned) : undefined;
  }

  private targets(yIn: unknown, what: string, fn: string, owned: tf.Tensor[]): PreparedTargets {
    const outputs = this.outputs.map((t, i) => ({ name: this.outputNames[i], shape: t.shape }));
    return multiOutputTargets(this.multi!, outputs, this.outputParts(), yIn, what, fn, owned);
  }

  override fit(x: ModelData, y: ModelData, options?: loops.FitOptions) {
    return super.fit(x as DataLike, y as DataLike, options);
  }

  override evaluate(x: ModelData, y: ModelData, options: loops.EvaluateOptions & { returnDict: true }): Promise<Logs>;
  override evaluate(x: ModelData, y: ModelData, options?: loops.EvaluateOptions): Promise<number | number[]>;
  override evaluate(x: ModelData, y: ModelData, options?: loops.EvaluateOptions): Promise<number | number[] | Logs> {
    return super.evaluate(x as DataLike, y as DataLike, options);
  }

  /** The outputs for `x`: one tensor, or a list / dict (as `outputs` was given) for several outputs. */
  predict(x: ModelData, options?: loops.PredictOptions): Promise<tf.Tensor | tf.Tensor[] | Record<string, tf.Tensor>> {
    return loops.predict(this, x as DataLike, options);
  }

  protected saving(): SavingBackend {
    return {
      save: (path, overwrite) => saveModel(this, path, overwrite),
      saveWeights: (path, overwrite) => saveWeightsFile(this, path, overwrite),
      loadWeights: (path) => loadWeightsFile(this, path),
      export: (path, options) => exportModel(this, path, options),
    };
  }

  /** Keras' compile_config: with several outputs, the loss, weights and metrics keyed by output name. */
  override compileState(): CompileState | undefined {
    const base = super.compileState();
    const multi = this.multi;
    if (!base || !multi) return base;
    const names = this.outputNames;
    const ids = multi.losses.map((l) => l.identifier);
    const strings = (list: MetricIdentifier[]) => list.filter((m): m is string => typeof m === "string");
    return {
      optimizer: base.optimizer,
      loss: ids.every((id) => id !== undefined) ? Object.fromEntries(names.map((n, i) => [n, ids[i]!])) : undefined,
      lossWeights: multi.weights.some((w) => w !== 1)
        ? Object.fromEntries(names.map((n, i) => [n, multi.weights[i]]))
        : undefined,
      metrics: Object.fromEntries(names.map((n, i) => [n, strings(multi.metrics[i])])),
    };
  }

  /** Prints Keras 3's functional summary, with the "Connected to" column. */
  summary(options: { printFn?: (line: string) => void } = {}): void {
    const size = (ws: tf.LayerVariable[]) =>
      ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    const shapeOf = (l: Layer) => {
      const s = l.outputShape as (number | null)[] | (number | null)[][];
      return Array.isArray(s[0])
        ? (s as (number | null)[][]).map((x) => formatShape(x)).join(", ")
        : formatShape(s as (number | null)[]);
    };
    const rows = this.graph.layers.map((l) => ({
      name: l.name,
      className: l.getClassName(),
      outputShape: shapeOf(l),
      params: l.countParams(),
      connectedTo: this.graph.nodes.filter((n) => n.layer === l).flatMap(connectedTo),
    }));
    const counts = {
      trainable: size(this.engine.trainableWeights),
      nonTrainable: size(this.engine.nonTrainableWeights),
    };
    const lines = renderSummary(this.name, rows, counts);
    if (options.printFn) lines.forEach(options.printFn);
    else console.log(lines.join("\n"));
  }

  /** Adopts a functional tfjs LayersModel (used by loadModel). */
  static fromEngine(engine: tf.LayersModel, name: string): Model {
    return new Model({
      inputs: engine.inputs,
      outputs: engine.outputs.length === 1 ? engine.outputs[0] : engine.outputs,
      name,
    });
  }
}
