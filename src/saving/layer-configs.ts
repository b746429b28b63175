/**
 * Keras 3 layer configs ⇄ tslab-keras layers, one registry entry per layer class. The model containers
 * (Sequential here; a functional graph later) only call `layerToKeras` / `layerFromKeras`: a new layer
 * class plugs in with `registerLayerMapping`, nothing else changes.
 *
 * Reading is strict: an option the library cannot honour (a constraint, `groups: 2`, a non-float32
 * dtype, an unknown key) is an error naming the layer, its class and the option — never silently dropped.
 */
import { tf } from "../tf";
import * as L from "../layers/index";
import { type Layer, type RegularizerLike, getExtras } from "../layers/extras";

export type KerasObject = {
  module?: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name?: string | null;
  build_config?: { input_shape?: (number | null)[] };
};

/** Reads a Keras layer config, remembering which options were consumed. */
export class KerasOptions {
  private readonly used = new Set<string>(["name", "trainable", "dtype"]);
  constructor(
    readonly className: string,
    readonly config: Record<string, unknown>,
  ) {}

  get layerName(): string {
    return String(this.config.name ?? "?");
  }

  fail(option: string, why: string): Error {
    return new Error(`Layer '${this.layerName}' (${this.className}): option '${option}' ${why}`);
  }

  /** The value of `key` (undefined when absent). */
  get<T = unknown>(key: string): T | undefined {
    this.used.add(key);
    const v = this.config[key];
    return v === null ? undefined : (v as T);
  }

  /** Accepts `key` only when absent or equal to `expected` (an option the library does not implement). */
  only(key: string, ...expected: unknown[]): void {
    this.used.add(key);
    if (!(key in this.config)) return;
    const v = JSON.stringify(this.config[key]);
    if (!expected.some((e) => JSON.stringify(e) === v)) {
      throw this.fail(
        key,
        `= ${v} is not supported by tslab-keras (supported: ${expected.map((e) => JSON.stringify(e)).join(" or ")})`,
      );
    }
  }

  /** Throws on any option nobody read. */
  finish(): void {
    for (const key of Object.keys(this.config)) {
      if (!this.used.has(key)) throw this.fail(key, "is not known to tslab-keras for this layer class");
    }
  }

  /** The options every layer shares: name, trainable, and for a first layer its input shape. */
  base(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.config.name };
    if (this.config.trainable === false) out.trainable = false;
    const dtype = this.config.dtype;
    const dtypeName =
      dtype && typeof dtype === "object" ? (dtype as { config?: { name?: string } }).config?.name : dtype;
    if (dtypeName !== undefined && dtypeName !== null && dtypeName !== "float32") {
      throw this.fail("dtype", `= ${JSON.stringify(dtypeName)} is not supported (tslab-keras computes in float32)`);
    }
    // Keras 2 configs put the model's input shape on the first layer.
    const batch = this.get<(number | null)[]>("batch_input_shape");
    if (batch) out.inputShape = batch.slice(1);
    return out;
  }
}

export interface LayerMapping {
  /** Keras' class name ("Dense"); also the tfjs-layers class name unless `tfjsClassName` says otherwise. */
  kerasClassName: string;
  tfjsClassName?: string;
  /** The class's own options in Keras' snake_case (name, trainable and dtype are added by the caller). */
  toKeras(layer: Layer): Record<string, unknown>;
  fromKeras(o: KerasOptions): Layer;
}

const BY_KERAS = new Map<string, LayerMapping>();
const BY_TFJS = new Map<string, LayerMapping>();

export function registerLayerMapping(m: LayerMapping): void {
  BY_KERAS.set(m.kerasClassName, m);
  BY_TFJS.set(m.tfjsClassName ?? m.kerasClassName, m);
}

export const DTYPE_POLICY = {
  module: "keras",
  class_name: "DTypePolicy",
  config: { name: "float32" },
  registered_name: null,
};

