/**
 * Synthetic data of each lesson's shapes, identical in Node and in Python: mulberry32 is a counter-based
 * generator (state_k = seed + k·0x6d2b79f5), which bench/keras_bench.py evaluates vectorised in numpy.
 * Pixels are uniform in [0, 1); labels are uniform over the classes.
 */
import { mulberry32 } from "../src/random";
import type { Lesson } from "./lessons";

export interface Data {
  x: Float32Array;
  /** One-hot rows (categorical) or class ids (sparse). */
  y: Float32Array | Int32Array;
  count: number;
}

export function uniforms(seed: number, n: number): Float32Array {
  const r = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = r();
  return out;
}

export function makeData(lesson: Lesson, count: number, seed: number): Data {
  const size = lesson.inputShape.reduce((a, b) => a * b, 1);
  const x = uniforms(seed, count * size);
  const u = uniforms(seed + 1, count);
  const ids = Int32Array.from(u, (v) => Math.min(lesson.classes - 1, Math.floor(v * lesson.classes)));
  if (lesson.loss === "sparse_categorical_crossentropy") return { x, y: ids, count };
  const y = new Float32Array(count * lesson.classes);
  ids.forEach((c, i) => (y[i * lesson.classes + c] = 1));
  return { x, y, count };
}
