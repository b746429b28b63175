#!/usr/bin/env node
// `npm run hub:check`: the class hub under load, end to end on loopback. Starts the hub, creates 5 test
// students (system accounts, PAM), logs each in through the login form, then has all 5 run lesson 002 at
// LESSON_SCALE=smoke at the same time through the proxy (contents + sessions REST API, kernel websockets),
// checks isolation (A's token on B's server, files, kernels → 403), stops the hub and checks that nothing of it
// still listens or runs. Its last line is a one-line summary; exit code 0 only when every check passed.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { URLSearchParams } from "node:url";
import { api, runNotebook, upgradeStatus } from "./lesson-client.mjs";
import { ensureHubSetup, studentsGroup } from "./setup.mjs";
import { projectRoot } from "../setup/paths.mjs";
import { freePort, startHub } from "./start-hub.mjs";
import { createStudents, listeningPorts, processesOf, removeStudent } from "./students.mjs";

const LESSON = "002-fashion-mnist-mlp-comparison.ipynb";
const STUDENTS = 5;
const TOTAL_TIMEOUT_MS = 30 * 60_000;
const MEM_LIMIT = "2G";
const CPU_LIMIT = "1";
const logDir = join(projectRoot, "test-results", "hub"); // the hub's own log, for when a check fails

const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "✔" : "✖"} ${what}`);
  if (!ok) failures.push(what);
  return ok;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** The class's cgroup (made by tslab_hub_spawner.py under this process's own cgroup): paths to read memory. */
function classMemoryCgroup() {
  const lines = readFileSync("/proc/self/cgroup", "utf8").trim().split("\n");
  if (existsSync("/sys/fs/cgroup/cgroup.controllers")) {
    const own = lines.find((l) => l.startsWith("0::")).slice(3);
    return { dir: join("/sys/fs/cgroup", own, "tslab-keras-hub"), usage: "memory.current", peak: "memory.peak" };
  }
  const line = lines.find((l) => l.split(":")[1].split(",").includes("memory"));
  if (!line) return undefined;
  const own = line.split(":").slice(2).join(":");
  return {
    dir: join("/sys/fs/cgroup/memory", own, "tslab-keras-hub"),
    usage: "memory.usage_in_bytes",
    peak: "memory.max_usage_in_bytes",
  };
}

function readBytes(file) {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return undefined;
  }
}

async function login(base, student, password) {
  const response = await fetch(`${base}/hub/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username: student.name, password }),
    redirect: "manual",
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  return {
    status: response.status,
    loggedIn: response.status === 302 && cookies.some((c) => c.startsWith("jupyterhub-hub-login=")),
  };
}

async function startServer(base, student) {
  await api(base, student.token, `/hub/api/users/${student.name}/server`, { method: "POST", expect: [201, 202] });
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const { json } = await api(base, student.token, `/hub/api/users/${student.name}`);
    const server = json.servers?.[""];
    if (server?.ready) return server;
    await sleep(500);
  }
  throw new Error(`${student.name}'s server was not ready within 300 s`);
}

/** Checks A's token against B's server; returns how many of the cross-student requests got 403. */
async function isolation(base, a, b, bKernelId) {
  let denied = 0;
  const status = async (path) =>
    (await fetch(`${base}${path}`, { headers: { Authorization: `token ${a.token}` }, redirect: "manual" })).status;
  const own = await status(`/user/${a.name}/api/status`);
  check(own === 200, `${a.name}'s token on ${a.name}'s own server: HTTP ${own}`);
  for (const [what, path] of [
    ["server", `/user/${b.name}/api/status`],
    ["files", `/user/${b.name}/api/contents/${LESSON}`],
    ["kernels", `/user/${b.name}/api/kernels`],
    ["kernel", `/user/${b.name}/api/kernels/${bKernelId}`],
  ]) {
    const got = await status(path);
    if (check(got === 403, `${a.name}'s token on ${b.name}'s ${what} (${path}): HTTP ${got}`)) denied++;
  }
  const ws = await upgradeStatus(`${base}/user/${b.name}/api/kernels/${bKernelId}/channels`, a.token);
  if (check(ws === 403, `${a.name}'s token opening ${b.name}'s kernel websocket: HTTP ${ws}`)) denied++;
  return denied;
}

