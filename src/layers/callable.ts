/**
 * Callable layers: Keras writes `layers.Dense(64)(x)`. A tfjs-layers Layer is an object, so each factory
 * returns it wrapped in a Proxy over a function: calling it is `layer.apply(x)`, every property read and
 * write goes to the one layer object (so its state never splits), and `instanceof tf.layers.Layer`,
 * `.apply`, `.name`, Sequential and the engine see the layer exactly as before.
 *
 *   const x = Input({ shape: [784] });
 *   const h = layers.Dense(64, { activation: "relu" })(x);   // same as .apply(x)
 */
import { inspect } from "node:util";
import { tf } from "../tf";
import type { Layer } from "./extras";
import { kerasInputError } from "./input-errors";
import { advanceRandomStep } from "../backend/random";

/** A layer that can also be called like Keras' `layer(inputs)`. */
export type CallableLayer<L extends Layer = Layer> = L & {
  (inputs: tf.SymbolicTensor, kwargs?: Record<string, unknown>): tf.SymbolicTensor;
  (inputs: tf.SymbolicTensor[], kwargs?: Record<string, unknown>): tf.SymbolicTensor;
  (inputs: tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): tf.Tensor;
};

const TARGETS = new WeakMap<object, Layer>();
const WORDED = new WeakSet<Layer>();

/**
 * tfjs checks input ranks inside `apply` (symbolic calls, Sequential.add, predict) with messages of its own;
 * re-word them as Keras 3 does (input-errors.ts). Training runs `call`, so this costs nothing per step.
 */
function withKerasInputErrors(layer: Layer): void {
  if (WORDED.has(layer)) return;
  WORDED.add(layer);
  const apply = layer.apply;
  layer.apply = function (this: Layer, inputs, kwargs) {
    try {
      return apply.call(this, inputs, kwargs);
    } catch (e) {
      throw kerasInputError(layer, inputs, e);
    }
  } as Layer["apply"];
}

/** The plain tfjs layer behind a callable one (the layer itself when it is not wrapped). */
export function unwrapLayer<L extends Layer>(layer: L): L {
  return (TARGETS.get(layer) as L | undefined) ?? layer;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array [${value.map(describe).join(", ")}]`;
  if (value instanceof tf.layers.Layer) return `the layer '${value.name}' (${value.getClassName()})`;
  if (typeof value === "number") return `the number ${value}`;
  if (typeof value === "string") return `the string '${value}'`;
  return typeof value;
}

/** Keras' check that a layer is called on tensors (symbolic ones from Input, or concrete ones). */
export function checkCallInputs(layer: Layer, inputs: unknown): void {
  const ok = (t: unknown) => t instanceof tf.SymbolicTensor || t instanceof tf.Tensor;
  const list = Array.isArray(inputs) ? inputs : [inputs];
  if (list.length > 0 && list.every(ok)) return;
  const bad = list.find((t) => !ok(t));
  const hint =
    bad instanceof tf.layers.Layer
      ? " Call it on that layer's output instead, e.g. layers.Dense(10)(layers.Dense(64)(x)), where x = Input({ shape: [...] })."
      : typeof bad === "function"
        ? " Did you forget to call a layer factory, e.g. layers.Dense(10) instead of layers.Dense?"
        : " Create the model's inputs with Input({ shape: [...] }) and call layers on them (or on a tf.Tensor).";
  throw new Error(
    `Layer '${layer.name}' (${layer.getClassName()}) was called on ${describe(inputs)}; it expects a tensor: a symbolic tensor from Input() or another layer's output, or a tf.Tensor.${hint}`,
  );
}

/** Wraps a tfjs layer so it is also a function (`layer(x)` ≡ `layer.apply(x)`). Idempotent. */
export function callable<L extends Layer>(layer: L): CallableLayer<L> {
  if (TARGETS.has(layer)) return layer as CallableLayer<L>;
  withKerasInputErrors(layer);
  // An arrow function has no `prototype`; its own `name` and `length` are never reported (the layer's are).
  const target = (() => undefined) as unknown as object;
  // util.inspect (and so a notebook cell's printed value) reads the proxy's target: show Keras' repr.
  Object.defineProperty(target, inspect.custom, {
    value: () => `<${layer.getClassName()} name=${layer.name}, built=${layer.built ? "True" : "False"}>`,
  });
  const proxy = new Proxy(target, {
    apply: (_t, _this, args: unknown[]) => {
      checkCallInputs(layer, args[0]);
      // `layer(x, { training: true })` on data draws afresh each call, as a Keras seed generator does.
      const concrete = (Array.isArray(args[0]) ? args[0] : [args[0]]).every((t) => t instanceof tf.Tensor);
      if (concrete && (args[1] as { training?: unknown } | undefined)?.training === true) advanceRandomStep();
      return (proxy as unknown as Layer).apply(args[0] as tf.SymbolicTensor, args[1] as tf.serialization.ConfigDict);
    },
    get: (_t, key) => Reflect.get(layer, key),
    set: (_t, key, value) => Reflect.set(layer, key, value),
    has: (_t, key) => Reflect.has(layer, key),
    deleteProperty: (_t, key) => Reflect.deleteProperty(layer, key),
    defineProperty: (_t, key, desc) => Reflect.defineProperty(layer, key, desc),
    getPrototypeOf: () => Reflect.getPrototypeOf(layer),
    setPrototypeOf: (_t, proto) => Reflect.setPrototypeOf(layer, proto),
    ownKeys: () => Reflect.ownKeys(layer),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(layer, key);
      return d ? { ...d, configurable: true } : undefined;
    },
  }) as unknown as CallableLayer<L>;
  TARGETS.set(proxy, layer);
  return proxy;
}
