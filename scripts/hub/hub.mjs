#!/usr/bin/env node
// `npm run hub`: a JupyterHub for a class on this server (loopback; put a TLS reverse proxy in front for a
// real class). Options: --port=8000 --mem-limit=2G --cpu-limit=1 --admin=<account>
import { startHub } from "./start-hub.mjs";
import { ensureHubSetup, hubState, studentsGroup } from "./setup.mjs";

const option = (name, fallback) => {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : fallback;
};

try {
  console.log("tslab-keras hub: setting up (first run installs Debian's jupyterhub)");
  for (const line of ensureHubSetup()) console.log(`  ${line}`);
  const hub = await startHub({
    port: Number(option("port", "8000")),
    stateDir: hubState,
    memLimit: option("mem-limit", "2G"),
    cpuLimit: option("cpu-limit", "1"),
    admins: option("admin", "") ? [option("admin", "")] : [],
  });
  console.log(`
  tslab-keras class hub (JupyterHub ${hub.version}): ${hub.url}
  Students log in with their account on this machine; add one with
      adduser alice && adduser alice ${studentsGroup}
  Each gets JupyterLab on a private copy of the lessons (~/tslab-keras-lessons), limited to
  ${option("mem-limit", "2G")} of memory and ${option("cpu-limit", "1")} CPU. Ctrl+C stops the hub and every student's server.
`);
  const stop = () => hub.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  hub.child.once("exit", (code) => {
    console.error(`jupyterhub exited (${code})`);
    process.exit(code ?? 1);
  });
} catch (error) {
  console.error(`tslab-keras hub: ${error.message}`);
  process.exit(1);
}
