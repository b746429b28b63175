/**
 * `utils.meanStd(x, { axis })`: NumPy's `x.mean(axis)` and `x.std(axis)` (population std, ddof 0), exact
 * for large arrays.
 *
 * Why not `x.mean(axis)` / `tf.moments`: TensorFlow reduces float32 tensors in float32. Once a running sum
 * reaches 2^24 times the size of the values added, each addition is rounded away; for CIFAR-10's 50,000
 * images (51.2 M values per reduction) the per-channel mean comes out as 83.886 for every channel instead
 * of 125.3 / 122.95 / 113.87. Here the values are copied to the host a chunk of rows at a time (memory
 * stays bounded) and accumulated in float64, and the chunks' means and squared deviations are merged with
 * Chan et al.'s pairwise formula, so neither the sum nor the variance loses precision.
 */
import { tf } from "../tf";
import { type DataLike, toTensor } from "../models/data";

export interface MeanStdOptions {
  /** Axes to reduce over, as NumPy's `axis` (negative counts from the end). Default: every axis. */
  axis?: number | number[];
  /** Keep the reduced axes with size 1 (NumPy's `keepdims`), so the result broadcasts against x. */
  keepDims?: boolean;
  /** Elements copied to the host at a time (default 4 M, i.e. 16 MB of float32). */
  chunkElements?: number;
}

export interface MeanStd {
  /** float32 tensor of the kept axes' shape (the caller owns it). */
  mean: tf.Tensor;
  /** Population standard deviation (ddof 0, as NumPy's default), same shape. */
  std: tf.Tensor;
}

function reducedAxes(rank: number, axis: number | number[] | undefined): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) {
      throw new Error(`meanStd: axis ${a} is out of range for a tensor of rank ${rank} (valid: ${-rank}…${rank - 1})`);
    }
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw new Error(`meanStd: axis ${JSON.stringify(axis)} repeats an axis`);
  return out.sort((a, b) => a - b);
}

/** Per-output running statistics: count, mean and sum of squared deviations (M2), all float64. */
class Accumulator {
  readonly count: Float64Array;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  constructor(size: number) {
    this.count = new Float64Array(size);
    this.mean = new Float64Array(size);
    this.m2 = new Float64Array(size);
  }

  /** Merges `n` values `values[start], values[start+1], …` into output `k` (two passes over the chunk). */
  add(k: number, values: ArrayLike<number>, start: number, n: number): void {
    let sum = 0;
    for (let i = start; i < start + n; i++) sum += values[i];
    const chunkMean = sum / n;
    let m2 = 0;
    for (let i = start; i < start + n; i++) {
      const d = values[i] - chunkMean;
      m2 += d * d;
    }
    const na = this.count[k];
    const total = na + n;
    const delta = chunkMean - this.mean[k];
    this.mean[k] += (delta * n) / total;
    this.m2[k] += m2 + (delta * delta * na * n) / total;
    this.count[k] = total;
  }
}

/**
 * Mean and standard deviation over `axis`, accumulated in float64 on the host, chunk by chunk along
 * axis 0. Lesson 004's standardisation, as NumPy computes it:
 *
 *   const { mean, std } = utils.meanStd(xTrainRaw, { axis: [0, 1, 2] }); // per colour channel
 *   const xTrain = xTrainRaw.cast("float32").sub(mean).div(std);
 */
export function meanStd(x: DataLike, options: MeanStdOptions = {}): MeanStd {
  const owned: tf.Tensor[] = [];
  try {
    const t = toTensor(x, "meanStd: x", owned);
    if (t.size === 0) throw new Error(`meanStd: x is empty (shape [${t.shape.join(", ")}])`);
    const shape = t.shape;
    const rank = shape.length;
    const reduced = rank === 0 ? [] : reducedAxes(rank, options.axis);
    const kept = Array.from({ length: rank }, (_, i) => i).filter((i) => !reduced.includes(i));
    const keptShape = kept.map((i) => shape[i]);
    const outSize = keptShape.reduce((a, b) => a * b, 1);
    const reducedSize = t.size / outSize;
    if (reducedSize === 0) throw new Error("meanStd: the reduced axes have size 0");

    const acc = new Accumulator(outSize);
    const rows = rank === 0 ? 1 : shape[0];
    const rowSize = t.size / rows;
    const chunkElements = options.chunkElements ?? 4 * 1024 * 1024;
    const rowsPerChunk = Math.max(1, Math.floor(chunkElements / rowSize));
    // Kept axes first, then reduced ones: every output's values are then contiguous in a chunk.
    const perm = [...kept, ...reduced];
    const axis0Kept = kept.includes(0);
    for (let start = 0; start < rows; start += rowsPerChunk) {
      const n = Math.min(rowsPerChunk, rows - start);
      const values = tf.tidy(() => {
        const chunk = rank === 0 ? t : t.slice([start, ...Array(rank - 1).fill(0)], [n, ...shape.slice(1)]);
        return rank > 1 ? chunk.transpose(perm) : chunk.clone();
      });
      const data = values.dataSync();
      values.dispose();
      // Outputs this chunk touches: all of them when axis 0 is reduced, else its rows' share.
      const chunkOutputs = axis0Kept ? (outSize / rows) * n : outSize;
      const offset = axis0Kept ? (outSize / rows) * start : 0;
      const perOutput = data.length / chunkOutputs;
      for (let k = 0; k < chunkOutputs; k++) acc.add(offset + k, data, k * perOutput, perOutput);
    }

    const std = new Float32Array(outSize);
    for (let k = 0; k < outSize; k++) std[k] = Math.sqrt(acc.m2[k] / acc.count[k]);
    const outShape = options.keepDims ? shape.map((s, i) => (reduced.includes(i) ? 1 : s)) : keptShape;
    return {
      mean: tf.tensor(Float32Array.from(acc.mean), outShape, "float32"),
      std: tf.tensor(std, outShape, "float32"),
    };
  } finally {
    tf.dispose(owned);
  }
}
