/**
 * Parameter counts of the seed lessons' models against Python Keras 3
 * (test/fixtures/golden/summaries.json): totals, trainable/non-trainable split, and each layer's count.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Sequential, layers } from "../../src/index";
import type { SequentialEntry } from "../../src/models/sequential";

interface Summary {
  layers: { class: string; output_shape: (number | null)[]; params: number }[];
  total: number;
  trainable: number;
  non_trainable: number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "summaries.json"), "utf8")) as {
  models: Record<string, Summary>;
};

const { Dense: D, Dropout: Dr, BatchNormalization: BN, Activation: A, Conv2D, MaxPool2D, Flatten, Input } = layers;
const relu = { activation: "relu" };
const MODELS: Record<string, () => SequentialEntry[]> = {
  "000_mlp_dropout": () => [
    Input([784]),
    D(512, relu),
    Dr(0.2),
    D(512, relu),
    Dr(0.2),
    D(10, { activation: "softmax" }),
  ],
  "000_mlp_dropout_bn": () => [
    Input([784]),
    D(512, relu),
    Dr(0.2),
    BN(),
    D(512, relu),
    Dr(0.2),
    BN(),
    D(10, { activation: "softmax" }),
  ],
  "002_basic": () => [Input([784]), D(196), A("relu"), D(49), A("relu"), D(10), A("softmax")],
  "002_dropout": () => [
    Input([784]),
    D(392),
    A("relu"),
    Dr(0.5),
    D(98),
    A("relu"),
    Dr(0.5),
    D(24),
    A("relu"),
    Dr(0.5),
    D(10),
    A("softmax"),
  ],
  "002_bn": () => [Input([784]), D(196), A("relu"), BN(), D(49), A("relu"), BN(), D(10), A("softmax")],
  "002_bn_dropout": () => [
    Input([784]),
    D(196),
    A("relu"),
    Dr(0.5),
    BN(),
    D(49),
    A("relu"),
    Dr(0.5),
    BN(),
    D(10),
    A("softmax"),
  ],
  "003_deep_5x256": () => [
    Input([784]),
    ...Array.from({ length: 5 }, () => [
      D(256, { kernelInitializer: "glorot_uniform", activation: "relu" }),
      Dr(0.2),
    ]).flat(),
    D(10, { kernelInitializer: "glorot_uniform", activation: "softmax" }),
  ],
  "004_cifar_cnn": () => {
    const conv = (filters: number) => Conv2D(filters, 3, { padding: "same", activation: "relu" });
    const pool = () => MaxPool2D({ poolSize: [2, 2], strides: 2, padding: "same" });
    return [
      Input([32, 32, 3]),
      conv(32),
      conv(32),
      pool(),
      Dr(0.2),
      conv(64),
      conv(64),
      pool(),
      Dr(0.2),
      conv(128),
      conv(128),
      pool(),
      Dr(0.2),
      Flatten(),
      D(256, relu),
      D(10, { activation: "softmax" }),
    ];
  },
};

for (const [name, expected] of Object.entries(fixture.models)) {
  test(`${name}: ${expected.total.toLocaleString("en-US")} params, as Keras counts them`, () => {
    const model = new Sequential(MODELS[name]());
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    const text = lines.join("\n");
    const count = (label: string) =>
      Number(new RegExp(`${label} params: ([\\d,]+)`).exec(text)?.[1].replaceAll(",", ""));
    assert.equal(count("Total"), expected.total);
    assert.equal(count("Trainable"), expected.trainable);
    assert.equal(count("Non-trainable"), expected.non_trainable);
    assert.equal(model.countParams(), expected.total);
    assert.deepEqual(
      model.layers.map((l) => [l.getClassName(), l.countParams(), [null, ...(l.outputShape as number[]).slice(1)]]),
      expected.layers.map((l) => [l.class, l.params, l.output_shape]),
    );
    model.dispose();
  });
}
