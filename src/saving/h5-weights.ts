/**
 * Keras 3's weights layout (`model.weights.h5` inside a `.keras` zip, and `.weights.h5` files):
 *   layers/<snake class name, made unique: dense, dense_1, …>/vars/0, 1, …   (each layer's weights)
 *     …/cell/vars, …/forward_layer/cell/vars                                 (sub-objects', see kerasWeightGroups)
 *   optimizer/vars/0 iterations (int64), 1 learning_rate, then the slots in Keras' order
 *   vars                                                                     (the model's own: none)
 * Keras addresses a layer by its class (not its name), in model order; so do we.
 */
import { tf } from "../tf";
import type { Layer } from "../layers/extras";
import { ensureGroup, type H5File, type H5Group, getDataset, getGroup, readFloat32, readNumber } from "./h5";
import { writeFloat32, writeInt64, writeInt64Scalar } from "./h5";
import { kerasClassName, kerasWeightGroups } from "./layer-configs";
import type { SaveableModel } from "./model-config";

/** Keras' `naming.to_snake_case`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** Keras' per-container unique keys for the layers: dense, dense_1, batch_normalization, … */
export function layerKeys(layers: Layer[]): string[] {
  const used = new Map<string, number>();
  return layers.map((l) => {
    const base = toSnakeCase(kerasClassName(l));
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  });
}

/** Keras' optimizer variable groups (each group is created for every variable in turn). */
const SLOT_GROUPS: Record<string, string[][]> = {
  SGD: [["momentum"]],
  Adam: [["momentum", "velocity"], ["velocity_hat"]],
  RMSprop: [["velocity"], ["momentum"], ["average_gradient"]],
  Adagrad: [["accumulator"]],
  Adadelta: [["accumulated_grad", "accumulated_delta_var"]],
  Adamax: [["momentum", "norm"]],
};

type KerasOpt = tf.Optimizer & { slotNames(): readonly string[]; learningRate: number; name?: string };

function slotOrder(opt: KerasOpt, vars: tf.Variable[]): { varName: string; slot: string; shape: number[] }[] {
  const own = new Set(opt.slotNames());
  const groups = SLOT_GROUPS[opt.getClassName()];
  if (!groups) throw new Error(`Optimizer ${opt.getClassName()} cannot be saved in Keras' format.`);
  const out: { varName: string; slot: string; shape: number[] }[] = [];
  for (const group of groups) {
    const slots = group.filter((s) => own.has(s));
    for (const v of vars) for (const slot of slots) out.push({ varName: v.name, slot, shape: [...v.shape] });
  }
  return out;
}

function initialSlot(opt: KerasOpt, slot: string): number {
  return (opt as unknown as { slotInitialValue(s: string): number }).slotInitialValue(slot);
}

/** Writes the model's layer weights and, when compiled, the optimizer's state into `file` (open, "w"). */
export async function writeKerasWeights(f: H5File, model: SaveableModel, withOptimizer = true): Promise<void> {
  const layers = model.runtimeLayers();
  const keys = layerKeys(layers);
  layers.forEach((layer, i) => {
    for (const g of kerasWeightGroups(layer)) {
      const vars = ensureGroup(f, `layers/${keys[i]}/${g.path}`).create_group("vars");
      vars.create_attribute("name", g.name);
      g.weights.forEach((w, j) => {
        const t = w.read();
        if (g.int64?.includes(j)) writeInt64(vars, String(j), t.dataSync(), [...t.shape]);
        else writeFloat32(vars, String(j), t.dataSync() as Float32Array, [...t.shape]);
      });
    }
  });
  f.create_group("vars").create_attribute("name", model.name);
  const opt = model.compileState()?.optimizer as KerasOpt | undefined;
  if (!withOptimizer || !opt || typeof opt.slotNames !== "function") return;
  const vars = ensureGroup(f, "optimizer").create_group("vars");
  vars.create_attribute("name", opt.name ?? opt.getClassName().toLowerCase());
  const saved = await opt.getWeights();
  try {
    const byName = new Map(saved.map((w) => [w.name, w.tensor]));
    writeInt64Scalar(vars, "0", opt.iterations);
    writeFloat32(vars, "1", Float32Array.of(opt.learningRate), []);
    slotOrder(opt, model.trainableVariables()).forEach((s, k) => {
      const t = byName.get(`${s.varName}/${s.slot}`);
      const size = s.shape.reduce((a, b) => a * b, 1);
      const values = t ? (t.dataSync() as Float32Array) : new Float32Array(size).fill(initialSlot(opt, s.slot));
      writeFloat32(vars, String(k + 2), values, s.shape);
    });
  } finally {
    tf.dispose(saved.filter((w) => w.name === "iter").map((w) => w.tensor));
  }
}

