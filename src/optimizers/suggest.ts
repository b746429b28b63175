/**
 * "Did you mean" helpers shared by the `get()` functions of optimizers, regularizers and initializers:
 * unknown names are answered with the valid ones, closest first (Levenshtein distance).
 */

/** Levenshtein edit distance between two strings. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** `candidates` sorted by edit distance to `name` (case-insensitive), ties kept in their given order. */
export function closestFirst(name: string, candidates: readonly string[]): string[] {
  const key = name.toLowerCase();
  return candidates
    .map((c, i) => ({ c, i, d: editDistance(key, c.toLowerCase()) }))
    .sort((x, y) => x.d - y.d || x.i - y.i)
    .map((x) => x.c);
}

/** The closest candidate if it is plausibly a typo of `name` (at most a third of its letters wrong). */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  const [best] = closestFirst(name, candidates);
  if (best === undefined) return undefined;
  const d = editDistance(name.toLowerCase(), best.toLowerCase());
  return d <= Math.max(1, Math.floor(Math.max(name.length, best.length) / 3)) ? best : undefined;
}

/** English list: "A", "A and B", "A, B and C". */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
