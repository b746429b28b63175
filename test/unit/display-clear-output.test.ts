/** display.clearOutput: IPython's clear_output through the kernel's bundle sender; options checked. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { BUNDLE_SENDER, type BundleSender } from "../../src/display/bridge";
import { clearOutput } from "../../src/display/output";

function withSender(fn: (cleared: { wait?: boolean }[]) => void): void {
  const cleared: { wait?: boolean }[] = [];
  const sender: BundleSender = { send: () => {}, clear: (options = {}) => void cleared.push(options) };
  const g = globalThis as Record<symbol, unknown>;
  const previous = g[BUNDLE_SENDER];
  g[BUNDLE_SENDER] = sender;
  try {
    fn(cleared);
  } finally {
    g[BUNDLE_SENDER] = previous;
  }
}

test("clearOutput sends clear_output with IPython's default wait=false, or wait=true", () => {
  withSender((cleared) => {
    clearOutput();
    clearOutput({ wait: true });
    assert.deepEqual(cleared, [{ wait: false }, { wait: true }]);
  });
});

test("clearOutput rejects unknown options and non-boolean wait, naming the fix", () => {
  withSender((cleared) => {
    assert.throws(() => clearOutput({ wiat: true } as never), /clearOutput has no option 'wiat' \(closest: 'wait'\)/);
    assert.throws(() => clearOutput({ wait: "yes" } as never), /wait must be true or false, got "yes"/);
    assert.deepEqual(cleared, []);
  });
});

test("outside a kernel clearOutput does nothing", () => {
  const g = globalThis as Record<symbol, unknown>;
  const previous = g[BUNDLE_SENDER];
  delete g[BUNDLE_SENDER];
  try {
    assert.doesNotThrow(() => clearOutput({ wait: true }));
  } finally {
    g[BUNDLE_SENDER] = previous;
  }
});