function varsOf(group: H5Group | undefined): H5Group | undefined {
  return group ? getGroup(group, "vars") : undefined;
}

function datasetsInOrder(vars: H5Group | undefined): string[] {
  if (!vars) return [];
  return vars
    .keys()
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b));
}

/** Loads layer weights (and optimizer state when `withOptimizer` and the file has it) into `model`. */
export async function readKerasWeights(
  f: H5File,
  model: SaveableModel,
  source: string,
  withOptimizer = true,
): Promise<void> {
  const layers = model.runtimeLayers();
  const keys = layerKeys(layers);
  const root = getGroup(f, "layers") ?? getGroup(f, "_layer_checkpoint_dependencies");
  if (!root) throw new Error(`${source} holds no Keras 3 layer weights (no 'layers' group)`);
  const pending: { layer: Layer; tensors: tf.Tensor[] }[] = [];
  try {
    layers.forEach((layer, i) => {
      const values = new Map<tf.LayerVariable, tf.Tensor>();
      pending.push({ layer, tensors: [] });
      for (const g of kerasWeightGroups(layer)) {
        const at = g.path ? `${keys[i]}/${g.path}` : keys[i];
        const vars = varsOf(getGroup(root, at));
        const names = datasetsInOrder(vars);
        if (names.length !== g.weights.length) {
          const what = g.path ? `its '${g.path}' has` : "has";
          throw new Error(
            `${source} does not fit this model: layer '${layer.name}' (${layer.getClassName()}, saved as '${keys[i]}') ${what} ${g.weights.length} weights but the file holds ${names.length}`,
          );
        }
        names.forEach((n, j) => {
          const { values: v, shape } = readFloat32(getDataset(vars!, n)!);
          const want = g.weights[j].shape.join(",");
          if (shape.join(",") !== want) {
            throw new Error(
              `${source} does not fit this model: weight ${j}${g.path ? ` of '${g.path}'` : ""} of layer '${layer.name}' has shape [${want}] but the file's is [${shape.join(",")}]`,
            );
          }
          const t = tf.tensor(v, shape, "float32");
          pending[pending.length - 1].tensors.push(t);
          values.set(g.weights[j], t);
        });
      }
      const missing = layer.weights.find((w) => !values.has(w));
      if (missing)
        throw new Error(`${source}: weight '${missing.name}' of layer '${layer.name}' has no place in Keras' layout`);
      pending[pending.length - 1].tensors = layer.weights.map((w) => values.get(w)!);
    });
    for (const { layer, tensors } of pending) if (tensors.length > 0) layer.setWeights(tensors);
  } finally {
    for (const p of pending) tf.dispose(p.tensors);
  }
  if (withOptimizer) await readOptimizerState(f, model, source);
}

async function readOptimizerState(f: H5File, model: SaveableModel, source: string): Promise<void> {
  const opt = model.compileState()?.optimizer as KerasOpt | undefined;
  const vars = varsOf(getGroup(f, "optimizer"));
  if (!opt || !vars || typeof opt.slotNames !== "function") return;
  const names = datasetsInOrder(vars);
  const order = slotOrder(opt, model.trainableVariables());
  if (names.length === 2 || names.length !== order.length + 2) {
    if (names.length !== 2) {
      console.warn(
        `Skipping variable loading for optimizer '${opt.getClassName()}', because it has ${order.length + 2} variables whereas the saved optimizer has ${names.length} variables.`,
      );
    }
    if (names.length >= 1) (opt as unknown as { iterations_: number }).iterations_ = readNumber(getDataset(vars, "0")!);
    return;
  }
  const weights: { name: string; tensor: tf.Tensor }[] = [
    { name: "iter", tensor: tf.scalar(readNumber(getDataset(vars, "0")!), "int32") },
  ];
  try {
    order.forEach((s, k) => {
      const { values, shape } = readFloat32(getDataset(vars, String(k + 2))!);
      if (shape.join(",") !== s.shape.join(",")) {
        throw new Error(`${source}: optimizer variable ${k + 2} (${s.slot} of ${s.varName}) has the wrong shape`);
      }
      weights.push({ name: `${s.varName}/${s.slot}`, tensor: tf.tensor(values, shape, "float32") });
    });
    await opt.setWeights(weights);
    opt.learningRate = readNumber(getDataset(vars, "1")!);
  } finally {
    tf.dispose(weights.map((w) => w.tensor));
  }
}
