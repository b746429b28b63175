import { test } from "node:test";
import assert from "node:assert/strict";
import ts from "typescript";
import { expandShorthandProperties } from "../../kernel/shorthand";

const expand = (src: string) => expandShorthandProperties(ts, src);

test("shorthand properties in object literals are spelt out", () => {
  assert.equal(
    expand("model.fit(x, y, { batchSize, epochs });"),
    "model.fit(x, y, { batchSize: batchSize, epochs: epochs });",
  );
  assert.equal(expand("const o = { a, b: 2, ...rest, c };"), "const o = { a: a, b: 2, ...rest, c: c };");
  assert.equal(expand("f({ inner: { deep } });"), "f({ inner: { deep: deep } });");
});

test("destructuring patterns are left alone", () => {
  for (const src of [
    "const { a, b } = obj;",
    "let { a } = obj;",
    "({ a, b } = obj);",
    "[{ a }, b] = pair;",
    "({ x: { y } } = obj);",
    "for (const { a } of xs) {}",
    "for ({ a } of xs) {}",
    "function f({ a, b }: { a: number; b: number }) { return a + b; }",
    "const g = ({ a }: { a: number }) => a;",
  ]) {
    assert.equal(expand(src), src, src);
  }
});

test("code without shorthand properties is unchanged, byte for byte", () => {
  const src = 'const history = await model.fit(x, y, { epochs: 3 });\n// { batchSize }\nconst s = "{ a }";';
  assert.equal(expand(src), src);
});
