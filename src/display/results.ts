/**
 * Named results a lesson reports (accuracies, losses), for machines: the headless runner
 * (scripts/run_notebooks.py) collects them to check thresholds and build the reproduction table beside
 * the seed's numbers. In a notebook they travel as one output holding only
 * `application/vnd.tslab-keras.results+json`, a MIME type no front end renders (JupyterLab, nbconvert
 * and GitHub show nothing for it), so the class never sees `004/final_val_acc: 0.7757` lines among the
 * lesson's outputs; the lesson prints what people should read in its own words. Outside a kernel (a
 * script, a terminal) the results are printed as `name: value` lines.
 */
import { bundleSender } from "./bridge";

export const RESULTS_MIME = "application/vnd.tslab-keras.results+json";

export function report(results: Record<string, number>): void {
  for (const [name, value] of Object.entries(results)) {
    if (typeof value !== "number") throw new Error(`report(): result "${name}" must be a number, got ${typeof value}`);
  }
  const sender = bundleSender();
  if (sender) {
    sender.send({ [RESULTS_MIME]: results });
    return;
  }
  const text = Object.entries(results)
    .map(([name, value]) => `${name}: ${Number.isInteger(value) ? value : value.toFixed(4)}`)
    .join("\n");
  console.log(text);
}
