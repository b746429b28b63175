// Debian's jupyter_kernel_test for the kernel's protocol conformance run (`npm test`, stage "kernel").
// pip cannot reach it here; Debian's 0.4.5 fails against jupyter_client 8 (.venv) but runs on Debian's own
// python3 stack (jupyter_client 7), so it is installed with apt and run by /usr/bin/python3.
import { run } from "./run.mjs";

export const systemPython = process.env.TSLAB_KERAS_SYSTEM_PYTHON ?? "/usr/bin/python3";
const PACKAGE = "python3-jupyter-kernel-test";

export function hasKernelTest() {
  return run(systemPython, ["-c", "import jupyter_kernel_test, jupyter_client"]).status === 0;
}

export function ensureKernelTest(log = console.log) {
  if (hasKernelTest()) return "present";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || run("apt-get", ["--version"]).status !== 0) {
    return `missing (install Debian's \`${PACKAGE}\` to run the kernel conformance tests)`;
  }
  log(`  installing Debian's ${PACKAGE} (apt-get, about a minute)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const args = ["install", "-y", "-q", "--no-install-recommends", PACKAGE];
  let result = run("apt-get", args, { env });
  if (result.status !== 0) {
    run("apt-get", ["update", "-q"], { env });
    result = run("apt-get", args, { env });
  }
  return hasKernelTest()
    ? "installed"
    : `apt-get could not install ${PACKAGE}: ${result.stderr.trim().split("\n").pop()}`;
}

// `node scripts/setup/kernel-test.mjs` installs it alone.
if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureKernelTest());