/** Keras' layer entry `{ module, class_name, config, registered_name, build_config }` for a built layer. */
export function layerToKeras(layer: Layer): KerasObject {
  const m = BY_TFJS.get(layer.getClassName());
  if (!m) return tslabLayerEntry(layer);
  const entry: KerasObject = {
    module: "keras.layers",
    class_name: m.kerasClassName,
    config: { name: layer.name, trainable: layer.trainable, dtype: DTYPE_POLICY, ...m.toKeras(layer) },
    registered_name: null,
  };
  const inputShape = builtInputShape(layer);
  if (inputShape) entry.build_config = { input_shape: inputShape };
  return entry;
}

function builtInputShape(layer: Layer): (number | null)[] | undefined {
  try {
    const input = (layer as unknown as { input: { shape: (number | null)[] } }).input;
    return [...input.shape];
  } catch {
    return undefined; // not connected yet
  }
}

/** A new layer from a Keras layer entry (Keras 3 or Keras 2 style). */
export function layerFromKeras(entry: KerasObject): Layer {
  const name = entry.class_name;
  const m = BY_KERAS.get(name);
  const config = entry.config ?? {};
  if (!m && entry.registered_name?.startsWith(TSLAB_PREFIX)) return tslabLayerFromEntry(entry);
  if (!m) {
    throw new Error(
      `Layer '${String(config.name ?? "?")}' (${name}) cannot be loaded: tslab-keras has no layer class '${name}' (it knows ${[...BY_KERAS.keys()].join(", ")}).`,
    );
  }
  const o = new KerasOptions(name, config);
  const layer = m.fromKeras(o);
  o.finish();
  return layer;
}

export function knownKerasLayer(className: string): boolean {
  return BY_KERAS.has(className);
}

/**
 * A layer with no Keras mapping yet (the recurrent, pooling, augmentation … layers) is saved as a
 * registered custom object, `registered_name: "tslab_keras>LSTM"`, holding the layer's own config, so
 * tslab-keras loads it back exactly; Python Keras refuses such an entry (it names the class it lacks)
 * rather than misreading it.
 */
const TSLAB_PREFIX = "tslab_keras>";

function tslabLayerEntry(layer: Layer): KerasObject {
  const className = layer.getClassName();
  if (!tf.serialization.SerializationMap.getMap().classNameMap[className]) {
    throw new Error(
      `Layer '${layer.name}' (${className}) cannot be saved: it is not a registered layer class (tf.serialization.registerClass).`,
    );
  }
  const entry: KerasObject = {
    module: "tslab_keras.layers",
    class_name: className,
    config: { name: layer.name, trainable: layer.trainable, dtype: DTYPE_POLICY, tslab_config: layer.getConfig() },
    registered_name: TSLAB_PREFIX + className,
  };
  const inputShape = builtInputShape(layer);
  if (inputShape) entry.build_config = { input_shape: inputShape };
  return entry;
}

function tslabLayerFromEntry(entry: KerasObject): Layer {
  const className = entry.registered_name!.slice(TSLAB_PREFIX.length);
  const config = (entry.config as { tslab_config?: tf.serialization.ConfigDict }).tslab_config;
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (!config || !registered) {
    throw new Error(
      `Layer '${String(entry.config?.name ?? "?")}' (${className}) cannot be loaded: this tslab-keras has no such layer class.`,
    );
  }
  const [cls, fromConfig] = registered;
  return fromConfig(cls, config) as unknown as Layer;
}

// ---- value converters ------------------------------------------------------------------------------

type Serializable = { getClassName(): string; getConfig(): Record<string, unknown> };

/** `{ module: "keras.initializers", class_name, config }` from one of our initializer objects. */
export function objectToKeras(obj: unknown, module: string): KerasObject | null {
  if (obj == null || typeof obj === "function") return null;
  const s = obj as Serializable;
  if (typeof s.getClassName !== "function") return null;
  return { module, class_name: s.getClassName(), config: { ...s.getConfig() }, registered_name: null };
}

/** Our object for a Keras `{ class_name, config }` (or a bare name), through tfjs' class registry. */
function objectFromKeras(o: KerasOptions, key: string, kind: string): unknown {
  const v = o.get<KerasObject | string>(key);
  if (v === undefined) return undefined;
  if (typeof v === "string") return v;
  const known = tf.serialization.SerializationMap.getMap().classNameMap;
  const entry = known[v.class_name];
  if (!entry) throw o.fail(key, `names ${kind} '${v.class_name}', which tslab-keras does not have`);
  const config = Object.fromEntries(Object.entries(v.config ?? {}).filter(([, x]) => x !== null));
  try {
    return entry[1](entry[0], config as tf.serialization.ConfigDict);
  } catch (e) {
    throw o.fail(key, `cannot be restored: ${(e as Error).message}`);
  }
}

