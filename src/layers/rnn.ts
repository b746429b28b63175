/**
 * What Keras' recurrent layers (SimpleRNN, LSTM, GRU) share: options, weights (`kernel`,
 * `recurrent_kernel`, `bias`), the loop over time steps with masks (a masked step keeps the previous
 * state and output, as Keras' backend `rnn` does), `goBackwards`, `returnSequences`, `returnState`,
 * and Keras 3's dropout: one input mask and one recurrent mask per call, shared by every time step and
 * gate, drawn only in training from `backend/random` (seeded per layer, fresh each training step).
 *
 * The input projection x·W + b of all time steps is one matMul before the loop; each step then does
 * only the recurrent part, so the ops are the ones a traced graph replays efficiently.
 */
import { tf } from "../tf";
import { dropout as dropoutOp } from "../backend/random";
import { type ActivationFn, activationFn, activationName } from "./activation-fns";
import {
  type InitializerIdentifier,
  type LayerOptions,
  type RegularizerIdentifier,
  initializer,
  positiveInt,
  regularizer,
} from "./common";
import { setExtras } from "./extras";
import { KerasLayer, type Kwargs, type Shape, checkNdim, oneMask, oneShape, oneTensor } from "./base";
import { layerOptions, rateIn } from "./options";

export interface RNNOptions extends LayerOptions {
  units?: number;
  activation?: string | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
  activityRegularizer?: RegularizerIdentifier;
  dropout?: number;
  recurrentDropout?: number;
  returnSequences?: boolean;
  returnState?: boolean;
  goBackwards?: boolean;
  /** Accepted for Keras compatibility; the loop is always unrolled over the (static) time axis. */
  unroll?: boolean;
  /** Only `false` (Keras' default) is supported. */
  stateful?: boolean;
  seed?: number;
  /** Masked steps output zeros instead of the previous output (Bidirectional sets it, as Keras does). */
  zeroOutputForMask?: boolean;
}

export const RNN_OPTIONS = [
  "units",
  "activation",
  "useBias",
  "kernelInitializer",
  "recurrentInitializer",
  "biasInitializer",
  "kernelRegularizer",
  "biasRegularizer",
  "activityRegularizer",
  "dropout",
  "recurrentDropout",
  "returnSequences",
  "returnState",
  "goBackwards",
  "unroll",
  "stateful",
  "seed",
  "zeroOutputForMask",
];

type Variable = tf.LayerVariable;

/** Normalises the `(units, options)` / `(options)` call forms of an RNN factory. */
export function rnnOptions<T extends RNNOptions>(
  cls: string,
  units: number | T,
  options: T | undefined,
  own: string[],
) {
  const raw = typeof units === "number" ? { ...(options ?? {}), units } : units;
  return layerOptions<T>(cls, raw as T, [...RNN_OPTIONS, ...own]);
}

export abstract class RecurrentLayer extends KerasLayer {
  readonly units: number;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly useBias: boolean;
  readonly zeroOutputForMask: boolean;
  protected readonly activationName: string;
  protected readonly activation: ActivationFn;
  protected readonly options: RNNOptions;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;
  /** Columns of the kernel per unit (1 SimpleRNN, 3 GRU, 4 LSTM). */
  protected abstract readonly gates: number;
  /** Number of states (2 for LSTM's h and c). */
  protected abstract readonly stateCount: number;

  constructor(className: string, o: RNNOptions) {
    super(className, o);
    this.options = o;
    this.units = positiveInt(o.units, `${className}: units`);
    this.returnSequences = o.returnSequences ?? false;
    this.returnState = o.returnState ?? false;
    this.goBackwards = o.goBackwards ?? false;
    this.useBias = o.useBias ?? true;
    this.zeroOutputForMask = o.zeroOutputForMask ?? false;
    this.dropout = rateIn(o.dropout ?? 0, `${className}: dropout`, 0, 1, true);
    this.recurrentDropout = rateIn(o.recurrentDropout ?? 0, `${className}: recurrentDropout`, 0, 1, true);
    this.activationName = activationName(o.activation === undefined ? "tanh" : o.activation);
    this.activation = activationFn(this.activationName);
    if (o.stateful) {
      throw new Error(`${className}: stateful=true is not supported by tslab-keras; use the default stateful=false`);
    }
    this.supportsMasking = true;
    setExtras(this, {
      kernelRegularizer: regularizer(o.kernelRegularizer),
      biasRegularizer: regularizer(o.biasRegularizer),
      activityRegularizer: regularizer(o.activityRegularizer),
    });
  }

