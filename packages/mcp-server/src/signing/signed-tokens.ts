/**
 * Tokens this server hands out and reads back without keeping them: `<base64url JSON>.<HMAC-SHA256>`,
 * for download links, view confirmations and view sessions. Each use signs with a key of its own, derived
 * from MCP_DOWNLOAD_SECRET (shared by the replicas, so any of them reads what another made) and the use's
 * name, so a token of one use never passes for another's. Unset, a random key for this process only.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export class SignedTokens<Payload> {
  private readonly key: Buffer;

  constructor(secret: string | undefined, purpose: string) {
    this.key = secret ? createHmac("sha256", secret).update(`odoo-mcp ${purpose}`).digest() : randomBytes(32);
  }

  seal(payload: Payload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${body}.${this.sign(body)}`;
  }

  /** The payload of a token this key signed; undefined for anything else. */
  open(token: string): Payload | undefined {
    const [body, signature, extra] = token.split(".");
    if (!body || !signature || extra !== undefined) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Payload;
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac("sha256", this.key).update(body).digest("base64url");
  }
}
