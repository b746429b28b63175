/**
 * JSON for Keras' config files. Python reads `0` as an int and `0.0` as a float, and Keras checks some
 * values with `isinstance(x, float)` (SGD's momentum, a learning rate), so an optimizer's numbers are
 * written with a decimal point, as Python's json writes them.
 */
const MARK = "__keras_float__";

/** A number JSON must write as a float (`0.0`, not `0`). */
export class KerasFloat {
  constructor(readonly value: number) {}
  toJSON(): string {
    return `${MARK}${this.value}`;
  }
}

/** `config` with every finite number marked as a float. */
export function withFloats(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "number" && Number.isFinite(v) ? new KerasFloat(v) : v]),
  );
}

export function kerasJson(value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"${MARK}([^"]+)"`, "g"), (_, n: string) =>
    /[.eE]/.test(n) ? n : `${n}.0`,
  );
}
