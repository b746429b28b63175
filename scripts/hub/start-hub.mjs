// Starts Debian's JupyterHub with scripts/hub/jupyterhub_config.py on loopback; resolves once its REST API
// answers. Shared by `npm run hub` and `npm run hub:check`.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../setup/paths.mjs";
import { chpPath, serverPython, sharedDatasets, studentsGroup } from "./setup.mjs";

const here = dirname(fileURLToPath(import.meta.url));
export const hubConfig = join(here, "jupyterhub_config.py");

/** A port free on 127.0.0.1 right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the hub; resolves to { url, port, ports, child, log(), stop() }. Rejects with the hub's output if it
 * exits or does not answer within `timeoutMs`.
 */
export async function startHub({
  port = 8000,
  stateDir,
  memLimit = "2G",
  cpuLimit = "1",
  lessonScale,
  serviceToken,
  admins = [],
  quiet = false,
  timeoutMs = 60_000,
} = {}) {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const ports = { public: port, hub: await freePort(), proxyApi: await freePort() };
  const env = {
    ...process.env,
    TSLAB_HUB_PROJECT: projectRoot,
    TSLAB_HUB_STATE: stateDir,
    TSLAB_HUB_PORT: String(ports.public),
    TSLAB_HUB_INTERNAL_PORT: String(ports.hub),
    TSLAB_HUB_PROXY_API_PORT: String(ports.proxyApi),
    TSLAB_HUB_CHP: chpPath(),
    TSLAB_HUB_SERVER_PYTHON: serverPython,
    TSLAB_HUB_DATASETS: sharedDatasets,
    TSLAB_HUB_GROUP: studentsGroup,
    TSLAB_HUB_MEM_LIMIT: String(memLimit),
    TSLAB_HUB_CPU_LIMIT: String(cpuLimit),
    TSLAB_HUB_ADMINS: admins.join(","),
  };
  if (lessonScale) env.TSLAB_HUB_LESSON_SCALE = lessonScale;
  if (serviceToken) env.TSLAB_HUB_SERVICE_TOKEN = serviceToken;
  const child = spawn("/usr/bin/jupyterhub", ["-f", hubConfig], {
    cwd: stateDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a last-resort kill reaches the proxy too
  });
  let output = "";
  const onData = (chunk) => {
    output += chunk;
    if (output.length > 4_000_000) output = output.slice(-2_000_000);
    if (!quiet) process.stderr.write(chunk);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${ports.public}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM"); // the hub stops every student's server and the proxy it started
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          /* gone */
        }
      }, 30_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + timeoutMs;
  let ended;
  exited.then((e) => (ended = e));
  while (Date.now() < deadline) {
    if (ended)
      throw new Error(`jupyterhub exited (${ended.code ?? ended.signal}) before serving:\n${output.slice(-3000)}`);
    try {
      const response = await fetch(`${base}/hub/api/`);
      if (response.ok) {
        const { version } = await response.json();
        return { base, url: `${base}/hub/login`, version, ports, child, log: () => output, stop };
      }
    } catch {
      /* not listening yet */
    }
    await sleep(300);
  }
  await stop();
  throw new Error(`jupyterhub did not answer on ${base} within ${timeoutMs / 1000}s:\n${output.slice(-3000)}`);
}
