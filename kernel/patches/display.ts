/**
 * The bundle sender the library's display layer finds on globalThis (src/display/bridge.ts): multi-MIME
 * display_data, in-place updates by display id, and clear_output — through the running cell's outputs,
 * whichever copy of tslab the library itself sees.
 */
import { BUNDLE_SENDER, type BundleSender } from "../../src/display/bridge";
import type { CellOutput } from "./output";

export function installBundleSender(output: CellOutput): BundleSender {
  const sender: BundleSender = {
    send(bundle, options = {}) {
      const content: Record<string, unknown> = { data: bundle, metadata: options.metadata ?? {} };
      if (options.displayId) content.transient = { display_id: options.displayId };
      output.publish(options.update === true ? "update_display_data" : "display_data", content);
    },
    clear(options = {}) {
      output.clear(options.wait === true);
    },
  };
  (globalThis as Record<symbol, unknown>)[BUNDLE_SENDER] = sender;
  return sender;
}
