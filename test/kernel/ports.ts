/** Loopback ports for the kernel's process tests: a free one to hand out, and whether one is listened on. */
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Whether a TCP socket listens on `port` (ss, from iproute2). */
export const listening = (port: number) =>
  spawnSync("ss", ["-ltnH", `sport = :${port}`], { encoding: "utf8" }).stdout.includes(`:${port}`);
