/**
 * Keras' `Sequential` model over tfjs-layers: tfjs layers hold the weights and compute each layer; our
 * own loops (training.ts) train them with Keras 3's semantics.
 *
 *   const model = new Sequential([layers.Dense(512, { activation: "relu", inputShape: [784] }), …]);
 *   model.compile({ optimizer: "sgd", loss: "categorical_crossentropy", metrics: ["accuracy"] });
 *   const history = await model.fit(x, y, { batchSize: 128, epochs: 5, validationSplit: 0.2 });
 */
import { tf } from "../tf";
import type { Layer } from "../layers/extras";
import { autoName } from "../utils/naming";
import { unknownIdentifierError } from "../utils/suggest";
import { type DataLike, formatShape } from "./data";
import { exportModel, loadWeightsFile, saveModel, saveWeightsFile } from "../saving/index";
import { type CallOptions, ModelBase, type SavingBackend } from "./model-base";
import { renderSummary } from "./summary";
import * as loops from "./training";

export type { CompileOptions } from "./model-base";

/** A layer, or an `Input(...)` as the first entry (Keras' `Sequential([keras.Input((784,)), …])`). */
export type SequentialEntry = Layer | tf.SymbolicTensor;

export interface SequentialOptions {
  layers?: SequentialEntry[];
  name?: string;
}

const isLayer = (x: unknown): x is Layer => x instanceof tf.layers.Layer;

