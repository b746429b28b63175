/**
 * Keras' layer wrappers: `Bidirectional(LSTM(64))` (a forward and a backward copy of the RNN, outputs
 * merged by `mergeMode`) and `TimeDistributed(Dense(8))` (the inner layer applied to every time step, as
 * one call on the batch and time axes folded together). Their weights are the inner layers' (forward
 * then backward for Bidirectional), so summary, fit and saving see them.
 */
import { tf } from "../tf";
import type { LayerOptions } from "./common";
import { KerasLayer, type Kwargs, type Shape, buildSublayer, oneMask, oneShape, oneTensor, register } from "./base";
import { choice, layerOptions } from "./options";
import { containsUserCode } from "./lambda";
import { RecurrentLayer } from "./rnn";

type Saved = { className: string; config: tf.serialization.ConfigDict };

/** A layer from `{ className, config }` (its class must be registered). */
export function deserializeLayer(saved: Saved): tf.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[saved.className];
  if (!entry) throw new Error(`Cannot restore layer class '${saved.className}': it is not registered`);
  const [cls, fromConfig] = entry;
  return fromConfig(cls, saved.config) as unknown as tf.layers.Layer;
}

function serializeLayer(layer: tf.layers.Layer): Saved {
  return { className: layer.getClassName(), config: layer.getConfig() };
}

/** Weight getters of a wrapper: the inner layers' weights, in order. */
abstract class Wrapper extends KerasLayer {
  protected abstract inner(): tf.layers.Layer[];
  /** A wrapped Lambda makes the wrapper user code too (the compiled path then trains eagerly). */
  get isUserCode(): boolean {
    return containsUserCode(this.inner());
  }
  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.inner().flatMap((l) => l.trainableWeights) : [];
  }
  override set trainableWeights(_w: tf.LayerVariable[]) {}
  override get nonTrainableWeights(): tf.LayerVariable[] {
    const inner = this.inner();
    return this.trainable ? inner.flatMap((l) => l.nonTrainableWeights) : inner.flatMap((l) => l.weights);
  }
  override set nonTrainableWeights(_w: tf.LayerVariable[]) {}
}

export type MergeMode = "concat" | "sum" | "mul" | "ave" | null;

export interface BidirectionalOptions extends LayerOptions {
  layer?: RecurrentLayer;
  mergeMode?: MergeMode | "None";
  backwardLayer?: RecurrentLayer;
}

export class BidirectionalLayer extends Wrapper {
  static className = "Bidirectional";
  readonly forwardLayer: RecurrentLayer;
  readonly backwardLayer: RecurrentLayer;
  readonly mergeMode: MergeMode;
  readonly returnSequences: boolean;
  readonly returnState: boolean;

  constructor(o: BidirectionalOptions & { layer: RecurrentLayer | Saved }) {
    super("Bidirectional", o);
    const layer = o.layer instanceof tf.layers.Layer ? o.layer : deserializeLayer(o.layer);
    if (!(layer instanceof RecurrentLayer)) {
      throw new Error(
        `Bidirectional wraps a recurrent layer such as layers.LSTM(64); got ${layer?.getClassName?.() ?? typeof layer}`,
      );
    }
    const mode = o.mergeMode === null || o.mergeMode === "None" ? null : o.mergeMode;
    this.mergeMode =
      mode === null
        ? null
        : choice(mode, ["concat", "sum", "mul", "ave"] as const, "Bidirectional: mergeMode", "concat");
    const copy = (from: RecurrentLayer, name: string, backwards: boolean, seedOffset: number) => {
      const { batchInputShape: _b, ...config } = from.getConfig();
      return deserializeLayer({
        className: from.getClassName(),
        config: {
          ...config,
          name,
          goBackwards: backwards,
          seed: from.seed + seedOffset,
          zeroOutputForMask: from.returnSequences,
        },
      }) as RecurrentLayer;
    };
    const base = layer.name.replace(/^forward_/, "");
    this.forwardLayer = copy(layer, `forward_${base}`, layer.goBackwards, 0);
    if (o.backwardLayer) {
      if (!(o.backwardLayer instanceof RecurrentLayer))
        throw new Error("Bidirectional: backwardLayer must be a recurrent layer");
      this.backwardLayer = copy(o.backwardLayer, o.backwardLayer.name, o.backwardLayer.goBackwards, 0);
      if (this.backwardLayer.goBackwards === this.forwardLayer.goBackwards) {
        throw new Error(
          `Forward layer and backward layer should have different \`go_backwards\` value. Received: forward_layer.go_backwards ${this.forwardLayer.goBackwards}, backward_layer.go_backwards=${this.backwardLayer.goBackwards}`,
        );
      }
    } else {
      this.backwardLayer = copy(layer, `backward_${base}`, !layer.goBackwards, 7919);
    }
    this.returnSequences = this.forwardLayer.returnSequences;
    this.returnState = this.forwardLayer.returnState;
    if (
      this.backwardLayer.returnSequences !== this.returnSequences ||
      this.backwardLayer.returnState !== this.returnState
    ) {
      throw new Error("Bidirectional: the forward and backward layers must agree on returnSequences and returnState");
    }
    this.supportsMasking = true;
  }

  protected inner(): tf.layers.Layer[] {
    return [this.forwardLayer, this.backwardLayer];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = oneShape(inputShape);
    buildSublayer(this.forwardLayer, s);
    buildSublayer(this.backwardLayer, s);
    this.built = true;
  }