  /** The bias' shape (GRU with reset_after has two rows). */
  protected biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** The initial bias values (LSTM's unit_forget_bias overrides it). */
  protected initialBias(): tf.Tensor | undefined {
    return undefined;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    try {
      checkNdim(this.name, shape, 3);
    } catch (e) {
      const takes = ". A recurrent layer takes (batch, timesteps, features)";
      const rest = shape.slice(2);
      const features = rest.every((d) => d !== null) ? (rest as number[]).reduce((a, b) => a * b, 1) : null;
      const hint =
        shape.length === 2
          ? `${takes}: for integer token ids put an Embedding layer first (layers.Embedding(vocabularySize, 32)); for one feature per step reshape to [timesteps, 1].`
          : shape.length > 3 && shape[1] !== null && features !== null
            ? `${takes}: put a layers.Reshape([${shape[1]}, ${features}]) first (${shape[1]} steps of ${features} features each), or use convolutions for images.`
            : "";
      throw new Error((e as Error).message + hint);
    }
    const dim = shape[2];
    if (dim === null) throw new Error(`${this.getClassName()} "${this.name}": the last input axis must be known`);
    const o = this.options;
    const n = this.gates * this.units;
    this.kernel = this.addWeight(
      "kernel",
      [dim, n],
      "float32",
      initializer(o.kernelInitializer, "glorot_uniform") as never,
    );
    this.recurrentKernel = this.addWeight(
      "recurrent_kernel",
      [this.units, n],
      "float32",
      initializer(o.recurrentInitializer, "orthogonal") as never,
    );
    if (this.useBias) {
      this.bias = this.addWeight("bias", this.biasShape(), "float32", initializer(o.biasInitializer, "zeros") as never);
      const start = this.initialBias();
      if (start) {
        this.bias.write(start);
        start.dispose();
      }
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const s = oneShape(inputShape);
    const out: Shape = this.returnSequences ? [s[0], s[1], this.units] : [s[0], this.units];
    if (!this.returnState) return out;
    return [out, ...Array.from({ length: this.stateCount }, () => [s[0], this.units])];
  }

  override computeMask(_inputs: tf.Tensor | tf.Tensor[], mask?: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
    const m = this.returnSequences ? (oneMask(mask) ?? null) : null;
    if (!this.returnState) return m as tf.Tensor;
    return [m, ...Array.from({ length: this.stateCount }, () => null)] as unknown as tf.Tensor[];
  }

  /**
   * x·W (+ input bias) for every step: [batch, time, gates*units]. In training with dropout, Keras drops
   * inputs with one mask per sample shared by every step: one mask for all gates, or one per gate when
   * recurrent dropout is on too (Keras then switches to its per-gate "implementation 1").
   */
  protected inputProjection(x: tf.Tensor, training: boolean): tf.Tensor {
    const [, time, dim] = x.shape;
    const u = this.units;
    const kernel = this.kernel!.read();
    const drop = (g: number) => dropoutOp(x, this.dropout, this.seed + g, [null, 1, null]);
    let flat: tf.Tensor;
    if (!training || !(this.dropout > 0 && this.dropout < 1) || !this.perGateMasks()) {
      flat = tf.matMul(tf.reshape(this.droppedInput(x, training), [-1, dim]), kernel);
    } else {
      const parts = Array.from({ length: this.gates }, (_, g) =>
        tf.matMul(tf.reshape(drop(g), [-1, dim]), tf.slice(kernel, [0, g * u], [dim, u])),
      );
      flat = tf.concat(parts, 1);
    }
    const withBias = this.useBias ? tf.add(flat, this.inputBias()) : flat;
    return tf.reshape(withBias, [-1, time, this.gates * u]);
  }

  /** The input with Keras' one dropout mask per sample (shared by every step and gate) in training. */
  protected droppedInput(x: tf.Tensor, training: boolean): tf.Tensor {
    if (!training || !(this.dropout > 0 && this.dropout < 1)) return x;
    return dropoutOp(x, this.dropout, this.seed, [null, 1, null]);
  }

  /**
   * The whole sequence in one kernel, when the layer has one for this call (LSTM: BlockLSTM), or
   * undefined to run the step loop. Called only without a mask or recurrent dropout in training; gets x
   * (batch-major, in processing order) and the initial states, returns the outputs per processed step
   * [batch, time, units] and the final states (h first).
   */
  protected fusedSequence(
    _x: tf.Tensor,
    _initial: tf.Tensor[] | undefined,
    _training: boolean,
  ): { outputs: tf.Tensor; states: tf.Tensor[] } | undefined {
    return undefined;
  }

  /** Keras drops per gate (separate masks) when recurrent dropout is on (LSTM and GRU). */
  protected perGateMasks(): boolean {
    return this.gates > 1 && this.recurrentDropout > 0;
  }

  /**
   * h·U for gates [from, to): one matMul, or one per gate when each gate has its own dropped copy of h.
   */
  protected recurrent(hIns: tf.Tensor[], from: number, to: number): tf.Tensor {
    const u = this.units;
    const U = this.recurrentKernel!.read();
    const slice = (a: number, b: number) =>
      a === 0 && b === this.gates ? U : tf.slice(U, [0, a * u], [u, (b - a) * u]);
    if (hIns.length === 1) return tf.matMul(hIns[0], slice(from, to));
    const parts: tf.Tensor[] = [];
    for (let g = from; g < to; g++) parts.push(tf.matMul(hIns[g], slice(g, g + 1)));
    return parts.length === 1 ? parts[0] : tf.concat(parts, 1);
  }

  /** The part of the bias added to x·W. */
  protected inputBias(): tf.Tensor {
    return this.bias!.read();
  }

  /**
   * One step: the projected input, the previous states (h first), and h as the recurrent matMuls see it
   * (one entry, or one per gate under recurrent dropout). Returns the new states, h first.
   */
  protected abstract step(xw: tf.Tensor, states: tf.Tensor[], hIns: tf.Tensor[]): tf.Tensor[];

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      let x = oneTensor(inputs);
      checkNdim(this.name, [null, ...x.shape.slice(1)], 3);
      if (x.dtype !== "float32") x = tf.cast(x, "float32");
      const training = kwargs?.training === true;
      const mask = oneMask(kwargs?.mask);
      const given = kwargs?.initialState as tf.Tensor | tf.Tensor[] | undefined;
      const initial = given === undefined ? undefined : Array.isArray(given) ? given : [given];
      const recurrentDropping = training && this.recurrentDropout > 0 && this.recurrentDropout < 1;
      const fused = mask || recurrentDropping ? undefined : this.fusedSequence(this.ordered(x), initial, training);
      if (fused) {
        const out = this.returnSequences ? fused.outputs : fused.states[0];
        return this.returnState ? [out, ...fused.states] : out;
      }
      let steps = tf.unstack(tf.transpose(this.inputProjection(x, training), [1, 0, 2]));
      let masks = mask
        ? tf.unstack(tf.transpose(tf.cast(tf.reshape(mask, [-1, x.shape[1] as number]), "float32")))
        : undefined;
      if (this.goBackwards) {
        steps = [...steps].reverse(); // a copy: unstack's array is also its tape record
        masks = masks && [...masks].reverse();
      }
      const zeros = tf.zerosLike(tf.slice(steps[0], [0, 0], [-1, this.units]));
      let states: tf.Tensor[] = initial ?? Array.from({ length: this.stateCount }, () => zeros);
      const recMasks = recurrentDropping
        ? Array.from({ length: this.gates }, (_, g) =>
            dropoutOp(tf.onesLike(zeros), this.recurrentDropout, this.seed + 1000 + g),
          )
        : undefined;
      const outputs: tf.Tensor[] = [];
      let prevOutput = zeros;
      for (let t = 0; t < steps.length; t++) {
        const hIns = recMasks ? recMasks.map((m) => tf.mul(states[0], m)) : [states[0]];
        let next = this.step(steps[t], states, hIns);
        let output = next[0];
        if (masks) {
          const m = tf.expandDims(masks[t], 1);
          const keep = (a: tf.Tensor, b: tf.Tensor) => tf.add(tf.mul(a, m), tf.mul(b, tf.sub(1, m)));
          next = next.map((s, i) => keep(s, states[i]));
          output = keep(output, this.zeroOutputForMask ? zeros : prevOutput);
        }
        states = next;
        prevOutput = output;
        if (this.returnSequences) outputs.push(output);
      }
      const out = this.returnSequences ? tf.stack(outputs, 1) : prevOutput;
      return this.returnState ? [out, ...states] : out;
    });
  }

  /** x in processing order (reversed in time for goBackwards). */
  private ordered(x: tf.Tensor): tf.Tensor {
    return this.goBackwards ? tf.reverse(x, 1) : x;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const o = this.options;
    const name = (i: InitializerIdentifier | undefined) => (typeof i === "string" ? i : undefined);
    const config: tf.serialization.ConfigDict = {
      ...super.getConfig(),
      units: this.units,
      activation: this.activationName,
      useBias: this.useBias,
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
    for (const k of ["kernelInitializer", "recurrentInitializer", "biasInitializer"] as const) {
      const v = name(o[k]);
      if (v !== undefined) config[k] = v;
    }
    if (this.zeroOutputForMask) config.zeroOutputForMask = true;
    return config;
  }
}
