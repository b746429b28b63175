/** The lesson models as tfjs-layers models (the "tfjs" row, and the initial weights of the "lib" row). */
import { tf } from "../src/tf";
import type { Lesson } from "./lessons";

export function buildTfjsModel(lesson: Lesson): tf.Sequential {
  const model = tf.sequential();
  lesson.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: lesson.inputShape } : {};
    switch (l.type) {
      case "dense":
        model.add(tf.layers.dense({ units: l.units, activation: (l.activation ?? "linear") as "relu", ...first }));
        break;
      case "activation":
        model.add(tf.layers.activation({ activation: l.activation as "relu", ...first }));
        break;
      case "dropout":
        model.add(tf.layers.dropout({ rate: l.rate, ...first }));
        break;
      case "batchnorm":
        model.add(tf.layers.batchNormalization({ ...first }));
        break;
      case "conv2d":
        model.add(
          tf.layers.conv2d({
            filters: l.filters,
            kernelSize: l.kernel,
            padding: "same",
            activation: l.activation as "relu",
            ...first,
          }),
        );
        break;
      case "maxpool2d":
        model.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "same", ...first }));
        break;
      case "flatten":
        model.add(tf.layers.flatten({ ...first }));
        break;
    }
  });
  return model;
}

export function optimizerFor(lesson: Lesson): tf.Optimizer {
  return lesson.optimizer.name === "sgd"
    ? tf.train.sgd(lesson.optimizer.learningRate)
    : tf.train.adam(lesson.optimizer.learningRate, 0.9, 0.999, 1e-7);
}
