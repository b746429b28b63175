/**
 * Options objects as Keras users write them: camelCase keys, and an unknown key (a typo, or Keras'
 * snake_case spelling of an option) is an error naming the closest valid option, e.g.
 * `fit: unknown option 'batch_size' — did you mean 'batchSize'? Valid options: batchSize, epochs, …`.
 */
import { closestMatches, editDistance } from "./suggest";

const canonical = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");

/** Throws when `options` has a key not in `valid`; returns `options` (or `{}` for undefined). */
export function checkOptions<T extends object>(where: string, options: T | undefined, valid: readonly string[]): T {
  if (options === undefined || options === null) return {} as T;
  if (typeof options !== "object" || Array.isArray(options)) {
    throw new Error(`${where}: expected an options object such as { ${valid[0]}: … }, got ${JSON.stringify(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const [best] = closestMatches(key, valid);
    const close =
      best !== undefined && editDistance(canonical(key), canonical(best)) <= Math.max(2, Math.floor(key.length / 3));
    const hint = close ? ` — did you mean '${best}'?` : "";
    throw new Error(`${where}: unknown option '${key}'${hint} Valid options: ${valid.join(", ")}.`);
  }
  return options;
}
