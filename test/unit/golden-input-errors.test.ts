/**
 * Bad inputs against Python Keras 3 (test/fixtures/golden/input_errors.json, from
 * scripts/golden/input_errors.py): the same cases give Keras' own words first — the layer or model by name,
 * the expected and received rank or shape or count — followed by the fix; and what Keras accepts silently
 * (float ids into an Embedding, integers into a Dense, Flatten of a (batch, features) tensor) computes the same.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Input, Model, Sequential, layers, tf } from "../../src/index";

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "input_errors.json"), "utf8")) as {
  messages: Record<string, string>;
  computed: {
    float_ids_into_embedding: { table: number[][]; ids: number[][]; output: number[][][] };
    int_values_into_dense: { kernel: number[][]; bias: number[]; x: number[][]; output: number[][] };
    flatten_2d_output_shape: (number | null)[];
  };
};

/** Keras' text as this library words it: no `with name 'None'` (tfjs tensors have no Keras name), "layer". */
const kerasWords = (id: string) =>
  fixture.messages[id].replace(/ with name '[^']*'/, "").replace(/of layer '([^']+)'/, 'of layer "$1"');

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail("expected an error");
}

async function rejectionOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return (e as Error).message;
  }
  assert.fail("expected a rejection");
}

/** Ours starts with Keras' message; what follows it (the fix) is returned for the caller to check. */
function startsWithKeras(ours: string, id: string): string {
  const keras = kerasWords(id);
  assert.ok(ours.startsWith(keras), `${id}:\n  ours:  ${ours}\n  Keras: ${keras}`);
  return ours.slice(keras.length);
}

test("a tensor of the wrong rank: Keras' message with the full shape, then the usual fix", () => {
  const lstm = messageOf(() => layers.LSTM(8, { name: "lstm" })(Input({ shape: [10] })));
  assert.match(startsWithKeras(lstm, "lstm_2d"), /put an Embedding layer first .* reshape to \[timesteps, 1\]/);
  const gru = messageOf(() => layers.GRU(8, { name: "gru" })(Input({ shape: [3, 4, 5] })));
  assert.match(
    startsWithKeras(gru, "gru_4d"),
    /put a layers\.Reshape\(\[3, 20\]\) first \(3 steps of 20 features each\)/,
  );
  const conv1d = messageOf(() => layers.Conv1D(8, 3, { name: "conv1d" })(Input({ shape: [10] })));
  assert.match(startsWithKeras(conv1d, "conv1d_2d"), /Conv1D takes sequences .* Embedding layer first .* \[10, 1\]/);
  const grey = messageOf(() => layers.Conv2D(8, 3, { name: "conv2d" })(Input({ shape: [28, 28] })));
  assert.match(
    startsWithKeras(grey, "conv2d_3d"),
    /x\.reshape\(\[-1, 28, 28, 1\]\) and Input\(\{ shape: \[28, 28, 1\] \}\)/,
  );
  const flat = messageOf(() => layers.Conv2D(8, 3, { name: "conv2d_flat" })(Input({ shape: [784] })));
  assert.match(
    startsWithKeras(flat, "conv2d_2d"),
    /not flat vectors: put a layers\.Reshape\(\[height, width, channels\]\)/,
  );
  const pool = messageOf(() => layers.MaxPooling2D({ name: "pool" })(Input({ shape: [28, 28] })));
  assert.match(startsWithKeras(pool, "maxpool2d_3d"), /give grey images a channel axis/);
  startsWithKeras(
    messageOf(() => layers.Dense(4, { name: "dense_1d" })(Input({ shape: [] }))),
    "dense_1d",
  );
  const dense = layers.Dense(4, { name: "dense" });
  dense(Input({ shape: [784] }));
  const axis = messageOf(() => dense(Input({ shape: [28, 28] })));
  assert.match(startsWithKeras(axis, "dense_axis"), /keeps the input size of its first call/);
  // The same words when the layer is added to a Sequential model (prefixed with the layer being added)
  const seq = messageOf(() => new Sequential([Input({ shape: [28, 28] }), layers.Conv2D(8, 3, { name: "conv2d" })]));
  assert.ok(seq.includes(kerasWords("conv2d_3d")), seq);
});

test("merges of mismatched shapes and a merge called on one tensor: Keras' messages", () => {
  const add = messageOf(() => layers.Add({ name: "add" })([Input({ shape: [3] }), Input({ shape: [4] })]));
  assert.equal(add, kerasWords("add_3_4"));
  const cat = messageOf(() =>
    layers.Concatenate({ name: "cat" })([Input({ shape: [3, 5] }), Input({ shape: [4, 6] })]),
  );
  assert.equal(cat, kerasWords("concatenate"));
  const single = messageOf(() =>
    (layers.Add({ name: "add1" }) as never as (x: unknown) => unknown)(Input({ shape: [3] })),
  );
  assert.match(startsWithKeras(single, "add_not_list"), /Call it as layers\.Add\(\)\(\[a, b\]\)/);
});

