/**
 * Safe file writes for every saver: the target folder is checked (and missing folders created one at a
 * time, never with Node's recursive mkdir, which loops forever on paths such as `/proc/x/y`), bytes go
 * to a hidden temporary sibling that is fsync'ed and renamed over the target, so a save killed at any
 * point leaves either the old file or the new one. Temporary siblings of our own naming that a killed
 * process left behind are removed by the next save into the same folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** `.<target name>.tslab-keras-<pid>-<random>.tmp` */
const TEMP_PATTERN = /^\.(.+)\.tslab-keras-(\d+)-[0-9a-z]+\.tmp$/;

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "the folder is not writable";
    case "ENOTDIR":
    case "EEXIST":
      return "a part of it is a file, not a folder";
    case "ENOENT":
      return "its parent folder does not exist and cannot be created there";
    case "ENOSPC":
      return "the disk is full";
    default:
      return (e as Error).message;
  }
}

/** An error naming the path and why it cannot be written. */
export function pathError(file: string, why: string): Error {
  return new Error(`Cannot save to '${file}': ${why}.`);
}

/**
 * Makes sure `dir` exists as a folder, creating missing levels one by one (at most one mkdir per path
 * component, so it cannot loop). Throws a message naming `file` and the reason.
 */
export function ensureFolder(dir: string, file: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOTDIR") throw pathError(file, `'${nearestFile(at)}' is a file, not a folder`);
      if (code !== "ENOENT") throw pathError(file, reason(e));
    }
    if (st) {
      if (!st.isDirectory()) throw pathError(file, `'${at}' is a file, not a folder`);
      break;
    }
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) throw pathError(file, "no such parent folder");
    at = up;
  }
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EEXIST" && fs.statSync(d).isDirectory()) continue; // made meanwhile
      if (code === "ENOENT") throw pathError(file, `no such parent folder: '${path.dirname(d)}' refuses new folders`);
      throw pathError(file, `cannot create folder '${d}': ${reason(e)}`);
    }
  }
}

function nearestFile(p: string): string {
  let at = p;
  for (;;) {
    const up = path.dirname(at);
    if (up === at) return p;
    try {
      if (fs.statSync(up).isFile()) return up;
    } catch {
      // keep climbing
    }
    at = up;
  }
}

/** Checks the target of a save: the folder exists (or is created), the target is not a folder, overwrite. */
export function prepareTarget(file: string, overwrite = true): string {
  if (typeof file !== "string" || file === "") throw new Error("save needs a file path, e.g. 'model/best.keras'");
  const target = path.resolve(file);
  ensureFolder(path.dirname(target), file);
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(target);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) throw pathError(file, "it is a folder; give a file path such as model/best.keras");
  if (st && !overwrite) throw new Error(`${file} already exists; pass { overwrite: true } to replace it`);
  removeStaleTemps(path.dirname(target));
  probeWritable(target, file);
  return target;
}

/** Creates and removes a temporary sibling, so an unwritable folder fails before any work is done. */
function probeWritable(target: string, file: string): void {
  const tmp = tempSibling(target);
  try {
    fs.closeSync(fs.openSync(tmp, "wx"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // /proc and the like: the folder exists but refuses new files (ENOENT).
    throw pathError(file, code === "ENOENT" ? "the folder does not accept new files" : reason(e));
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false; // our own saves are synchronous: a leftover is stale
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temporary siblings of our naming left in `dir` by processes that no longer run. */
export function removeStaleTemps(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_PATTERN.exec(name);
    if (!m || alive(Number(m[2]))) continue;
    try {
      fs.rmSync(path.join(dir, name), { force: true, recursive: true });
      removed.push(name);
    } catch {
      // not ours to fight over
    }
  }
  return removed;
}

/** A fresh temporary sibling path for `target` (the caller removes it or renames it). */
export function tempSibling(target: string): string {
  const rand = Math.random().toString(36).slice(2, 10);
  return path.join(path.dirname(target), `.${path.basename(target)}.tslab-keras-${process.pid}-${rand}.tmp`);
}

/** Writes `bytes` to `target` atomically: temp sibling, fsync, rename. */
export function writeAtomic(file: string, bytes: Uint8Array | string, overwrite = true): void {
  const target = prepareTarget(file, overwrite);
  writePrepared(target, file, bytes);
}

/** `writeAtomic` for a target already checked by `prepareTarget`. */
export function writePrepared(target: string, file: string, bytes: Uint8Array | string): void {
  const tmp = tempSibling(target);
  try {
    const fd = openForWrite(tmp, file);
    try {
      fs.writeSync(fd, typeof bytes === "string" ? Buffer.from(bytes) : bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function openForWrite(tmp: string, file: string): number {
  try {
    return fs.openSync(tmp, "wx");
  } catch (e) {
    throw pathError(file, reason(e));
  }
}

/** Moves a finished temporary (file or folder) into place; the folder case replaces an older folder. */
export function commitTemp(tmp: string, target: string): void {
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const old = tempSibling(target);
    fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    fs.rmSync(old, { recursive: true, force: true });
  } else {
    fs.renameSync(tmp, target);
  }
}
