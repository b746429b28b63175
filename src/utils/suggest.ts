/**
 * "Did you mean …?" for string identifiers (losses, activations, optimizers, initializers, …).
 * Shared by every module that resolves a Keras string: `unknownIdentifierError(kind, name, valid)`
 * builds the Error the user sees, listing the valid names with the closest first.
 */

/** Levenshtein edit distance (insertions, deletions, substitutions each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Array<number>(b.length + 1);
  let curr = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      curr[j] = Math.min(prev[j] + 1, curr[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length];
}

/** Normalises spelling differences that are not typos: case, `-`/`_`/space, camelCase vs snake_case. */
function canonical(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/** `valid` sorted by closeness to `name` (ties keep their original order). */
export function closestMatches(name: string, valid: readonly string[]): string[] {
  const target = canonical(name);
  return valid
    .map((v, i) => ({ v, i, d: editDistance(target, canonical(v)) }))
    .sort((p, q) => p.d - q.d || p.i - q.i)
    .map((p) => p.v);
}

function plural(kind: string): string {
  if (/(s|x|sh|ch)$/.test(kind)) return `${kind}es`;
  if (/[^aeiou]y$/.test(kind)) return `${kind.slice(0, -1)}ies`;
  return `${kind}s`;
}

/**
 * The Error for an unknown string identifier, e.g.
 * `Unknown loss 'categorical_crossentopy'. Did you mean 'categorical_crossentropy'?
 *  Valid losses (closest first): 'categorical_crossentropy', 'sparse_categorical_crossentropy', …`
 * `hint` (optional) is appended as its own sentence.
 */
export function unknownIdentifierError(kind: string, name: unknown, valid: readonly string[], hint?: string): Error {
  const shown = typeof name === "string" ? `'${name}'` : String(name);
  const sorted = typeof name === "string" ? closestMatches(name, valid) : [...valid];
  const best = sorted[0];
  const close =
    typeof name === "string" &&
    best !== undefined &&
    editDistance(canonical(name), canonical(best)) <= Math.max(2, Math.floor(name.length / 3));
  const parts = [`Unknown ${kind} ${shown}.`];
  if (close) parts.push(`Did you mean '${best}'?`);
  if (hint) parts.push(hint);
  parts.push(`Valid ${plural(kind)} (closest first): ${sorted.map((v) => `'${v}'`).join(", ")}.`);
  return new Error(parts.join(" "));
}
