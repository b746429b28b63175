// Small process helpers for the set-up scripts: run a command, capture or stream its output, fail loudly.
import { spawnSync } from "node:child_process";

/** Runs a command; returns { status, stdout, stderr }. Never throws for a non-zero exit. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  return {
    status: result.error ? -1 : result.status,
    stdout: result.stdout ?? "",
    stderr: (result.stderr ?? "") + (result.error ? String(result.error.message) : ""),
  };
}

/** Runs a command with its output shown; throws an Error naming the command when it fails. */
export function runOrThrow(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", ...options });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`${cmd} ${args.join(" ")} failed (${why})`);
  }
}

export function step(title) {
  const start = Date.now();
  process.stdout.write(`tslab-keras setup: ${title}\n`);
  return (outcome) => {
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    process.stdout.write(`tslab-keras setup:   ${outcome} (${seconds}s)\n`);
  };
}
