/**
 * Named results a lesson reports (accuracies, losses), for people and for machines: the notebook shows a
 * line of text, and the headless runner (scripts/run_notebooks.py) collects the JSON part to check
 * thresholds and build the reproduction table beside the seed's numbers.
 */
import { bundleSender } from "./bridge";

export const RESULTS_MIME = "application/vnd.tslab-keras.results+json";

export function report(results: Record<string, number>): void {
  for (const [name, value] of Object.entries(results)) {
    if (typeof value !== "number") throw new Error(`report(): result "${name}" must be a number, got ${typeof value}`);
  }
  const text = Object.entries(results)
    .map(([name, value]) => `${name}: ${Number.isInteger(value) ? value : value.toFixed(4)}`)
    .join("\n");
  const sender = bundleSender();
  if (sender) sender.send({ "text/plain": text, [RESULTS_MIME]: results });
  else console.log(text);
}
