// Debian's Chromium for the browser checks (playwright-core drives it; it never downloads a browser).
import { existsSync } from "node:fs";
import { run } from "./run.mjs";

export const chromiumPath = process.env.TSLAB_KERAS_CHROMIUM ?? "/usr/bin/chromium";

export function ensureChromium(log = console.log) {
  if (existsSync(chromiumPath)) return "present";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) {
    return "missing (install Debian's `chromium` package to run the browser checks)";
  }
  log("  installing Debian's chromium (apt-get, about a minute)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  let result = run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], { env });
  if (result.status !== 0) {
    run("apt-get", ["update", "-q"], { env });
    result = run("apt-get", ["install", "-y", "-q", "--no-install-recommends", "chromium"], { env });
  }
  return existsSync(chromiumPath)
    ? "installed"
    : `apt-get could not install chromium: ${result.stderr.trim().split("\n").pop()}`;
}
