/**
 * The Python Keras 3 reference (`.venv-keras`, made by `npm install` / scripts/golden/setup-env.sh) for the
 * round-trip tests: a `skip` reason when it is absent, and a runner for one of scripts/golden/'s scripts.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..", "..");
const PY = path.join(ROOT, ".venv-keras", "bin", "python");

export const kerasSkip: string | false = fs.existsSync(PY)
  ? false
  : "no .venv-keras (bash scripts/golden/setup-env.sh makes it): Python Keras round trips skipped";

/** Runs `scripts/golden/<script>` with `args` in the Keras environment (throws with its stderr on failure). */
export function runKerasScript(script: string, args: string[], timeoutMs: number): void {
  execFileSync(PY, [path.join(ROOT, "scripts", "golden", script), ...args], {
    timeout: timeoutMs,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "3" },
  });
}
