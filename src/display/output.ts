/**
 * Sending MIME bundles: through the kernel's BundleSender (bridge.ts) when there is one, else as text on
 * stdout. Every displayable in this folder goes out through `show` / `publish`.
 */
import { randomUUID } from "node:crypto";
import { closestMatches } from "../utils/suggest";
import { bundleSender, isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "./bridge";

export interface PublishOptions {
  /** Display id: the first publish creates the output, later ones with `update: true` replace it. */
  displayId?: string;
  update?: boolean;
  metadata?: Record<string, unknown>;
}

/** A fresh display id (for `publish(..., { displayId })` and in-place updates). */
export function newDisplayId(prefix = "tslab-keras"): string {
  return `${prefix}-${randomUUID()}`;
}

/** True when a kernel published a BundleSender, i.e. bundles reach a notebook. */
export function inKernel(): boolean {
  return bundleSender() !== undefined;
}

/**
 * Sends one bundle. In a kernel: display_data (or update_display_data). Elsewhere: prints the bundle's
 * `text/plain` part to stdout (updates are not printed, so a terminal is not flooded). Returns whether
 * the bundle went to a kernel.
 */
export function publish(bundle: MimeBundle, options: PublishOptions = {}): boolean {
  const sender = bundleSender();
  if (sender) {
    sender.send(bundle, options);
    return true;
  }
  if (!options.update) {
    const text = bundle["text/plain"];
    process.stdout.write(`${typeof text === "string" ? text : "[no text/plain part]"}\n`);
  }
  return false;
}

/** A MIME bundle for any value: displayables render themselves, strings are text, the rest is JSON-ish. */
export function bundleOf(value: unknown): MimeBundle {
  if (isDisplayable(value)) return value[JUPYTER_DISPLAY]();
  if (typeof value === "string") return { "text/plain": value };
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return { "text/plain": text };
}

/**
 * `display.show(x)`: shows a chart, image grid, table (or any value) now, as a cell output. A promise
 * (e.g. `show(plotHistory(h))` without `await`) is awaited first; the returned promise then resolves
 * once it has been shown.
 */
export function show(value: unknown, options: PublishOptions = {}): void | Promise<void> {
  if (value instanceof Promise) return value.then((v: unknown) => show(v, options));
  publish(bundleOf(value), options);
}

export interface ClearOutputOptions {
  /** Clear only when the next output arrives (no flicker in a loop that redraws), as IPython's `wait`. */
  wait?: boolean;
}

/**
 * `display.clearOutput({ wait })`: clears the cell's outputs, as IPython's `clear_output(wait=False)`.
 * Outside a kernel it does nothing (there is nothing to clear).
 */
export function clearOutput(options: ClearOutputOptions = {}): void {
  const valid = ["wait"];
  for (const key of Object.keys(options)) {
    if (!valid.includes(key)) {
      throw new Error(
        `clearOutput has no option '${key}' (closest: '${closestMatches(key, valid)[0]}'). Valid options: wait`,
      );
    }
  }
  if (options.wait !== undefined && typeof options.wait !== "boolean") {
    throw new Error(`clearOutput: wait must be true or false, got ${JSON.stringify(options.wait)}`);
  }
  bundleSender()?.clear?.({ wait: options.wait ?? false });
}