/** Callable like a layer: `seq(x)` ≡ `.apply(x)` (see ModelBase). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Sequential {
  (inputs: tf.SymbolicTensor | tf.SymbolicTensor[], options?: CallOptions): tf.SymbolicTensor;
  (inputs: tf.Tensor | tf.Tensor[], options?: CallOptions): tf.Tensor;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Sequential extends ModelBase {
  readonly name: string;
  private pending: Layer[] = [];
  private inputShape?: (number | null)[];
  private engine?: tf.Sequential;

  constructor(layers?: SequentialEntry[] | SequentialOptions, options: { name?: string } = {}) {
    super();
    const o: SequentialOptions = Array.isArray(layers) ? { ...options, layers } : { ...options, ...(layers ?? {}) };
    this.name = o.name ?? autoName("sequential");
    for (const layer of o.layers ?? []) this.add(layer);
  }

  /** Appends a layer (Keras' `model.add`). */
  add(entry: SequentialEntry): void {
    const layer = entry instanceof tf.SymbolicTensor ? entry.sourceLayer : entry;
    if (!isLayer(layer)) {
      const hint = typeof layer === "function" ? " — did you forget to call it, e.g. layers.Dense(10)?" : "";
      throw new Error(`Sequential.add expects a layer such as layers.Dense(10), got ${typeof layer}${hint}`);
    }
    if (layer.getClassName() === "InputLayer") {
      if (this.pending.length > 0) throw new Error("An Input can only be the first entry of a Sequential model.");
      this.inputShape = [...(layer as unknown as { batchInputShape: (number | null)[] }).batchInputShape];
      return;
    }
    if (this.pending.some((l) => l.name === layer.name)) {
      throw new Error(
        `All layers added to a Sequential model should have unique names. Name '${layer.name}' is already the name of a layer in this model. Update the \`name\` argument to pass a unique name.`,
      );
    }
    this.pending.push(layer);
    if (this.engine) {
      this.addToEngine(this.engine, layer);
    } else if (this.pending.length === 1 && (this.inputShape || layer.batchInputShape)) {
      this.build();
    }
  }

  private addToEngine(engine: tf.Sequential, layer: Layer): void {
    try {
      engine.add(layer);
    } catch (e) {
      this.pending.pop();
      throw new Error(`Cannot add layer '${layer.name}' (${layer.getClassName()}): ${(e as Error).message}`);
    }
  }

  /** Keras' `model.layers`. */
  get layers(): Layer[] {
    return [...this.pending];
  }

  get built(): boolean {
    return this.engine !== undefined;
  }

  /** Builds the weights for inputs of `inputShape` (with or without the batch axis `null`). */
  build(inputShape?: (number | null)[]): void {
    if (this.engine) return;
    if (this.pending.length === 0)
      throw new Error("The model has no layers yet; add some with model.add(layers.Dense(...)).");
    const first = this.pending[0] as Layer & { batchInputShape?: (number | null)[] };
    let batchShape = this.inputShape ?? first.batchInputShape;
    if (inputShape) batchShape = inputShape[0] === null ? inputShape : [null, ...inputShape];
    if (!batchShape) {
      throw new Error(
        "The model does not know its input shape: give the first layer one (inputShape: [784]) or call build([null, 784]).",
      );
    }
    if (!first.batchInputShape || inputShape) first.batchInputShape = batchShape;
    const engine = tf.sequential({ name: this.name });
    const layers = this.pending;
    this.pending = [];
    for (const layer of layers) {
      this.pending.push(layer);
      this.addToEngine(engine, layer);
    }
    this.engine = engine;
  }

  ensureBuilt(sampleShape?: readonly number[]): void {
    if (!this.engine)
      this.build(
        this.inputShape || this.pending[0]?.batchInputShape ? undefined : sampleShape && [null, ...sampleShape],
      );
  }

  protected engineFor(what: string): tf.Sequential {
    if (!this.engine)
      throw new Error(
        `${what}: the model is not built yet (it has no input shape); call fit, predict or build([null, …]) first.`,
      );
    return this.engine;
  }

  runtimeLayers(): Layer[] {
    return this.engineFor("model").layers;
  }

  batchInputShape(): (number | null)[] {
    return [...(this.engineFor("model").inputs[0].shape as (number | null)[])];
  }

  batchOutputShape(): (number | null)[] {
    return [...(this.engineFor("model").outputs[0].shape as (number | null)[])];
  }

  /** Keras' `get_layer(name)` or `get_layer(index=i)`: a layer by name, or by position in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    if (typeof nameOrIndex === "number") {
      const layer = layers[nameOrIndex];
      if (!Number.isInteger(nameOrIndex) || !layer)
        throw new Error(
          `Was asked to retrieve layer at index ${nameOrIndex} but model only has ${layers.length} layers.`,
        );
      return layer;
    }
    const layer = layers.find((l) => l.name === nameOrIndex);
    if (!layer)
      throw unknownIdentifierError(
        "layer",
        nameOrIndex,
        layers.map((l) => l.name),
      );
    return layer;
  }

  /** Prints Keras 3's summary table (pass `printFn` to capture the lines instead). */
  summary(options: { printFn?: (line: string) => void } = {}): void {
    const size = (ws: tf.LayerVariable[]) =>
      ws.reduce((s, w) => s + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    const rows = this.pending.map((l) => ({
      name: l.name,
      className: l.getClassName(),
      outputShape: this.engine ? formatShape(l.outputShape as (number | null)[]) : "?",
      params: this.engine ? l.countParams() : undefined,
    }));
    const counts = this.engine
      ? { trainable: size(this.engine.trainableWeights), nonTrainable: size(this.engine.nonTrainableWeights) }
      : { trainable: 0, nonTrainable: 0 };
    const lines = renderSummary(this.name, rows, counts);
    if (options.printFn) lines.forEach(options.printFn);
    else console.log(lines.join("\n"));
  }

  /** The model's outputs for `x` (inference mode: no dropout, BatchNormalization uses moving stats). */
  predict(x: DataLike, options?: loops.PredictOptions): Promise<tf.Tensor> {
    return loops.predict(this, x, options) as Promise<tf.Tensor>;
  }

  protected saving(): SavingBackend {
    return {
      save: (path, overwrite) => saveModel(this, path, overwrite),
      saveWeights: (path, overwrite) => saveWeightsFile(this, path, overwrite),
      loadWeights: (path) => loadWeightsFile(this, path),
      export: (path, options) => exportModel(this, path, options),
    };
  }

  /** Adopts an already-built tfjs Sequential (used by loadModel). */
  static fromEngine(engine: tf.Sequential, name: string): Sequential {
    const model = new Sequential({ name });
    model.pending = [...engine.layers];
    model.engine = engine;
    return model;
  }
}