const init = (o: KerasOptions, key: string) => objectFromKeras(o, key, "the initializer") as never;
const reg = (o: KerasOptions, key: string) => objectFromKeras(o, key, "the regularizer") as never;

const TFJS_TO_KERAS_ACTIVATION: Record<string, string> = { hardSigmoid: "hard_sigmoid", swish: "silu" };

function activationName(layer: Layer): string {
  const act = (layer as unknown as { activation?: { getClassName(): string } }).activation;
  const n = act?.getClassName() ?? "linear";
  return TFJS_TO_KERAS_ACTIVATION[n] ?? n;
}

function activationFromKeras(o: KerasOptions): string {
  const a = o.get<unknown>("activation");
  if (a === undefined) return "linear";
  if (typeof a !== "string") throw o.fail("activation", `= ${JSON.stringify(a)}: only named activations can be loaded`);
  return a;
}

function regularizersToKeras(layer: Layer, keys: ("kernel" | "bias" | "activity")[]): Record<string, unknown> {
  const ex = getExtras(layer);
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const r = ex?.[`${k}Regularizer`] as RegularizerLike | undefined;
    if (r !== undefined && typeof r === "function") {
      throw new Error(
        `Layer '${layer.name}': its ${k} regularizer is a plain function, which Keras' format cannot hold.`,
      );
    }
    out[`${k}_regularizer`] = objectToKeras(r, "keras.regularizers");
  }
  return out;
}

const field = <T>(layer: Layer, key: string): T => (layer as unknown as Record<string, T>)[key];

// ---- the layers ------------------------------------------------------------------------------------

function kernelToKeras(layer: Layer): Record<string, unknown> {
  return {
    activation: activationName(layer),
    use_bias: field<boolean>(layer, "useBias"),
    kernel_initializer: objectToKeras(field(layer, "kernelInitializer"), "keras.initializers"),
    bias_initializer: objectToKeras(field(layer, "biasInitializer"), "keras.initializers"),
    ...regularizersToKeras(layer, ["kernel", "bias", "activity"]),
    kernel_constraint: null,
    bias_constraint: null,
  };
}

function kernelFromKeras(o: KerasOptions): L.DenseOptions {
  o.only("kernel_constraint", null);
  o.only("bias_constraint", null);
  return {
    activation: activationFromKeras(o),
    useBias: o.get<boolean>("use_bias") ?? true,
    kernelInitializer: init(o, "kernel_initializer"),
    biasInitializer: init(o, "bias_initializer"),
    kernelRegularizer: reg(o, "kernel_regularizer"),
    biasRegularizer: reg(o, "bias_regularizer"),
    activityRegularizer: reg(o, "activity_regularizer"),
  };
}

registerLayerMapping({
  kerasClassName: "Dense",
  toKeras: (l) => ({ units: field<number>(l, "units"), ...kernelToKeras(l), quantization_config: null }),
  fromKeras: (o) => {
    o.only("quantization_config", null);
    o.only("lora_rank", null, 0);
    return L.Dense({ ...o.base(), ...kernelFromKeras(o), units: o.get<number>("units")! });
  },
});

const pairOf = (v: unknown) => (Array.isArray(v) ? [...v] : [v, v]) as [number, number];

