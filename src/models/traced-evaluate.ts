/** `evaluate` on the compiled path: the test step traced per batch size (traced-inference.ts). */
import type { Logs } from "../callbacks/callback";
import type { TracedSession } from "../engine/trace/traced-session";
import { type StepFunctions, type StepMetrics, resetMetrics } from "./steps";
import type { EvalData } from "./trainers";
import { hostArray } from "../engine/batch-rows";
import { testBatches } from "./traced-inference";

/** Keras' evaluate: metrics reset, then the test step over every batch; `onBatch` sees exact running logs. */
export async function evaluateTraced(
  session: TracedSession,
  steps: StepFunctions,
  metrics: StepMetrics,
  names: readonly string[],
  data: EvalData,
  batchSize: number,
  onBatch?: (batch: number, logs: Logs) => Promise<void>,
): Promise<Logs> {
  resetMetrics(metrics);
  const batches = testBatches(session, steps, metrics);
  const tensors = [data.x, data.y, ...(data.sampleWeight ? [data.sampleWeight] : [])];
  const arrays = tensors.map(hostArray);
  const n = data.x.shape[0];
  let logs: Logs = Object.fromEntries(names.map((k) => [k, NaN]));
  for (let start = 0, b = 0; start < n; start += batchSize, b++) {
    const size = Math.min(batchSize, n - start);
    const values = batches.run(arrays, tensors, start, size);
    logs = Object.fromEntries(names.map((k, i) => [k, values[i][0]]));
    if (onBatch) await onBatch(b, { ...logs });
  }
  session.pullState(); // the metric variables on the host hold the final state too
  return logs;
}