  private mergedShape(shape: Shape, other: Shape): Shape | Shape[] {
    if (this.mergeMode === null) return [shape, other];
    if (this.mergeMode !== "concat") return shape;
    const last = shape[shape.length - 1];
    const o = other[other.length - 1];
    return [...shape.slice(0, -1), last === null || o === null ? null : last + o];
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const s = oneShape(inputShape);
    const f = this.forwardLayer.computeOutputShape(s) as Shape | Shape[];
    const b = this.backwardLayer.computeOutputShape(s) as Shape | Shape[];
    if (!this.returnState) return this.mergedShape(f as Shape, b as Shape) as tf.Shape;
    const [fo, ...fs] = f as Shape[];
    const [bo, ...bs] = b as Shape[];
    const merged = this.mergedShape(fo, bo);
    return [...(this.mergeMode === null ? (merged as Shape[]) : [merged as Shape]), ...fs, ...bs] as tf.Shape[];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = this.returnSequences ? (oneMask(mask) ?? null) : null;
    const outs = this.mergeMode === null ? [m, m] : [m];
    if (!this.returnState) return (outs.length === 1 ? outs[0] : outs) as tf.Tensor;
    const n = (this.computeOutputShape([null, 1, 1]) as Shape[]).length;
    return [...outs, ...Array.from({ length: n - outs.length }, () => null)] as unknown as tf.Tensor[];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const x = oneTensor(inputs);
      const args = { training: kwargs?.training, mask: kwargs?.mask };
      const fOut = this.forwardLayer.call(x, args);
      const bOut = this.backwardLayer.call(x, args);
      const [y, ...fStates] = this.returnState ? (fOut as tf.Tensor[]) : [fOut as tf.Tensor];
      const [bY, ...bStates] = this.returnState ? (bOut as tf.Tensor[]) : [bOut as tf.Tensor];
      const yRev = this.returnSequences ? tf.reverse(bY, 1) : bY;
      let merged: tf.Tensor[];
      if (this.mergeMode === "concat") merged = [tf.concat([y, yRev], -1)];
      else if (this.mergeMode === "sum") merged = [tf.add(y, yRev)];
      else if (this.mergeMode === "ave") merged = [tf.mul(tf.add(y, yRev), 0.5)];
      else if (this.mergeMode === "mul") merged = [tf.mul(y, yRev)];
      else merged = [y, yRev];
      const out = [...merged, ...fStates, ...bStates];
      return out.length === 1 ? out[0] : out;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      layer: serializeLayer(this.forwardLayer) as unknown as tf.serialization.ConfigDict,
      mergeMode: this.mergeMode,
    };
    return config;
  }
}
register(BidirectionalLayer);

/** `Bidirectional(LSTM(64))`, `Bidirectional(LSTM(64), { mergeMode: "sum" })`. */
export function Bidirectional(
  layer: RecurrentLayer,
  options: Omit<BidirectionalOptions, "layer"> = {},
): BidirectionalLayer {
  const o = layerOptions<BidirectionalOptions>("Bidirectional", options, ["mergeMode", "backwardLayer", "weights"]);
  if (!(layer instanceof RecurrentLayer)) {
    const hint = typeof layer === "function" ? " — did you forget to call it, e.g. layers.LSTM(64)?" : "";
    throw new Error(`Bidirectional wraps a recurrent layer such as layers.LSTM(64), got ${typeof layer}${hint}`);
  }
  return new BidirectionalLayer({ ...o, layer });
}

export interface TimeDistributedOptions extends LayerOptions {
  layer?: tf.layers.Layer;
}

export class TimeDistributedLayer extends Wrapper {
  static className = "TimeDistributed";
  readonly layer: tf.layers.Layer;

  constructor(o: TimeDistributedOptions & { layer: tf.layers.Layer | Saved }) {
    super("TimeDistributed", o);
    this.layer = o.layer instanceof tf.layers.Layer ? o.layer : deserializeLayer(o.layer);
    this.supportsMasking = true;
  }

  protected inner(): tf.layers.Layer[] {
    return [this.layer];
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = oneShape(inputShape);
    if (s.length < 3) {
      throw new Error(
        `\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: ${JSON.stringify(s).replace(/null/g, "None")}`,
      );
    }
    buildSublayer(this.layer, [s[0], ...s.slice(2)]);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = oneShape(inputShape);
    const inner = this.layer.computeOutputShape([s[0], ...s.slice(2)]) as Shape;
    return [inner[0], s[1], ...inner.slice(1)];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return (oneMask(mask) ?? null) as tf.Tensor;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = oneTensor(inputs);
      const time = x.shape[1] as number;
      const flat = tf.reshape(x, [-1, ...x.shape.slice(2)]);
      const y = this.layer.call(flat, { training: kwargs?.training }) as tf.Tensor;
      return tf.reshape(y, [-1, time, ...y.shape.slice(1)]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) as unknown as tf.serialization.ConfigDict };
  }
}
register(TimeDistributedLayer);

/** `TimeDistributed(Dense(8))`: the layer applied to every step of a (batch, time, …) input. */
export function TimeDistributed(layer: tf.layers.Layer, options: LayerOptions = {}): TimeDistributedLayer {
  const o = layerOptions<TimeDistributedOptions>("TimeDistributed", options, []);
  if (!(layer instanceof tf.layers.Layer)) {
    throw new Error(`TimeDistributed wraps a layer such as layers.Dense(8), got ${typeof layer}`);
  }
  return new TimeDistributedLayer({ ...o, layer });
}
