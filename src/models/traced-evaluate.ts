/** `evaluate` on the compiled path: the test step traced per batch size (traced-inference.ts). */
import type { tf } from "../tf";
import type { Logs } from "../callbacks/callback";
import type { TracedSession } from "../engine/trace/traced-session";
import { type StepFunctions, testStep } from "./steps";
import { TracedBatches, hostArray } from "./traced-inference";

/** Means of the test step's values over all samples (batch-size weighted, as Keras' metric trackers). */
export async function evaluateTraced(
  session: TracedSession,
  steps: StepFunctions,
  names: string[],
  x: tf.Tensor,
  y: tf.Tensor,
  batchSize: number,
  onBatch?: (batch: number, logs: () => Logs) => Promise<void>,
): Promise<Logs> {
  const batches = new TracedBatches(session, ([xb, yb]) => testStep(steps, () => [xb, yb]));
  const xs = hostArray(x);
  const ys = hostArray(y);
  const n = x.shape[0];
  const sums = names.map(() => 0);
  let count = 0;
  const logs = (): Logs => Object.fromEntries(names.map((k, i) => [k, count > 0 ? sums[i] / count : NaN]));
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const size = Math.min(batchSize, n - start);
    batches.run([xs, ys], [x, y], start, size).forEach((v, i) => (sums[i] += v[0] * size));
    count += size;
    if (onBatch) await onBatch(b, logs);
  }
  return logs();
}
