/**
 * What a model called like a layer (`model(x)`, `model([a, b])`, `model({ a, b })`) was given, checked as
 * Keras 3 checks it: tensors only (symbolic or concrete), one per model input, a dict by input name. Keras says
 *
 *   Layer "functional" expects 2 named input(s) with keys ['a', 'b'], but it received 1 input tensors.
 *   Pass inputs as a dict, e.g. `layer({'a': ..., 'b': ...})`.
 *
 * and tfjs-layers would fail deeper (reading `dtype` of undefined, or silently using the first tensor).
 */
import { tf } from "../tf";
import { unknownIdentifierError } from "../utils/suggest";

type CallTensor = tf.SymbolicTensor | tf.Tensor;

const isTensor = (t: unknown): t is CallTensor => t instanceof tf.SymbolicTensor || t instanceof tf.Tensor;
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name));

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value))
    return `a list of ${value.length} (${value.map((v) => (isTensor(v) ? "tensor" : typeof v)).join(", ")})`;
  return typeof value;
}

/**
 * The model's inputs in order, from what it was called on. `names` are the model's input names; `named` says
 * whether the model has named inputs (a functional Model) or one anonymous input (Sequential).
 */
export function callInputs(model: string, names: readonly string[], named: boolean, inputs: unknown): CallTensor[] {
  let list: unknown[];
  if (inputs !== null && typeof inputs === "object" && !Array.isArray(inputs) && !isTensor(inputs) && named) {
    const dict = inputs as Record<string, unknown>;
    for (const k of Object.keys(dict)) {
      if (!names.includes(k))
        throw unknownIdentifierError(
          `input name for model '${model}'`,
          k,
          names,
          `Its inputs are ${names.map((n) => `'${n}'`).join(", ")}.`,
        );
    }
    const missing = names.filter((n) => !(n in dict));
    if (missing.length > 0) {
      throw new Error(
        `Missing data for input "${missing[0]}". You passed a data dictionary with keys [${Object.keys(dict)
          .map((k) => `'${k}'`)
          .join(", ")}]. Expected the following keys: [${names.map((n) => `'${n}'`).join(", ")}]`,
      );
    }
    list = names.map((n) => dict[n]);
  } else {
    list = Array.isArray(inputs) ? inputs : [inputs];
  }
  if (list.length === 0 || !list.every(isTensor)) {
    throw new Error(
      `Model '${model}' was called on ${describe(inputs)}; call it on the output of Input() or of another layer (or on a tf.Tensor).`,
    );
  }
  if (list.length !== names.length) {
    const expects = named
      ? `expects ${names.length} named input(s) with keys [${names.map((n) => `'${n}'`).join(", ")}]`
      : `expects ${names.length} input(s)`;
    const fix =
      names.length === 1
        ? "Pass it one tensor, e.g. model(x)."
        : `Pass them as a list in that order, e.g. model([${names.map(key).join(", ")}]), or as a dict, e.g. model({ ${names.map((n) => `${key(n)}: ...`).join(", ")} }).`;
    throw new Error(`Layer "${model}" ${expects}, but it received ${list.length} input tensors. ${fix}`);
  }
  return list;
}
