// Runs a notebook the way JupyterLab in a browser does, through the hub's proxy: the contents API to open
// and save it, the sessions API to start its kernel, and the kernel's websocket (Jupyter messaging 5.3,
// JSON frames) to execute each code cell in order.
import { randomUUID } from "node:crypto";
import { request } from "node:http";

export const VEGALITE_MIME = "application/vnd.vegalite.v5+json";

/** fetch with the student's token; throws with the status and body on an unexpected status. */
export async function api(base, token, path, { method = "GET", body, expect = [200] } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `token ${token}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: "manual",
  });
  const text = await response.text();
  if (!expect.includes(response.status)) {
    throw new Error(`${method} ${path}: HTTP ${response.status} (expected ${expect.join("/")}): ${text.slice(0, 300)}`);
  }
  return { status: response.status, json: text && text.startsWith("{") ? JSON.parse(text) : text };
}

/** The HTTP status a websocket upgrade to `url` gets (101 when accepted), as a browser's handshake sees it. */
export function upgradeStatus(url, token) {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from(randomUUID().slice(0, 16)).toString("base64"),
        Authorization: `token ${token}`,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode);
    });
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`websocket handshake to ${url} timed out`)));
    req.end();
  });
}

function message(session, msgType, content) {
  return {
    header: {
      msg_id: randomUUID(),
      username: "hub-check",
      session,
      msg_type: msgType,
      version: "5.3",
      date: new Date().toISOString(),
    },
    parent_header: {},
    metadata: {},
    content,
    channel: "shell",
    buffers: [],
  };
}

/** Converts an iopub message into a notebook output, or undefined for messages that are not outputs. */
function toOutput(msg) {
  const c = msg.content;
  switch (msg.header.msg_type) {
    case "stream":
      return { output_type: "stream", name: c.name, text: c.text };
    case "display_data":
      return { output_type: "display_data", data: c.data, metadata: c.metadata ?? {}, transient: c.transient };
    case "execute_result":
      return {
        output_type: "execute_result",
        data: c.data,
        metadata: c.metadata ?? {},
        execution_count: c.execution_count,
      };
    case "error":
      return { output_type: "error", ename: c.ename, evalue: c.evalue, traceback: c.traceback };
    default:
      return undefined;
  }
}

/** Opens a kernel websocket; resolves to { execute(code, timeoutMs), close() }. */
export function connectKernel(wsUrl) {
  const session = randomUUID();
  const ws = new globalThis.WebSocket(
    // Node 22+, or Node 20 with --experimental-websocket (npm run hub:check)
    `${wsUrl}${wsUrl.includes("?") ? "&" : "?"}session_id=${session}`,
  );
  const pending = new Map(); // msg_id → { outputs, reply, idle, done, fail }
  ws.addEventListener("message", (event) => {
    const msg = JSON.parse(String(event.data));
    const run = pending.get(msg.parent_header?.msg_id);
    if (!run) return;
    if (msg.channel === "shell" && msg.header.msg_type.endsWith("_reply")) run.reply = msg.content;
    else if (msg.channel === "iopub") {
      if (msg.header.msg_type === "status" && msg.content.execution_state === "idle") run.idle = true;
      else if (msg.header.msg_type === "update_display_data") {
        const id = msg.content.transient?.display_id;
        const index = run.outputs.findIndex((o) => o.transient?.display_id === id);
        if (index >= 0) run.outputs[index] = { ...run.outputs[index], data: msg.content.data };
      } else {
        const output = toOutput(msg);
        if (output) run.outputs.push(output);
      }
    }
    if (run.reply && run.idle) run.done();
  });
  return new Promise((resolve, reject) => {
    ws.addEventListener("error", () => reject(new Error(`websocket ${wsUrl.split("?")[0]} failed`)), { once: true });
    ws.addEventListener("close", () => {
      for (const run of pending.values()) run.fail(new Error("the kernel websocket closed mid-cell"));
    });
    ws.addEventListener("open", () =>
      resolve({
        execute(code, timeoutMs) {
          const content = {
            code,
            silent: false,
            store_history: true,
            user_expressions: {},
            allow_stdin: false,
            stop_on_error: true,
          };
          return this.request("execute_request", content, timeoutMs, `cell timed out after ${timeoutMs / 1000}s`);
        },
        /** A shell request; resolves with its reply and the outputs once the kernel is idle again. */
        request(msgType, content, timeoutMs, timeoutMessage) {
          const msg = message(session, msgType, content);
          return new Promise((done, fail) => {
            const timer = setTimeout(() => fail(new Error(timeoutMessage)), timeoutMs);
            const run = {
              outputs: [],
              done: () => {
                clearTimeout(timer);
                pending.delete(msg.header.msg_id);
                done({ reply: run.reply, outputs: run.outputs.map(({ transient, ...o }) => (void transient, o)) });
              },
              fail: (error) => {
                clearTimeout(timer);
                fail(error);
              },
            };
            pending.set(msg.header.msg_id, run);
            ws.send(JSON.stringify(msg));
          });
        },
        close: () => ws.close(),
      }),
    );
  });
}

/**
 * Runs one notebook of the student's server to the end and saves it with its outputs. Returns
 * { seconds, cells, charts, errors, missing }: `missing` lists cells whose `tslab_keras.expect` asked for a
 * Vega-Lite chart that did not arrive.
 */
export async function runNotebook({ base, user, token, path, cellTimeoutMs = 600_000 }) {
  const prefix = `/user/${user}`;
  const started = Date.now();
  const { json: file } = await api(base, token, `${prefix}/api/contents/${encodeURIComponent(path)}?content=1`);
  const { json: session } = await api(base, token, `${prefix}/api/sessions`, {
    method: "POST",
    body: { path, name: path, type: "notebook", kernel: { name: "tslab-keras" } },
    expect: [201],
  });
  const wsBase = base.replace(/^http/, "ws");
  const kernel = await connectKernel(`${wsBase}${prefix}/api/kernels/${session.kernel.id}/channels?token=${token}`);
  const nb = file.content;
  let charts = 0;
  const errors = [];
  const missing = [];
  try {
    // A kernel that does not answer on shell would otherwise cost the first cell's whole timeout.
    await kernel.request("kernel_info_request", {}, 120_000, "the kernel did not answer kernel_info within 120 s");
    for (const [index, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      const { reply, outputs } = await kernel.execute(source, cellTimeoutMs);
      cell.outputs = outputs;
      cell.execution_count = reply.execution_count ?? null;
      // A chart is shown by display() (display_data) or as the cell's last value (execute_result).
      const chartsHere = outputs.filter(
        (o) => (o.output_type === "display_data" || o.output_type === "execute_result") && o.data?.[VEGALITE_MIME],
      ).length;
      charts += chartsHere;
      if (reply.status !== "ok") {
        errors.push(`cell ${index}: ${reply.ename}: ${reply.evalue}`);
        break;
      }
      if ((cell.metadata?.tslab_keras?.expect ?? []).includes("vegalite") && !chartsHere) missing.push(index);
    }
  } finally {
    kernel.close();
  }
  const seconds = (Date.now() - started) / 1000;
  await api(base, token, `${prefix}/api/contents/${encodeURIComponent(path)}`, {
    method: "PUT",
    body: { type: "notebook", format: "json", content: nb },
  });
  return {
    seconds,
    cells: nb.cells.filter((c) => c.cell_type === "code").length,
    charts,
    errors,
    missing,
    kernelId: session.kernel.id,
    sessionId: session.id,
  };
}
