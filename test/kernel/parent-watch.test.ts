/**
 * The kernel exits when the process that started it dies without shutting it down (a killed Jupyter
 * server or client), instead of living on as an orphan (kernel/patches/parent-watch.ts).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, listening } from "./ports";

const launcher = join(__dirname, "..", "..", "dist", "kernel", "launcher.js");

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("the kernel exits soon after its parent process is killed", { timeout: 90_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "tslab-keras-kernel-"));
  const names = ["shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"];
  const ports: Record<string, number> = {};
  for (const name of names) ports[name] = await freePort();
  const connection = join(dir, "connection.json");
  writeFileSync(
    connection,
    JSON.stringify({ ...ports, ip: "127.0.0.1", key: "k", transport: "tcp", signature_scheme: "hmac-sha256" }),
  );
  // A parent that starts the kernel and waits, as a Jupyter server does.
  const env = { ...process.env, JPY_PARENT_PID: "" };
  const parent = spawn(
    "sh",
    ["-c", `"${process.execPath}" "${launcher}" --config-path "${connection}" & echo $!; wait`],
    {
      stdio: ["ignore", "pipe", "ignore"],
      env,
    },
  );
  const kernelPid = await new Promise<number>((resolve) =>
    parent.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))),
  );
  try {
    for (let i = 0; i < 120 && !listening(ports.shell_port); i++) await sleep(250);
    assert.equal(listening(ports.shell_port), true, "the kernel started");
    parent.kill("SIGKILL");
    for (let i = 0; i < 40 && alive(kernelPid); i++) await sleep(250);
    assert.equal(alive(kernelPid), false, "the orphaned kernel exited");
    assert.equal(listening(ports.shell_port), false, "nothing listens on its ports");
  } finally {
    if (alive(kernelPid)) process.kill(kernelPid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});
