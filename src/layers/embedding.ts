/**
 * Keras' `Embedding(input_dim, output_dim, embeddings_initializer="uniform", mask_zero=False)`: integer
 * ids → dense vectors (tfjs' Embedding holds the table and the lookup). With `maskZero`, id 0 is padding:
 * the model's forward pass hands the mask to the layers that consume it (RNNs, global pooling,
 * TimeDistributed, Bidirectional), as Keras does.
 */
import { tf } from "../tf";
import { type InitializerIdentifier, type LayerOptions, baseArgs, initializer, positiveInt } from "./common";
import type { Layer } from "./extras";
import { layerOptions } from "./options";

export interface EmbeddingOptions extends LayerOptions {
  inputDim?: number;
  outputDim?: number;
  embeddingsInitializer?: InitializerIdentifier;
  maskZero?: boolean;
  /** Keras 2's argument: accepted with Keras 3's warning ("deprecated. Just remove it."), then ignored. */
  inputLength?: number;
}

const OWN = ["inputDim", "outputDim", "embeddingsInitializer", "maskZero", "inputLength"];

/** `Embedding(10000, 8)`, `Embedding(10000, 8, { maskZero: true })` or `Embedding({ inputDim, outputDim })`. */
export function Embedding(
  inputDim: number | EmbeddingOptions,
  outputDim?: number | EmbeddingOptions,
  options?: EmbeddingOptions,
): Layer {
  const raw =
    typeof inputDim === "number"
      ? typeof outputDim === "number"
        ? { ...(options ?? {}), inputDim, outputDim }
        : { ...(outputDim ?? {}), inputDim }
      : inputDim;
  const o = layerOptions<EmbeddingOptions>("Embedding", raw, OWN);
  if (o.inputDim === undefined || o.outputDim === undefined) {
    throw new Error("Embedding needs inputDim and outputDim, e.g. Embedding(10000, 8) (vocabulary size, vector size)");
  }
  if (o.inputLength !== undefined) console.warn("Argument `input_length` is deprecated. Just remove it.");
  return tf.layers.embedding({
    ...baseArgs("Embedding", o),
    inputDim: positiveInt(o.inputDim, "Embedding: inputDim"),
    outputDim: positiveInt(o.outputDim, "Embedding: outputDim"),
    embeddingsInitializer: initializer(o.embeddingsInitializer, "uniform"),
    maskZero: o.maskZero ?? false,
  } as Parameters<typeof tf.layers.embedding>[0]);
}
