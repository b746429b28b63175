/**
 * The one place that loads TensorFlow.js: tfjs-node with TensorFlow's native backend.
 *
 * tfjs-node 4.22 calls `util.isNullOrUndefined`, which Node 23 removed; it is restored here (before
 * tfjs-node is required) so the library works on Node 20 and on the current LTS, Node 24.
 * Every other module imports `tf` from here, never from "@tensorflow/tfjs-node" directly.
 */
import * as util from "node:util";

const legacyUtil = util as unknown as { isNullOrUndefined?: (x: unknown) => boolean };
if (typeof legacyUtil.isNullOrUndefined !== "function") {
  // node:util's namespace object is frozen for ESM but the CJS module object is writable.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cjsUtil = require("node:util") as { isNullOrUndefined?: (x: unknown) => boolean };
  cjsUtil.isNullOrUndefined = (x: unknown) => x === null || x === undefined;
}
if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) {
  process.env.TF_CPP_MIN_LOG_LEVEL = "2"; // keep TensorFlow's start-up chatter out of notebooks
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
import tf = require("@tensorflow/tfjs-node");

export { tf };
export default tf;
