/**
 * Jupyter's wire protocol (messaging spec 5.3), for the handlers this kernel adds or replaces in tslab's
 * ZmqServer. tslab parses messages in a class it does not export; this one has the same shape
 * (createReply, signAndSend, header, content), so tslab's own handlers accept it too.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const DELIM = Buffer.from("<IDS|MSG>");
export const PROTOCOL_VERSION = "5.3";

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}
export interface Sendable {
  send(frames: (Buffer | string)[]): unknown;
}

function sign(key: string, parts: (Buffer | string)[]): string {
  const hmac = createHmac("sha256", key);
  for (const p of parts) hmac.update(p);
  return hmac.digest("hex");
}

export class WireMessage {
  identity: Buffer[] = [];
  header = {} as Header;
  parent: Partial<Header> = {};
  metadata: Record<string, unknown> = {};
  content: Record<string, unknown> = {};
  extra: unknown[] = [];

  /** Parses the frames a ROUTER socket received; throws on a missing delimiter or a wrong signature. */
  static fromRaw(key: string, frames: Buffer[]): WireMessage {
    const at = frames.findIndex((f) => f.equals(DELIM));
    if (at < 0) throw new Error("message missing delimiter");
    const msg = new WireMessage();
    msg.identity = frames.slice(0, at);
    const signature = frames[at + 1].toString();
    const parts = frames.slice(at + 2);
    if (key) {
      const want = Buffer.from(sign(key, parts.slice(0, 4)));
      const got = Buffer.from(signature);
      if (want.length !== got.length || !timingSafeEqual(want, got)) throw new Error("invalid message signature");
    }
    msg.header = JSON.parse(parts[0].toString()) as Header;
    msg.parent = JSON.parse(parts[1].toString()) as Partial<Header>;
    msg.metadata = JSON.parse(parts[2].toString()) as Record<string, unknown>;
    msg.content = JSON.parse(parts[3].toString()) as Record<string, unknown>;
    msg.extra = parts.slice(4);
    return msg;
  }

  /** A message answering this one (same routing identities, this header as parent), of `msgType`. */
  createReply(msgType = this.header.msg_type, content: Record<string, unknown> = {}): WireMessage {
    const reply = new WireMessage();
    reply.identity = this.identity;
    reply.header = {
      msg_id: randomBytes(16).toString("hex"),
      msg_type: msgType,
      session: this.header.session,
      username: this.header.username,
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    };
    reply.parent = this.header;
    reply.content = content;
    return reply;
  }

  signAndSend(key: string, socket: Sendable): void {
    const bodies = [this.header, this.parent, this.metadata, this.content].map((part) => JSON.stringify(part));
    void socket.send([...this.identity, DELIM, sign(key, bodies), ...bodies]);
  }
}
