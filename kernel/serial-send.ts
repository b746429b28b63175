/**
 * One send at a time on each of tslab's zeromq sockets.
 *
 * tslab's `signAndSend` calls zeromq 6's `socket.send()` without awaiting it, but zeromq 6 allows only
 * one pending send per socket and throws EBUSY (synchronously) at any other. A send is left pending past
 * the current task whenever zeromq defers it: after 512 sends resolved synchronously it defers one to
 * the next libuv check phase, so as not to starve the event loop (socket.cc, `max_sync_operations`),
 * and only a callback from its poller resets that count — which a socket that never receives, like
 * iopub's PUB socket, never gets. So every 513th iopub message opens a window in which the next one
 * (a progress-bar update, a stream write, the cell's `status: idle`) throws and is lost: the cell
 * errors or never goes idle. The in-place progress bar sends several messages per task, so it hits it.
 *
 * Here each socket's `send` enqueues, and a pump awaits each zeromq send before starting the next, so
 * messages keep their order and none is refused.
 *
 * The same view also waits out a `bind`: zeromq 6 refuses a send or a receive (EBUSY, "Socket is
 * blocked by a bind or unbind operation") until the bind's promise has resolved on the JavaScript
 * thread, but the client may connect and send as soon as the port is open. tslab binds its five
 * sockets after starting its receive loops; on a loaded machine (five students' kernels starting at
 * once on a hub) the first `kernel_info_request` arrived inside that window, the reply was refused,
 * and the shell loop died on the EBUSY: the kernel answered nothing on shell for good.
 */
import { writeSync } from "node:fs";

interface Sendable {
  send(message: unknown): Promise<void>;
  close(): void;
  bind?(address: string): Promise<void>;
  receive?(): Promise<unknown>;
  readonly closed?: boolean;
}

/** zeromq's refusal while a bind or unbind is in progress. */
function blockedByBind(error: unknown): boolean {
  const e = error as { code?: string; message?: string } | null;
  return e?.code === "EBUSY" && /bind/.test(e.message ?? "");
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
interface Pending {
  message: unknown;
  done: () => void;
}

const serialized = new WeakSet<object>();

/**
 * A view of `socket` whose `send` enqueues into a FIFO that awaits each underlying send, and whose
 * `close` waits for that queue to drain; everything else goes to the socket itself (zeromq's socket
 * objects are not extensible, hence a Proxy). The promise `send` returns resolves once the message is
 * handed to zeromq, and never rejects.
 */
export function serializeSends<T extends Sendable>(socket: T, name: string): T {
  const rawSend = socket.send.bind(socket);
  const queue: Pending[] = [];
  let head = 0;
  let pumping = false;
  let closeWhenDrained = false;
  let binding: Promise<void> | undefined;

  /** Runs a socket operation, waiting out a bind in progress (zeromq refuses it until then). */
  async function unblocked<R>(operation: () => Promise<R>): Promise<R> {
    for (let tries = 0; ; tries++) {
      if (binding) await binding.catch(() => undefined);
      try {
        return await operation();
      } catch (error) {
        if (!blockedByBind(error) || socket.closed || tries > 10_000) throw error;
        await tick(); // the bind resolved in zeromq but not yet on this thread
      }
    }
  }

  async function pump(): Promise<void> {
    pumping = true;
    while (head < queue.length) {
      const item = queue[head++];
      try {
        // The first send of an idle queue still starts synchronously (no bind in progress: no await before it).
        await unblocked(() => rawSend(item.message));
      } catch (error) {
        report(name, error);
      }
      item.done();
    }
    queue.length = 0;
    head = 0;
    pumping = false;
    if (closeWhenDrained) socket.close();
  }

  const queuedSend = (message: unknown): Promise<void> =>
    new Promise<void>((done) => {
      queue.push({ message, done });
      if (!pumping) void pump();
    });

  // tslab closes the sockets right after the shutdown reply and `status: idle`: send those first.
  const close = (): void => {
    if (pumping) closeWhenDrained = true;
    else socket.close();
  };

  const bind = (address: string): Promise<void> => {
    const pending = socket.bind!(address);
    binding = pending;
    return pending.finally(() => {
      if (binding === pending) binding = undefined;
    });
  };

  // zeromq's own iterator (lib/index.js), but a receive refused during a bind is retried, not fatal.
  const messages = (): AsyncIterator<unknown> => ({
    next: async () => {
      if (socket.closed) return { done: true, value: undefined };
      try {
        return { value: await unblocked(() => socket.receive!()), done: false };
      } catch (error) {
        if (socket.closed && (error as { code?: string }).code === "EAGAIN") return { done: true, value: undefined };
        throw error;
      }
    },
  });

  const view = new Proxy(socket, {
    get(target, key) {
      if (key === "send") return queuedSend;
      if (key === "close") return close;
      if (key === "bind" && typeof target.bind === "function") return bind;
      if (key === Symbol.asyncIterator && typeof target.receive === "function") return messages;
      const value: unknown = Reflect.get(target, key, target); // native accessors need the real socket
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set: (target, key, value) => Reflect.set(target, key, value, target),
  });
  serialized.add(view);
  return view;
}

export function isSerialized(socket: unknown): boolean {
  return typeof socket === "object" && socket !== null && serialized.has(socket);
}

/**
 * Makes every socket `names` that tslab's ZmqServer creates (in `init`, as `this.iopub = new ...`)
 * serialize its sends from the moment it is assigned, before it is bound or used; `configure` may set
 * socket options there too (they must be set before bind).
 */
export function serializeServerSends(
  server: object,
  names: readonly string[],
  configure: (name: string, socket: Record<string, unknown>) => void = () => {},
): void {
  for (const name of names) {
    let socket: unknown;
    Object.defineProperty(server, name, {
      configurable: true,
      enumerable: true,
      get: () => socket,
      set(value: unknown) {
        const sendable = typeof value === "object" && value !== null && typeof (value as Sendable).send === "function";
        if (sendable) configure(name, value as Record<string, unknown>);
        socket = sendable ? serializeSends(value as Sendable, name) : value;
      },
    });
  }
}

/**
 * A failed send goes to the kernel's own stderr (the server log) by file descriptor: console.error and
 * process.stderr are redirected to iopub by tslab, and reporting there could fail the same way again.
 */
function report(name: string, error: unknown): void {
  try {
    writeSync(2, `tslab-keras kernel: send on ${name} failed: ${String(error)}\n`);
  } catch {
    // nowhere left to report
  }
}