async function main() {
  console.log("hub:check: setting up");
  for (const line of ensureHubSetup()) console.log(`  ${line}`);
  const stateDir = mkdtempSync(join(tmpdir(), "tslab-hub-check-"));
  const serviceToken = randomBytes(24).toString("hex");
  const students = createStudents(STUDENTS, studentsGroup);
  let hub;
  let hubLog;
  const cleanup = async () => {
    if (hub) await hub.stop();
    hub = undefined;
    if (hubLog) {
      mkdirSync(logDir, { recursive: true });
      writeFileSync(join(logDir, "jupyterhub.log"), hubLog());
    }
    for (const s of students) removeStudent(s.name);
    rmSync(stateDir, { recursive: true, force: true });
  };
  abort = cleanup;
  const serverPorts = [];
  try {
    hub = await startHub({
      port: await freePort(),
      stateDir,
      lessonScale: "smoke",
      serviceToken,
      memLimit: MEM_LIMIT,
      cpuLimit: CPU_LIMIT,
      quiet: true,
    });
    hubLog = hub.log;
    console.log(
      `hub: JupyterHub ${hub.version} at ${hub.url} (proxy API :${hub.ports.proxyApi}, hub :${hub.ports.hub})`,
    );
    const service = { token: serviceToken };

    const wrong = await login(hub.base, students[0], "not-the-password");
    check(!wrong.loggedIn, `PAM refuses a wrong password (HTTP ${wrong.status})`);
    for (const student of students) {
      const { loggedIn, status } = await login(hub.base, student, student.password);
      check(loggedIn, `${student.name} logs in through /hub/login with PAM (HTTP ${status})`);
      const { json } = await api(hub.base, service.token, `/hub/api/users/${student.name}/tokens`, {
        method: "POST",
        body: { note: "hub:check" },
        expect: [200, 201],
      });
      student.token = json.token;
    }

    const servers = await Promise.all(students.map((s) => startServer(hub.base, s)));
    void servers;
    const ownerOk = students.every((s) => processesOf(s.uid).length > 0);
    check(ownerOk, "each student's server runs as the student's own account");
    const copies = students.every((s) => existsSync(join(s.home, "tslab-keras-lessons", LESSON)));
    check(copies, "each student has a private copy of the lessons in ~/tslab-keras-lessons");

    const memory = classMemoryCgroup();
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, readBytes(join(memory?.dir ?? "/nonexistent", memory?.usage ?? "x")) ?? 0);
        await sleep(500);
      }
    })();
    console.log(`running ${LESSON} (LESSON_SCALE=smoke) for ${STUDENTS} students at once …`);
    const started = Date.now();
    const runs = await Promise.all(
      students.map((s) =>
        runNotebook({ base: hub.base, user: s.name, token: s.token, path: LESSON }).catch((error) => ({
          failed: error.message,
        })),
      ),
    );
    const wall = (Date.now() - started) / 1000;
    const uids = new Set(students.map((s) => s.uid));
    for (const [port, uid] of listeningPorts()) if (uids.has(uid)) serverPorts.push(port); // servers and kernels
    const studentPeaks = students.map((s) =>
      readBytes(join(memory?.dir ?? "/nonexistent", s.name, memory?.peak ?? "x")),
    );
    sampling = false;
    await sampler;

    for (const [i, r] of runs.entries()) {
      const s = students[i];
      const ok = !r.failed && !r.errors.length && !r.missing.length && r.charts > 0;
      const detail = r.failed
        ? r.failed
        : `${r.seconds.toFixed(1)} s, ${r.cells} cells, ${r.charts} Vega-Lite charts${r.errors.length ? `, errors: ${r.errors.join("; ")}` : ""}${r.missing.length ? `, no chart in cells ${r.missing.join(",")}` : ""}`;
      check(
        ok,
        `${s.name}: ${detail}; peak memory ${studentPeaks[i] ? mib(studentPeaks[i]) : "n/a"} (limit ${MEM_LIMIT})`,
      );
    }
    const saved = students.every((s) =>
      readFileSync(join(s.home, "tslab-keras-lessons", LESSON), "utf8").includes("application/vnd.vegalite.v5+json"),
    );
    check(saved, "each student's saved notebook holds its charts");

    const [a, b] = students;
    let denied = 0;
    if (!runs[1].failed) denied = await isolation(hub.base, a, b, runs[1].kernelId);
    else check(false, "isolation not checked: student B's run failed");

    const hubPorts = Object.values(hub.ports);
    await hub.stop();
    hub = undefined;
    // Kernels exit when their server does (parent-watch); on a loaded machine that can take a few seconds.
    const ports = [...hubPorts, ...serverPorts];
    let still = ports;
    let stray = [];
    for (let waited = 0; waited <= 15_000; waited += 500) {
      await sleep(500);
      const after = listeningPorts();
      still = ports.filter((p) => after.has(p));
      stray = students.flatMap((s) => processesOf(s.uid));
      if (!still.length && !stray.length) break;
    }
    check(
      !still.length,
      `after stopping the hub nothing listens on its ${ports.length} ports (hub, proxy, students' servers and kernels)${still.length ? `: still ${still.join(",")}` : ""}`,
    );
    const clean = !still.length && !stray.length;
    check(!stray.length, `no student process left running${stray.length ? `: pids ${stray.join(",")}` : ""}`);

    const times = runs.map((r) => (r.failed ? "failed" : `${r.seconds.toFixed(0)}s`)).join("/");
    const completed = runs.filter((r) => !r.failed && !r.errors.length && !r.missing.length && r.charts > 0).length;
    return { completed, times, wall, peak, denied, clean };
  } finally {
    await cleanup();
  }
}

let abort = async () => {};
const stopEarly = (why) => {
  console.log(`hub:check: FAILED — ${why}; stopping the hub and removing the test accounts`);
  abort().finally(() => process.exit(1));
};
const timer = setTimeout(() => stopEarly(`did not finish within ${TOTAL_TIMEOUT_MS / 60000} min`), TOTAL_TIMEOUT_MS);
process.once("SIGINT", () => stopEarly("interrupted"));
process.once("SIGTERM", () => stopEarly("terminated"));
try {
  const { completed, times, wall, peak, denied, clean } = await main();
  clearTimeout(timer);
  const verdict = failures.length ? `FAILED (${failures.length} checks)` : "ok";
  console.log(
    `hub:check: ${verdict} — ${completed}/${STUDENTS} students ran lesson 002 (smoke) at once with charts in ${wall.toFixed(0)} s (each ${times}), class peak memory ${peak ? mib(peak) : "n/a"}, cross-student requests denied ${denied}/5, ${clean ? "nothing left listening or running" : "processes or ports LEFT after stopping"}`,
  );
  process.exit(failures.length ? 1 : 0);
} catch (error) {
  clearTimeout(timer);
  console.log(`hub:check: FAILED — ${error.stack ?? error}`);
  process.exit(1);
}
