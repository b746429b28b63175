/**
 * Which inputs of a TensorFlow op are lists, read from its OpDef (TF_GraphGetOpDef, through the addon).
 * tfjs-node passes an op's inputs as one flat array (TensorFlow's eager API accepts that), while the graph
 * API wants each list argument as a list: the OpDef says how many flat inputs each argument takes.
 */
import type { EngineAddon } from "../native";

export interface ArgDef {
  name: string;
  /** A list of N tensors, N the value of this int attr. */
  numberAttr?: string;
  /** A list with one tensor per dtype in this type-list attr. */
  typeListAttr?: string;
}

const cache = new Map<string, ArgDef[]>();

/** The op's input arguments, in order. */
export function inputArgs(addon: EngineAddon, op: string): ArgDef[] {
  let args = cache.get(op);
  if (!args) {
    if (typeof addon.opDef !== "function") throw new Error("engine addon without opDef(): rebuild it (npm install)");
    args = decodeInputArgs(addon.opDef(op));
    cache.set(op, args);
  }
  return args;
}

/** Minimal protobuf reading: OpDef.input_arg (field 2) → ArgDef name (1), number_attr (5), type_list_attr (6). */
export function decodeInputArgs(bytes: Uint8Array): ArgDef[] {
  const out: ArgDef[] = [];
  for (const [field, value] of fields(bytes)) {
    if (field !== 2 || !(value instanceof Uint8Array)) continue;
    const arg: ArgDef = { name: "" };
    for (const [f, v] of fields(value)) {
      if (!(v instanceof Uint8Array)) continue;
      const text = new TextDecoder().decode(v);
      if (f === 1) arg.name = text;
      else if (f === 5 && text) arg.numberAttr = text;
      else if (f === 6 && text) arg.typeListAttr = text;
    }
    out.push(arg);
  }
  return out;
}

function* fields(bytes: Uint8Array): Generator<[number, number | Uint8Array]> {
  let i = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield [field, varint()];
    else if (wire === 2) {
      const len = varint();
      yield [field, bytes.subarray(i, i + len)];
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`OpDef: unexpected wire type ${wire}`);
  }
}
