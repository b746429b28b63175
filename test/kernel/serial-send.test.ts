/** kernel/serial-send.ts against a fake socket that, like zeromq 6, refuses a send while one is pending. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { isSerialized, serializeServerSends } from "../../kernel/serial-send";

/** Resolves sends synchronously except every `deferEvery`-th, which stays pending until setImmediate. */
class FakeSocket {
  sent: unknown[] = [];
  closed = false;
  sendHighWaterMark = 1000;
  private pending = false;
  private count = 0;
  constructor(private readonly deferEvery: number) {}
  send(message: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error("Socket is closed"));
    if (this.pending) throw Object.assign(new Error("Socket is busy writing"), { code: "EBUSY" });
    if (++this.count % this.deferEvery !== 0) {
      this.sent.push(message);
      return Promise.resolve();
    }
    this.pending = true;
    return new Promise((resolve) =>
      setImmediate(() => {
        this.pending = false;
        this.sent.push(message);
        resolve();
      }),
    );
  }
  close(): void {
    this.closed = true;
  }
}

test("sends are queued in order past deferred ones, options reach the socket, close waits for the queue", async () => {
  const server: { iopub?: FakeSocket } = {};
  serializeServerSends(server, ["iopub"], (name, socket) => {
    if (name === "iopub") socket.sendHighWaterMark = 0;
  });
  const raw = new FakeSocket(5);
  server.iopub = raw;
  assert.ok(isSerialized(server.iopub));
  assert.equal(raw.sendHighWaterMark, 0);

  const messages = Array.from({ length: 23 }, (_, i) => i);
  for (const m of messages) void server.iopub.send(m); // as tslab does: never awaited
  server.iopub.close(); // as tslab does right after the last status
  assert.equal(raw.closed, false, "close waits while sends are queued");
  // Drained within a few event-loop turns; allow up to 2 s when other test files load the machine.
  for (let i = 0; i < 200 && !raw.closed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(raw.sent, messages);
  assert.equal(raw.closed, true);
  assert.equal(server.iopub.sendHighWaterMark, 0, "other members read through to the socket");
});

/** Like zeromq 6 during a bind: send and receive throw EBUSY until the bind's promise resolves. */
class BindingSocket {
  sent: unknown[] = [];
  inbox: unknown[] = ["kernel_info_request", "execute_request"];
  closed = false;
  refused = 0;
  private bindingNow = false;
  private readonly busy = () => {
    this.refused++;
    return Object.assign(new Error("Socket is blocked by a bind or unbind operation"), { code: "EBUSY", errno: 16 });
  };
  bind(): Promise<void> {
    this.bindingNow = true;
    return new Promise((resolve) =>
      setTimeout(() => {
        this.bindingNow = false;
        resolve();
      }, 30),
    );
  }
  send(message: unknown): Promise<void> {
    if (this.bindingNow) throw this.busy();
    this.sent.push(message);
    return Promise.resolve();
  }
  receive(): Promise<unknown> {
    if (this.bindingNow) throw this.busy();
    const next = this.inbox.shift();
    return next === undefined ? new Promise(() => undefined) : Promise.resolve(next);
  }
  close(): void {
    this.closed = true;
  }
}

test("a bind in progress delays sends and receives instead of losing them or ending the receive loop", async () => {
  const server: { shell?: BindingSocket } = {};
  serializeServerSends(server, ["shell"]);
  const raw = new BindingSocket();
  server.shell = raw;
  const shell = server.shell;
  const bound = shell.bind();
  // As tslab does: a receive loop and a reply while the bind is still in progress.
  const iterator = (shell as unknown as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const first = iterator.next();
  void shell.send("kernel_info_reply");
  assert.deepEqual(await first, { value: "kernel_info_request", done: false });
  assert.deepEqual(await iterator.next(), { value: "execute_request", done: false });
  await bound;
  for (let i = 0; i < 100 && raw.sent.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(raw.sent, ["kernel_info_reply"]);
  assert.ok(raw.refused === 0, "the view waits for the bind rather than calling into a blocked socket");
});