function twoInputs(): Model {
  const a = Input({ shape: [3], name: "a" });
  const b = Input({ shape: [2], name: "b" });
  return new Model({
    inputs: [a, b],
    outputs: layers.Dense(1, { name: "out" })(layers.Concatenate()([a, b])),
    name: "two",
  });
}

function oneInput(): Model {
  const a = Input({ shape: [3], name: "a" });
  return new Model({ inputs: a, outputs: layers.Dense(1, { name: "out" })(a), name: "one" });
}

test("a model called on the wrong number of inputs: Keras' message, then how to pass them", () => {
  const two = twoInputs();
  const one = oneInput();
  const upToFix = (id: string) => kerasWords(id).replace(/ Pass inputs as a dict.*$/, "");
  const symbolic = messageOf(() => two(Input({ shape: [3] })));
  assert.ok(symbolic.startsWith(upToFix("call_two_with_one")), symbolic);
  assert.match(symbolic, /model\(\[a, b\]\), or as a dict, e\.g\. model\(\{ a: \.\.\., b: \.\.\. \}\)/);
  const concrete = messageOf(() => two(tf.zeros([2, 3]) as never));
  assert.ok(concrete.startsWith(upToFix("call_two_with_one")), concrete);
  const extra = messageOf(() => one([Input({ shape: [3] }), Input({ shape: [3] })]));
  assert.ok(extra.startsWith(upToFix("call_one_with_two")), extra);
  // A dict by input name works, and one without a key says which, as Keras does
  const out = two({ a: Input({ shape: [3] }), b: Input({ shape: [2] }) } as never);
  assert.deepEqual(out.shape, [null, 1]);
  const missing = messageOf(() => two({ a: Input({ shape: [3] }) } as never));
  assert.equal(missing, kerasWords("predict_dict_missing"));
  two.dispose();
  one.dispose();
});

test("predict given the wrong number of arrays says how many the model takes and how many it got", async () => {
  const two = twoInputs();
  const one = oneInput();
  const [x3, x2] = [tf.zeros([2, 3]), tf.zeros([2, 2])];
  // Keras: `expects 2 named input(s) with keys ['a', 'b'], but it received 3 input tensors`
  const counts = (id: string) =>
    /expects (\d+) named input\(s\) with keys \[(.*)\], but it received (\d+)/.exec(fixture.messages[id])!;
  for (const [id, x] of [
    ["predict_two_with_one", x3],
    ["predict_two_with_three", [x3, x2, x2]],
  ] as const) {
    const [, n, keys, got] = counts(id);
    const ours = await rejectionOf(two.predict(x as never));
    assert.ok(ours.includes(`the model has ${n} inputs (${keys})`), ours);
    assert.ok(ours.includes(got === "1" ? "received one array" : `received a list of ${got} arrays`), ours);
  }
  const [, n, keys, got] = counts("predict_one_with_two");
  const ours = await rejectionOf(one.predict([x3, x3] as never));
  assert.ok(ours.includes(`the model has ${n} input (${keys}) but received a list of ${got} arrays`), ours);
  assert.equal(await rejectionOf(two.predict({ a: x3 } as never)), `x: ${kerasWords("predict_dict_missing")}`);
  tf.dispose([x3, x2]);
  two.dispose();
  one.dispose();
});

test("what Keras accepts silently computes the same: float ids into Embedding, integers into Dense, Flatten 2-D", async () => {
  const { float_ids_into_embedding: e, int_values_into_dense: d } = fixture.computed;
  const embedding = new Sequential([Input({ shape: [4] }), layers.Embedding(10, 3, { name: "emb" })]);
  embedding.getLayer("emb").setWeights([tf.tensor2d(e.table)]);
  const ids = tf.tensor2d(e.ids);
  const gathered = (await embedding.predict(ids)) as tf.Tensor;
  assert.deepEqual(gathered.arraySync(), tf.tensor3d(e.output).arraySync()); // ids truncated, as Keras' int32 cast
  const dense = new Sequential([Input({ shape: [3], dtype: "int32" }), layers.Dense(2, { name: "d" })]);
  dense.getLayer("d").setWeights([tf.tensor2d(d.kernel), tf.tensor1d(d.bias)]);
  const x = tf.tensor2d(d.x, undefined, "int32");
  const y = (await dense.predict(x)) as tf.Tensor;
  (y.arraySync() as number[][]).flat().forEach((v, i) => assert.ok(Math.abs(v - d.output.flat()[i]) < 1e-3, `${v}`));
  assert.deepEqual(layers.Flatten()(Input({ shape: [10] })).shape, fixture.computed.flatten_2d_output_shape);
  tf.dispose([ids, gathered, x, y]);
  embedding.dispose();
  dense.dispose();
});
