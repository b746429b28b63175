/**
 * `npm start` stops cleanly: SIGTERM to npm (which runs the script under `sh -c`, and that shell dies
 * without passing the signal on) or Ctrl+C (SIGINT to the whole process group) stops JupyterLab, the
 * script exits after it, and nothing is left listening or running.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { freePort, listening } from "./ports";

const projectRoot = join(__dirname, "..", "..");

/** Processes whose command line holds `needle` (our lab's token), other than pgrep itself. */
const processesWith = (needle: string) =>
  spawnSync("pgrep", ["-f", needle], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);

async function startThenStop(stop: (npm: ReturnType<typeof spawn>) => void) {
  const port = await freePort();
  const npm = spawn("npm", ["start", "--", `--port=${port}`], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, as a terminal's foreground job
  });
  let log = "";
  const token = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`JupyterLab did not start:\n${log}`)), 90_000);
    const onData = (chunk: Buffer) => {
      log += chunk;
      const m = /lab\?token=([0-9a-f]+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    npm.stdout.on("data", onData);
    npm.stderr.on("data", onData);
  });
  try {
    for (let i = 0; i < 40 && !listening(port); i++) await new Promise((r) => setTimeout(r, 250));
    assert.equal(listening(port), true, `JupyterLab listens on ${port}:\n${log}`);
    assert.ok(processesWith(token).length > 0, "JupyterLab runs");
    stop(npm);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (processesWith(token).length > 0 || processesWith(`port=${port}`).length > 0))
      await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(processesWith(`port=${port}`), [], "start.mjs and JupyterLab exited");
    assert.equal(listening(port), false, "nothing listens on the port");
  } finally {
    for (const pid of processesWith(`port=${port}`)) process.kill(Number(pid), "SIGKILL"); // a failed run leaves nothing
  }
}

test("SIGTERM to npm start stops JupyterLab and the script", { timeout: 150_000 }, async () => {
  await startThenStop((npm) => npm.kill("SIGTERM"));
});

test("Ctrl+C (SIGINT to the process group) stops JupyterLab and the script", { timeout: 150_000 }, async () => {
  await startThenStop((npm) => process.kill(-npm.pid!, "SIGINT"));
});
