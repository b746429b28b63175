/**
 * Where a cell's outputs go: stdout/stderr writes become `stream` messages and display calls
 * `display_data` / `update_display_data` / `clear_output`, each with the running request as parent.
 * As in tslab and IPython, writes after a cell ended (a timer, a background promise) still go to the
 * last cell that ran. A silent request (`silent: true`) publishes nothing.
 */
import { TextDecoder } from "node:util";
import { publish, type TslabServer } from "./server";
import type { WireMessage } from "./wire";

const decoder = new TextDecoder();

interface TslabDisplayHook {
  lastWriteDisplayData?: ((content: Record<string, unknown>, update: boolean) => void) | null;
}

export class CellOutput {
  private parent: WireMessage | undefined;
  private silent = false;

  constructor(
    private readonly server: TslabServer,
    private readonly tslabJupyter: TslabDisplayHook,
  ) {}

  /** From now on, outputs belong to `request`. */
  begin(request: WireMessage, silent: boolean): void {
    this.parent = request;
    this.silent = silent;
    process.stdout.write = this.streamWriter("stdout");
    process.stderr.write = this.streamWriter("stderr");
    // tslab's own display API (import { display } from "tslab") sends through this hook.
    this.tslabJupyter.lastWriteDisplayData = (content, update) =>
      this.publish(update ? "update_display_data" : "display_data", content);
  }

  publish(msgType: string, content: Record<string, unknown>): void {
    if (this.parent && !this.silent) publish(this.server, this.parent, msgType, content);
  }

  /** IPython's clear_output: with `wait`, the front end clears when the next output arrives. */
  clear(wait: boolean): void {
    this.publish("clear_output", { wait });
  }

  get hasCell(): boolean {
    return this.parent !== undefined;
  }

  private streamWriter(name: "stdout" | "stderr"): typeof process.stdout.write {
    return ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === "string" ? chunk : decoder.decode(chunk);
      if (text) this.publish("stream", { name, text });
      const done = typeof encoding === "function" ? encoding : callback;
      if (typeof done === "function") process.nextTick(done as () => void);
      return true;
    }) as typeof process.stdout.write;
  }
}
