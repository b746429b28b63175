/**
 * Loads the engine's native addon (native/engine.cc, built by scripts/setup/engine-native.mjs): TensorFlow's
 * C graph API — build a graph op by op, open a session with its own thread settings, run a whole
 * training step in one call. It links the same libtensorflow tfjs-node loaded, so it must be loaded after
 * `src/tf.ts` (importing `tf` here guarantees that).
 *
 * `loadEngineAddon()` returns undefined when the addon is not built (the library then trains eagerly).
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { cpus } from "node:os";
import { tf } from "../tf";

export type OpId = number;
/** One output of an op: [op, output index]. */
export type Out = readonly [OpId, number];
export type AttrKind =
  "int" | "float" | "bool" | "type" | "string" | "shape" | "ints" | "floats" | "bools" | "types" | "tensor";
export type Attr = readonly [string, AttrKind, unknown];
/**
 * A value for a placeholder: [op, output, dtype, dims, data], or [op, output, dtype, dims, all rows,
 * order, start] to feed rows order[start .. start + dims[0]) of a row-major array (gathered natively).
 */
export type Feed =
  | readonly [OpId, number, number, readonly number[], ArrayBufferView]
  | readonly [OpId, number, number, readonly number[], ArrayBufferView, Int32Array, number];

export interface EngineAddon {
  newGraph(): object;
  addOp(graph: object, type: string, name: string, inputs: (Out | Out[])[], attrs: Attr[], control?: OpId[]): OpId;
  newSession(graph: object, config: Uint8Array): object;
  /** With `traced`, a serialized RunMetadata (step stats) follows the fetched values. */
  run(
    session: object,
    feeds: Feed[],
    fetches: Out[],
    targets: OpId[],
    traced?: boolean,
  ): (Float32Array | Int32Array | Uint8Array)[];
  version(): string;
  /** The op's serialized OpDef proto (throws for an op TensorFlow does not know). */
  opDef?(type: string): Uint8Array;
  /** "" when the fused dropout op (native/dropout_op.cc) is registered, else why not. */
  fusedDropout?(): string;
}

/** TensorFlow's TF_DataType codes. */
export const DT = { float32: 1, int32: 3, bool: 10, int64: 9, resource: 20 } as const;

let cached: EngineAddon | null | undefined;

/** Candidate locations: the source tree (tsx) and the compiled tree (dist/src/engine → project root). */
function addonPaths(): string[] {
  const rel = join("native", "build", "Release", "tslab_keras_engine.node");
  const fromEnv = process.env.TSLAB_KERAS_ENGINE_ADDON;
  return [
    ...(fromEnv ? [fromEnv] : []),
    resolve(__dirname, "..", "..", rel),
    resolve(__dirname, "..", "..", "..", rel),
  ];
}

export function loadEngineAddon(): EngineAddon | undefined {
  if (cached !== undefined) return cached ?? undefined;
  cached = null;
  if (process.env.TSLAB_KERAS_ENGINE === "eager" || tf.getBackend() !== "tensorflow") return undefined;
  for (const p of addonPaths()) {
    if (!existsSync(p)) continue;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cached = require(p) as EngineAddon;
      break;
    } catch {
      /* try the next one */
    }
  }
  return cached ?? undefined;
}

/** protobuf varint */
function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

export interface ThreadSettings {
  intraOp: number;
  interOp: number;
}

/**
 * Below this many multiply-adds per training step (forward pass, whole batch), splitting each kernel
 * across cores costs more than it saves. Measured on 2 cores, one intra-op thread vs two: lesson 002's
 * batch-8 MLPs (1.3M) 1.1–1.6× faster, the 5×256 MLP at batch 8 / 32 (3.7M / 15M) 1.05–1.1× faster;
 * lesson 001 at batch 100 (27M) and the larger lessons 10–35% slower.
 * Re-measured later (stop 10), the intra-op count showed no effect: a 1024² matMul or a convolution keeps
 * both cores busy in a session set to one intra-op thread (TensorFlow's kernel thread pool is process-wide,
 * sized by the first context, tfjs-node's), and lesson 002's step took the same time at 1/1 and 2/2 threads,
 * in one process and in separate ones. The setting stays as a session option; do not expect a speed-up.
 */
export const SMALL_STEP_MACS = 16e6;

/**
 * Threads from TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS when set. Else a step smaller than
 * SMALL_STEP_MACS (`stepMacs`, when known) runs on one thread (intra and inter); a larger one uses every
 * core for both, as TensorFlow's own default: independent kernels (a convolution's filter and input
 * gradients, the optimizer's updates) then overlap — measured 6–10 % faster on lesson 004's CNN, 2–3 % on
 * the 5×256 MLP, within noise on lesson 000.
 */
export function defaultThreads(stepMacs?: number): ThreadSettings {
  const n = Math.max(1, cpus().length);
  const env = (k: string) => {
    const v = Number(process.env[k]);
    return Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const small = stepMacs !== undefined && stepMacs < SMALL_STEP_MACS;
  return {
    intraOp: env("TF_NUM_INTRAOP_THREADS") ?? (small ? 1 : n),
    interOp: env("TF_NUM_INTEROP_THREADS") ?? (small ? 1 : n),
  };
}

/**
 * A serialized ConfigProto: intra_op_parallelism_threads (2), inter_op_parallelism_threads (5),
 * use_per_session_threads (9), so that each session gets the thread pools asked for.
 */
export function sessionConfig(threads: ThreadSettings): Uint8Array {
  return Uint8Array.from([0x10, ...varint(threads.intraOp), 0x28, ...varint(threads.interOp), 0x48, 1]);
}
