/**
 * Keras' `Embedding(input_dim, output_dim, embeddings_initializer="uniform", mask_zero=False)`: integer
 * ids → dense vectors (tfjs' Embedding holds the table and the lookup). With `maskZero`, id 0 is padding:
 * the model's forward pass hands the mask to the layers that consume it (RNNs, global pooling,
 * TimeDistributed, Bidirectional), as Keras does.
 */
import { tf } from "../tf";
import { type InitializerIdentifier, type LayerOptions, baseArgs, initializer, positiveInt } from "./common";
import { register, oneShape } from "./base";
import { layerOptions } from "./options";

type EmbeddingArgs = Parameters<typeof tf.layers.embedding>[0];
const TfjsEmbedding = Object.getPrototypeOf(tf.layers.embedding({ inputDim: 1, outputDim: 1 })).constructor as new (
  args: EmbeddingArgs,
) => tf.layers.Layer & { outputDim: number };

/** tfjs' Embedding, with Keras' output shape: the input's shape plus the vector axis ((None, 20, 8)). */
export class EmbeddingLayer extends TfjsEmbedding {
  static className = "Embedding";
  constructor(args: EmbeddingArgs) {
    super(args);
    // tfjs fixes (None, None) as the input shape when none is given; Keras leaves it to the model's Input.
    const given = args as { inputShape?: unknown; batchInputShape?: unknown };
    if (given.inputShape == null && given.batchInputShape == null) this.batchInputShape = undefined as never;
  }
  /** The gather kernel's out-of-range error, re-thrown naming the fix (no tensor values are read). */
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    try {
      return super.call(inputs, kwargs);
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      if (!/index value|not in \[0/.test(message)) throw e;
      const dim = (this as unknown as { inputDim: number }).inputDim;
      throw new Error(
        `Embedding "${this.name}": ${message}. Its inputs must be integer ids in [0, ${dim}) (inputDim=${dim}); set inputDim to the vocabulary size (the largest id + 1).`,
      );
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...oneShape(inputShape), this.outputDim];
  }
}
register(EmbeddingLayer as never);

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
): EmbeddingLayer {
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
  return new EmbeddingLayer({
    ...baseArgs("Embedding", o),
    inputDim: positiveInt(o.inputDim, "Embedding: inputDim"),
    outputDim: positiveInt(o.outputDim, "Embedding: outputDim"),
    embeddingsInitializer: initializer(o.embeddingsInitializer, "uniform"),
    maskZero: o.maskZero ?? false,
  } as EmbeddingArgs);
}
