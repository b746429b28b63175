/**
 * Which trainer a fit gets, and the one line that says so when it is not the compiled path:
 *   1. the hand-tuned graph of src/engine (the lessons' Sequential configurations);
 *   2. the traced graph (traced-trainer.ts) for every other built-in configuration;
 *   3. eager tfjs ops only for the user's own code (a custom loss or metric function, a Lambda layer),
 *      without the native addon, or with TSLAB_KERAS_ENGINE=eager.
 */
import type { tf } from "../tf";
import type { Layer } from "../layers/extras";
import { loadEngineAddon } from "../engine/native";
import type { StepFunctions, StepMetrics } from "./steps";
import { CompiledTrainer, EagerTrainer, type EpochTrainer, type EvalData } from "./trainers";
import { TracedTrainer } from "./traced-trainer";
import type { Compiled } from "./types";

/** The user's own code in a compiled model, or undefined. */
export function userCode(compiled: Compiled, layers: readonly Layer[]): string | undefined {
  if (compiled.loss.kind === "custom") return "custom loss function";
  if ([...compiled.metrics, ...compiled.weightedMetrics].some((m) => typeof m === "function"))
    return "custom metric function";
  const lambda = layers.find((l) => (l as unknown as { isUserCode?: boolean }).isUserCode === true);
  if (lambda) return `layer '${lambda.name}' runs your own function`;
  return undefined;
}

/** One short line under the cell (stderr, as Keras' warnings). */
export function eagerNotice(reason: string): void {
  process.stderr.write(`training eagerly: ${reason} (about 3x slower than the compiled path)\n`);
}

export interface TrainerInputs {
  tfModel: tf.LayersModel;
  compiled: Compiled;
  steps: StepFunctions;
  metrics: StepMetrics;
  names: string[];
  variables: tf.Variable[];
  data: EvalData;
  batchSize: number;
  evalBatchSize: number;
  /** Sample or class weights in training or validation. */
  weighted: boolean;
  callbacks: readonly object[];
}

export async function chooseTrainer(i: TrainerInputs): Promise<EpochTrainer> {
  const eager = () =>
    new EagerTrainer(i.steps, i.metrics, i.names, i.compiled.optimizer, i.variables, i.data, i.evalBatchSize);
  if (process.env.TSLAB_KERAS_ENGINE === "eager") return eager();
  const own = userCode(i.compiled, i.steps.layers);
  if (own) {
    eagerNotice(own);
    return eager();
  }
  // TSLAB_KERAS_ENGINE=traced skips the hand-tuned graph (to compare the two; tests and benchmarks).
  if (process.env.TSLAB_KERAS_ENGINE !== "traced") {
    const { x, y } = i.data;
    const tuned = await CompiledTrainer.create(
      i.tfModel,
      i.compiled,
      i.names,
      x,
      y,
      i.batchSize,
      i.weighted,
      i.callbacks,
      i.evalBatchSize,
    );
    if (!("reason" in tuned)) return tuned;
  }
  if (!loadEngineAddon()) {
    eagerNotice("the engine addon is not built (run npm install)");
    return eager();
  }
  return new TracedTrainer(
    i.steps,
    i.metrics,
    i.names,
    i.compiled.optimizer,
    i.variables,
    i.data,
    i.evalBatchSize,
    eagerNotice,
  );
}
