/**
 * Initialize-era hosts (revisions up to 2025-11-25: ChatGPT, Claude today) say once, in `initialize`,
 * that they render views (MCP Apps); later requests do not repeat it, and this stateless server keeps no
 * memory of a connection. So the answer to such an `initialize` hands the fact back as the connection's
 * `Mcp-Session-Id`, which Streamable HTTP clients MUST send on every later request: a signed "renders
 * views" for this person and this app (SignedTokens, readable by every replica sharing
 * MCP_DOWNLOAD_SECRET). It holds nothing secret and grants nothing: it only makes deletes and workflow
 * buttons wait for the person's click in the Confirm view, as a 2026-07-28 request declaring the
 * extension does. An id this server cannot read, or made for another person or app, is ignored: the
 * request is then a plain client's (changes happen at once). Clients that do not declare the extension
 * get no session id at all.
 */
import { randomBytes } from "node:crypto";
import { SignedTokens } from "../signing/signed-tokens.js";
import type { Caller } from "../tools/types.js";

interface Payload {
  /** sub, client id, a nonce (each connection its own id). */
  s: string | null;
  c: string;
  n: string;
}

export class ViewSessions {
  private readonly tokens: SignedTokens<Payload>;

  constructor(secret: string | undefined) {
    this.tokens = new SignedTokens(secret, "view sessions");
  }

  /** The session id for an `initialize` that declared the extension. */
  issue(caller: Caller): string {
    return this.tokens.seal({ s: caller.sub ?? null, c: caller.clientId, n: randomBytes(12).toString("base64url") });
  }

  /** Whether this request's session id says its host renders views, for this caller. */
  rendersViews(caller: Caller, sessionId: string | undefined): boolean {
    const payload = sessionId ? this.tokens.open(sessionId) : undefined;
    return payload !== undefined && payload.s === (caller.sub ?? null) && payload.c === caller.clientId;
  }
}
