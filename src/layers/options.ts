/**
 * Option objects of the layer factories: Keras' snake_case spellings (`return_sequences`) are accepted
 * next to camelCase (`returnSequences`), and an unknown option is an error naming the closest valid one,
 * as the optimizers and callbacks do. Saved configs (tfjs' `batchInputShape`, `dtype`) pass too.
 */
import { closestFirst, didYouMean } from "../optimizers/suggest";

/** Options every layer takes, plus what a saved config carries. */
export const BASE_OPTIONS = ["name", "inputShape", "batchSize", "batchInputShape", "trainable", "dtype"] as const;

const camel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * `raw` with camelCase keys (undefined values dropped); throws on keys that are not in `own` or the
 * base options, e.g. `LSTM has no option 'returnSequence' (did you mean 'returnSequences'?)`.
 */
export function layerOptions<T extends object>(cls: string, raw: T | undefined, own: readonly string[]): T {
  if (raw != null && (typeof raw !== "object" || Array.isArray(raw))) {
    throw new Error(`${cls} expects an options object, got ${JSON.stringify(raw)}`);
  }
  const valid = [...own, ...BASE_OPTIONS];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (key === "customObjects") continue; // added by tfjs when it rebuilds a saved layer
    const name = camel(key);
    if (!valid.includes(name)) {
      const guess = didYouMean(name, valid) ?? closestFirst(name, valid)[0];
      throw new Error(
        `${cls} has no option '${key}' (did you mean '${guess}'?). Valid ${cls} options: ${valid.join(", ")}`,
      );
    }
    if (value === undefined) continue;
    if (name in out) throw new Error(`${cls}: option '${key}' given twice (as ${key} and as ${name})`);
    out[name] = value;
  }
  return out as T;
}

/** A number in [lo, hi) (or [lo, hi] when `inclusive`). */
export function rateIn(value: unknown, what: string, lo = 0, hi = 1, inclusive = false): number {
  const ok = typeof value === "number" && value >= lo && (inclusive ? value <= hi : value < hi);
  if (!ok) throw new Error(`${what} must be a number in [${lo}, ${hi}${inclusive ? "]" : ")"}, got ${String(value)}`);
  return value as number;
}

/** One of `choices` (case-insensitive, Keras' spellings). */
export function choice<T extends string>(value: unknown, choices: readonly T[], what: string, fallback: T): T {
  if (value === undefined || value === null) return fallback;
  const v = typeof value === "string" ? value.toLowerCase() : value;
  const hit = choices.find((c) => c === v);
  if (hit === undefined) {
    throw new Error(`${what} must be one of ${choices.map((c) => `'${c}'`).join(", ")}, got ${JSON.stringify(value)}`);
  }
  return hit;
}

/** A size per spatial axis: `3` → [3, 3], `[3, 2]` kept (length `n`). */
export function tuple(value: unknown, n: number, what: string, allowZero = false): number[] {
  const v = typeof value === "number" ? new Array<number>(n).fill(value) : value;
  if (!Array.isArray(v) || v.length !== n) {
    throw new Error(`${what} must be a number or a list of ${n} numbers, got ${JSON.stringify(value)}`);
  }
  for (const d of v) {
    if (typeof d !== "number" || !Number.isInteger(d) || d < (allowZero ? 0 : 1)) {
      throw new Error(
        `${what} must hold ${allowZero ? "non-negative" : "positive"} integers, got ${JSON.stringify(value)}`,
      );
    }
  }
  return [...(v as number[])];
}
