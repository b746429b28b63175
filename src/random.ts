/**
 * One seed for everything random the library does: initializers, dropout masks, shuffling, splits.
 * After `setRandomSeed(s)`, re-running the same cells gives identical weights and histories, as
 * `keras.utils.set_random_seed` promises. Without a seed, sources are unseeded (fresh each run).
 */
let generator: (() => number) | undefined;

/** mulberry32: small, fast and good enough for seeds and shuffles (not for cryptography). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Called by `setRandomSeed` (the step counter of src/backend/random.ts restarts with the seed). */
export const onSeed: (() => void)[] = [];

export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0) {
    throw new Error(`setRandomSeed(seed): seed must be a non-negative integer, got ${seed}`);
  }
  generator = mulberry32(seed);
  for (const f of onSeed) f();
}

/** Forgets the seed: later draws are unseeded again. */
export function clearRandomSeed(): void {
  generator = undefined;
}

/** A fresh integer seed for the next seeded op, or undefined when no global seed is set. */
export function nextSeed(): number | undefined {
  return generator ? Math.floor(generator() * 2 ** 31) : undefined;
}

/** A uniform [0, 1) source: seeded when a global seed is set, Math.random otherwise. */
export function uniformSource(seed?: number): () => number {
  if (seed !== undefined) return mulberry32(seed);
  const s = nextSeed();
  return s === undefined ? Math.random : mulberry32(s);
}

/** Fisher–Yates permutation of 0..n-1 drawn from `random`. */
export function permutation(n: number, random: () => number = uniformSource()): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}
