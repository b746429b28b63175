/** Test helpers for the display tests: a fake BundleSender installed on globalThis. */
import { BUNDLE_SENDER, type BundleSender, type MimeBundle } from "../../src/display/bridge";

export interface SentBundle {
  bundle: MimeBundle;
  options?: { displayId?: string; update?: boolean };
}

export class FakeSender implements BundleSender {
  sent: SentBundle[] = [];
  send(bundle: MimeBundle, options?: { displayId?: string; update?: boolean }): void {
    this.sent.push({ bundle, options });
  }
}

/** Installs a FakeSender as the kernel's bundle sender; returns it and a function that removes it. */
export function installFakeSender(): { sender: FakeSender; restore: () => void } {
  const g = globalThis as Record<symbol, unknown>;
  const previous = g[BUNDLE_SENDER];
  const sender = new FakeSender();
  g[BUNDLE_SENDER] = sender;
  return {
    sender,
    restore: () => {
      if (previous === undefined) delete g[BUNDLE_SENDER];
      else g[BUNDLE_SENDER] = previous;
    },
  };
}

/** A fake clock in ms that tests advance by hand. */
export function fakeClock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** Captures writes to a fake stream. */
export function fakeStream(isTTY: boolean): { write(s: string): boolean; isTTY: boolean; out: string[] } {
  const out: string[] = [];
  return { out, isTTY, write: (s: string) => (out.push(s), true) };
}
