/** Converters for the values inside Keras layer configs: initializers, regularizers, activations, kernels. */
import { tf } from "../tf";
import type * as L from "../layers/index";
import { type Layer, type RegularizerLike, getExtras } from "../layers/extras";
import { type KerasObject, type KerasOptions } from "./keras-options";

type Serializable = { getClassName(): string; getConfig(): Record<string, unknown> };

/** `{ module: "keras.initializers", class_name, config }` from one of our initializer objects. */
export function objectToKeras(obj: unknown, module: string): KerasObject | null {
  if (obj == null || typeof obj === "function") return null;
  const s = obj as Serializable;
  if (typeof s.getClassName !== "function") return null;
  return { module, class_name: s.getClassName(), config: { ...s.getConfig() }, registered_name: null };
}

/** Our object for a Keras `{ class_name, config }` (or a bare name), through tfjs' class registry. */
export function objectFromKeras(o: KerasOptions, key: string, kind: string): unknown {
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

export const init = (o: KerasOptions, key: string) => objectFromKeras(o, key, "the initializer") as never;
export const reg = (o: KerasOptions, key: string) => objectFromKeras(o, key, "the regularizer") as never;

const TFJS_TO_KERAS_ACTIVATION: Record<string, string> = { hardSigmoid: "hard_sigmoid", swish: "silu" };

export function activationName(layer: Layer): string {
  const act = (layer as unknown as { activation?: { getClassName(): string } }).activation;
  const n = act?.getClassName() ?? "linear";
  return TFJS_TO_KERAS_ACTIVATION[n] ?? n;
}

export function activationFromKeras(o: KerasOptions): string {
  const a = o.get<unknown>("activation");
  if (a === undefined) return "linear";
  if (typeof a !== "string") throw o.fail("activation", `= ${JSON.stringify(a)}: only named activations can be loaded`);
  return a;
}

export function regularizersToKeras(layer: Layer, keys: ("kernel" | "bias" | "activity")[]): Record<string, unknown> {
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

export const field = <T>(layer: Layer, key: string): T => (layer as unknown as Record<string, T>)[key];

export function kernelToKeras(layer: Layer): Record<string, unknown> {
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

export function kernelFromKeras(o: KerasOptions): L.DenseOptions {
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

export const pairOf = (v: unknown) => (Array.isArray(v) ? [...v] : [v, v]) as [number, number];

/** Keras 2 writes a built BatchNormalization's axis as a list (`[1]`); one axis is all we support. */
export function singleAxis(o: KerasOptions): number | undefined {
  const axis = o.get<number | number[]>("axis");
  if (!Array.isArray(axis)) return axis;
  if (axis.length !== 1) throw o.fail("axis", `= ${JSON.stringify(axis)}: only one axis is supported`);
  return axis[0];
}

export const initToKeras = (v: unknown) => objectToKeras(v, "keras.initializers");

/** Options tslab-keras has no counterpart for (constraints, a recurrent regularizer): only `null` is accepted. */
export function onlyNull(o: KerasOptions, ...keys: string[]): void {
  for (const k of keys) o.only(k, null);
}

/** Keras' `data_format`: only "channels_last" is computed by tslab-keras. */
export function channelsLast(o: KerasOptions): void {
  o.only("data_format", "channels_last");
}

/** A number or a list of numbers, as Keras writes sizes (`pool_size: [2]`, `kernel_size: 3`). */
export const listOf = (v: unknown): number[] => (Array.isArray(v) ? [...(v as number[])] : [v as number]);