registerLayerMapping({
  kerasClassName: "Conv2D",
  toKeras: (l) => ({
    filters: field<number>(l, "filters"),
    kernel_size: pairOf(field(l, "kernelSize")),
    strides: pairOf(field(l, "strides")),
    padding: field<string>(l, "padding"),
    data_format: "channels_last",
    dilation_rate: pairOf(field(l, "dilationRate")),
    groups: 1,
    ...kernelToKeras(l),
  }),
  fromKeras: (o) => {
    o.only("data_format", "channels_last");
    o.only("groups", 1);
    o.only("lora_rank", null, 0);
    return L.Conv2D({
      ...o.base(),
      ...kernelFromKeras(o),
      filters: o.get<number>("filters")!,
      kernelSize: o.get<[number, number]>("kernel_size")!,
      strides: o.get<[number, number]>("strides"),
      padding: o.get<"valid" | "same">("padding"),
      dilationRate: o.get<[number, number]>("dilation_rate"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "MaxPooling2D",
  toKeras: (l) => ({
    pool_size: pairOf(field(l, "poolSize")),
    padding: field<string>(l, "padding"),
    strides: pairOf(field(l, "strides")),
    data_format: "channels_last",
  }),
  fromKeras: (o) => {
    o.only("data_format", "channels_last");
    return L.MaxPooling2D({
      ...o.base(),
      poolSize: o.get<[number, number]>("pool_size"),
      strides: o.get<[number, number]>("strides"),
      padding: o.get<"valid" | "same">("padding"),
    });
  },
});

registerLayerMapping({
  kerasClassName: "Dropout",
  toKeras: (l) => ({ rate: field<number>(l, "rate"), seed: null, noise_shape: field(l, "noiseShape") ?? null }),
  fromKeras: (o) =>
    L.Dropout({
      ...o.base(),
      rate: o.get<number>("rate")!,
      seed: o.get<number>("seed"),
      noiseShape: o.get<number[]>("noise_shape"),
    }),
});

registerLayerMapping({
  kerasClassName: "Flatten",
  toKeras: () => ({ data_format: "channels_last" }),
  fromKeras: (o) => {
    o.only("data_format", "channels_last");
    return L.Flatten(o.base());
  },
});

registerLayerMapping({
  kerasClassName: "Activation",
  toKeras: (l) => ({ activation: activationName(l) }),
  fromKeras: (o) => L.Activation({ ...o.base(), activation: activationFromKeras(o) }),
});

registerLayerMapping({
  kerasClassName: "Reshape",
  toKeras: (l) => ({ target_shape: [...field<number[]>(l, "targetShape")] }),
  fromKeras: (o) => L.Reshape({ ...o.base(), targetShape: o.get<number[]>("target_shape")! }),
});

/** Keras 2 writes a built BatchNormalization's axis as a list (`[1]`); one axis is all we support. */
function singleAxis(o: KerasOptions): number | undefined {
  const axis = o.get<number | number[]>("axis");
  if (!Array.isArray(axis)) return axis;
  if (axis.length !== 1) throw o.fail("axis", `= ${JSON.stringify(axis)}: only one axis is supported`);
  return axis[0];
}

registerLayerMapping({
  kerasClassName: "BatchNormalization",
  toKeras: (l) => ({
    axis: field<number>(l, "axis"),
    momentum: field<number>(l, "momentum"),
    epsilon: field<number>(l, "epsilon"),
    center: field<boolean>(l, "center"),
    scale: field<boolean>(l, "scale"),
    beta_initializer: objectToKeras(field(l, "betaInitializer"), "keras.initializers"),
    gamma_initializer: objectToKeras(field(l, "gammaInitializer"), "keras.initializers"),
    moving_mean_initializer: objectToKeras(field(l, "movingMeanInitializer"), "keras.initializers"),
    moving_variance_initializer: objectToKeras(field(l, "movingVarianceInitializer"), "keras.initializers"),
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
    synchronized: false,
  }),
  fromKeras: (o) => {
    for (const k of ["beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"]) o.only(k, null);
    o.only("synchronized", false);
    o.only("renorm", false);
    o.only("renorm_clipping", null);
    o.only("renorm_momentum", 0.99);
    return L.BatchNormalization({
      ...o.base(),
      axis: singleAxis(o),
      momentum: o.get<number>("momentum"),
      epsilon: o.get<number>("epsilon"),
      center: o.get<boolean>("center"),
      scale: o.get<boolean>("scale"),
      betaInitializer: init(o, "beta_initializer"),
      gammaInitializer: init(o, "gamma_initializer"),
      movingMeanInitializer: init(o, "moving_mean_initializer"),
      movingVarianceInitializer: init(o, "moving_variance_initializer"),
    });
  },
});
