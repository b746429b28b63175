import { test } from "node:test";
import assert from "node:assert/strict";
import { closestMatches, editDistance, unknownIdentifierError } from "../../src/utils/suggest";

test("editDistance counts insertions, deletions and substitutions", () => {
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(editDistance("", "abc"), 3);
  assert.equal(editDistance("mse", "mse"), 0);
});

test("closestMatches orders by distance, ignoring case and camel/snake spelling", () => {
  const valid = ["mean_squared_error", "categorical_crossentropy", "sparse_categorical_crossentropy"];
  assert.deepEqual(closestMatches("categoricalCrossentropy", valid)[0], "categorical_crossentropy");
  assert.deepEqual(closestMatches("sparse_categorical_crossentropi", valid)[0], "sparse_categorical_crossentropy");
});

test("unknownIdentifierError names the kind, suggests the closest and lists all", () => {
  const e = unknownIdentifierError("loss", "categorical_crossentopy", ["mse", "categorical_crossentropy"]);
  assert.match(e.message, /^Unknown loss 'categorical_crossentopy'\. Did you mean 'categorical_crossentropy'\?/);
  assert.match(e.message, /Valid losses \(closest first\): 'categorical_crossentropy', 'mse'\./);
  const far = unknownIdentifierError("activation", "zzz", ["relu"]);
  assert.doesNotMatch(far.message, /Did you mean/);
  assert.match(far.message, /Valid activations/);
});
