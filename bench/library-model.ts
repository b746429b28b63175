/**
 * The "lib" row: the lesson model written with this library's Keras API (`Sequential`, `layers`),
 * trained by its own `fit` — whatever path fit takes (the compiled engine once integrated, else eager).
 */
import { Sequential, layers, optimizers, callbacks } from "../src/index";
import type { Lesson } from "./lessons";

export function buildLibraryModel(lesson: Lesson): Sequential {
  const model = new Sequential();
  lesson.layers.forEach((l, i) => {
    const first = i === 0 ? { inputShape: lesson.inputShape } : {};
    switch (l.type) {
      case "dense":
        model.add(layers.Dense(l.units, { activation: l.activation ?? null, ...first }));
        break;
      case "activation":
        model.add(layers.Activation(l.activation, first));
        break;
      case "dropout":
        model.add(layers.Dropout(l.rate, first));
        break;
      case "batchnorm":
        model.add(layers.BatchNormalization(first));
        break;
      case "conv2d":
        model.add(layers.Conv2D(l.filters, l.kernel, { padding: "same", activation: l.activation, ...first }));
        break;
      case "maxpool2d":
        model.add(layers.MaxPooling2D({ poolSize: 2, strides: 2, padding: "same", ...first }));
        break;
      case "flatten":
        model.add(layers.Flatten(first));
        break;
    }
  });
  const opt =
    lesson.optimizer.name === "sgd"
      ? new optimizers.SGD({ learningRate: lesson.optimizer.learningRate })
      : new optimizers.Adam({ learningRate: lesson.optimizer.learningRate });
  model.compile({ optimizer: opt, loss: lesson.loss, metrics: ["accuracy"] });
  return model;
}

/** Records each epoch's wall time. */
export class EpochTimer extends callbacks.Callback {
  times: number[] = [];
  private start = 0;
  override onEpochBegin(): void {
    this.start = performance.now();
  }
  override onEpochEnd(): void {
    this.times.push((performance.now() - this.start) / 1000);
  }
}
