// Test students for hub:check: local system accounts (PAM logs them in), created fresh and removed after.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "../setup/run.mjs";

export const testPrefix = "tslab-check-";

function must(cmd, args, input) {
  const result = run(cmd, args, input === undefined ? {} : { input });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

/** Removes a test account with its home and any process it still runs. */
export function removeStudent(name) {
  if (!name.startsWith(testPrefix)) throw new Error(`refusing to remove ${name}: not a test account`);
  if (run("id", ["-u", name]).status !== 0) return;
  run("pkill", ["-KILL", "-u", name]);
  run("userdel", ["-r", name]);
}

/** Creates `count` accounts tslab-check-a, -b, … in `group` with random passwords. */
export function createStudents(count, group) {
  const students = [];
  for (let i = 0; i < count; i++) {
    const name = `${testPrefix}${String.fromCharCode(97 + i)}`;
    removeStudent(name); // left over from an interrupted run
    const password = randomBytes(12).toString("hex");
    must("useradd", ["--create-home", "--shell", "/bin/bash", "--groups", group, name]);
    must("chpasswd", [], `${name}:${password}\n`);
    const uid = Number(must("id", ["-u", name]).trim());
    students.push({ name, password, uid, home: join("/home", name) });
  }
  return students;
}

/** Pids of processes an account still runs. */
export function processesOf(uid) {
  return run("ps", ["-o", "pid=", "-u", String(uid)])
    .stdout.split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

/** TCP ports in LISTEN state → the uid that owns each socket (from /proc/net/tcp{,6}). */
export function listeningPorts() {
  const ports = new Map();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A") ports.set(parseInt(fields[1].split(":")[1], 16), Number(fields[7]));
    }
  }
  return ports;
}
