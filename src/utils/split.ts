/** scikit-learn's `train_test_split` for tensors: `[xTrain, xTest, yTrain, yTest]`. */
import { tf } from "../tf";
import { mulberry32, permutation, uniformSource } from "../random";
import { type DataLike, assertSameLength, toTensor } from "../models/data";

export interface TrainTestSplitOptions {
  /** Fraction (0–1) or number of samples for the test set (default 0.25, as sklearn). */
  testSize?: number;
  /** Fraction or number for the training set (default: the rest). */
  trainSize?: number;
  /** Seed: the same value gives the same split every time. Default: the global seed (utils.setRandomSeed). */
  randomState?: number;
  /** Shuffle before splitting (default true). */
  shuffle?: boolean;
}

/** Splits x and y into random train and test subsets, sklearn-style (n_test = ceil(testSize * n)). */
export function trainTestSplit(
  x: DataLike,
  y: DataLike,
  options: TrainTestSplitOptions = {},
): [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor] {
  const owned: tf.Tensor[] = [];
  try {
    const xt = toTensor(x, "trainTestSplit: x", owned);
    const yt = toTensor(y, "trainTestSplit: y", owned);
    assertSameLength(xt, yt, "trainTestSplit");
    const n = xt.shape[0];
    const size = (v: number | undefined, name: string, ceil: boolean): number | undefined => {
      if (v === undefined) return undefined;
      if (v > 0 && v < 1) return ceil ? Math.ceil(v * n) : Math.floor(v * n);
      if (Number.isInteger(v) && v > 0 && v < n) return v;
      throw new Error(
        `trainTestSplit: ${name} must be a fraction in (0, 1) or a sample count in [1, ${n - 1}], got ${v}`,
      );
    };
    let nTest = size(options.testSize, "testSize", true);
    const nTrainGiven = size(options.trainSize, "trainSize", false);
    if (nTest === undefined) nTest = nTrainGiven !== undefined ? n - nTrainGiven : Math.ceil(0.25 * n);
    const nTrain = nTrainGiven ?? n - nTest;
    if (nTrain <= 0 || nTest <= 0 || nTrain + nTest > n) {
      throw new Error(
        `trainTestSplit: with ${n} samples, testSize/trainSize leave ${nTrain} train and ${nTest} test samples; adjust them`,
      );
    }
    const shuffle = options.shuffle ?? true;
    let order: Int32Array;
    if (shuffle) {
      const random = options.randomState !== undefined ? mulberry32(options.randomState) : uniformSource();
      order = permutation(n, random);
    } else {
      order = Int32Array.from({ length: n }, (_, i) => i);
    }
    // sklearn: shuffled → test first, then train; unshuffled → train is the head, test the tail.
    const [trainIdx, testIdx] = shuffle
      ? [order.subarray(nTest, nTest + nTrain), order.subarray(0, nTest)]
      : [order.subarray(0, nTrain), order.subarray(nTrain, nTrain + nTest)];
    return tf.tidy(() => {
      const tr = tf.tensor1d(trainIdx, "int32");
      const te = tf.tensor1d(testIdx, "int32");
      return [tf.gather(xt, tr), tf.gather(xt, te), tf.gather(yt, tr), tf.gather(yt, te)];
    });
  } finally {
    tf.dispose(owned);
  }
}
