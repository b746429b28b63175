/** Python's str.format and float repr, as ModelCheckpoint and the callbacks' messages use them. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { pyFormat, pyRepr } from "../../src/callbacks/format";

const fixture = JSON.parse(readFileSync(join(__dirname, "..", "fixtures", "golden", "format.json"), "utf8")) as {
  values: Record<string, number>;
  ints: string[];
  cases: { template: string; expected: string }[];
  repr: { value: number; expected: string }[];
};

test("pyFormat matches Python's str.format on every fixture template", () => {
  for (const c of fixture.cases) {
    assert.equal(pyFormat(c.template, fixture.values, fixture.ints), c.expected, c.template);
  }
});

test("pyRepr matches Python's repr(float)", () => {
  for (const c of fixture.repr) assert.equal(pyRepr(c.value), c.expected, String(c.value));
});
