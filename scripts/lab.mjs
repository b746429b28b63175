// Starts the project's JupyterLab: loopback only, token authentication, no browser, no news pop-up.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { venvBin } from "./setup/paths.mjs";

/**
 * Starts `jupyter lab` on rootDir. Resolves to { url, token, port, child, stop() } once the server
 * listens; rejects with its output if it exits first.
 */
export function startLab({
  rootDir,
  port = 8888,
  token = randomBytes(24).toString("hex"),
  quiet = false,
  env = process.env,
} = {}) {
  const args = [
    "lab",
    "--no-browser",
    "--ip=127.0.0.1",
    `--port=${port}`,
    `--ServerApp.root_dir=${rootDir}`,
    `--IdentityProvider.token=${token}`,
    "--ServerApp.open_browser=False",
  ];
  if (typeof process.getuid === "function" && process.getuid() === 0) args.push("--allow-root"); // Jupyter refuses root otherwise
  const child = spawn(join(venvBin, "jupyter"), args, { stdio: ["ignore", "pipe", "pipe"], env });
  let log = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      log += chunk;
      if (!quiet) process.stderr.write(chunk);
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/lab/.exec(log);
      if (m) {
        child.stdout.off("data", onData);
        child.stderr.off("data", onData);
        if (!quiet) {
          child.stdout.pipe(process.stdout);
          child.stderr.pipe(process.stderr);
        }
        const actualPort = Number(m[1]);
        const base = `http://127.0.0.1:${actualPort}`;
        resolve({
          base,
          url: `${base}/lab?token=${token}`,
          token,
          port: actualPort,
          child,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once("exit", () => done());
              child.kill("SIGTERM");
              setTimeout(() => child.kill("SIGKILL"), 5000).unref();
            }),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`jupyter lab exited (${code}) before listening:\n${log.slice(-2000)}`)),
    );
    child.once("error", reject);
  });
}
