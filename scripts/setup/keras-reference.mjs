// Python Keras 3 on TensorFlow CPU in .venv-keras/ (git-ignored): the reference the Python round-trip tests
// (saving-python*.test.ts) and `npm run bench -- --keras` compare against. scripts/golden/setup-env.sh makes
// it (idempotent: a complete environment is kept); a machine whose pip cannot reach Keras still installs,
// and those tests then say they are skipped.
import { join } from "node:path";
import { run } from "./run.mjs";
import { projectRoot } from "./paths.mjs";
import { pipEnv } from "./python-env.mjs";

export function ensureKerasReference() {
  const result = run("bash", [join(projectRoot, "scripts", "golden", "setup-env.sh")], {
    env: { ...pipEnv(), TF_CPP_MIN_LOG_LEVEL: "3" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const last = (text) =>
    text
      .trim()
      .split("\n")
      .filter((l) => l && !/^(WARNING|I0000)/.test(l))
      .pop() ?? "";
  if (result.status === 0) return last(result.stdout);
  return `not installed (${last(result.stderr) || `exit ${result.status}`}); the Python round-trip tests will be skipped`;
}
