/**
 * The contract between the library's display layer and whatever runs it.
 *
 * tslab's `display.*` sends one MIME type per call, and a library in node_modules may load another
 * copy of tslab than the kernel's. So the kernel launcher (kernel/launcher.ts) publishes a bundle
 * sender on `globalThis` under a registered symbol; every copy of this library finds the same one.
 * Outside that kernel (a terminal, a test, another JS kernel) there is no sender, and callers fall
 * back to text.
 */

/** A Jupyter MIME bundle: MIME type → content (strings, or JSON for `application/*+json`). */
export type MimeBundle = Record<string, unknown>;

export interface BundleSender {
  /** Sends a display_data (or update_display_data when `update`), optionally with a display id. */
  send(
    bundle: MimeBundle,
    options?: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> },
  ): void;
  /** Sends clear_output (absent in kernels that cannot). */
  clear?(options?: { wait?: boolean }): void;
}

/** Where the kernel launcher publishes its BundleSender. */
export const BUNDLE_SENDER = Symbol.for("tslab-keras.bundleSender");
/** The protocol a value implements to render itself as a cell's last value (as Deno's kernel does). */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export function bundleSender(): BundleSender | undefined {
  return (globalThis as Record<symbol, BundleSender | undefined>)[BUNDLE_SENDER];
}

/** An object that renders itself: `value[Symbol.for("Jupyter.display")]()` returns its MIME bundle. */
export interface JupyterDisplayable {
  [JUPYTER_DISPLAY](): MimeBundle;
}

export function isDisplayable(value: unknown): value is JupyterDisplayable {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Record<symbol, unknown>)[JUPYTER_DISPLAY] === "function"
  );
}
