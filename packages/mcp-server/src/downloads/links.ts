/**
 * Signed download links: `<MCP origin>/downloads/<token>`, the token an HMAC-SHA256 over who asked
 * (sub, client and the grant the token came from), what exactly (one attachment, or one report for given
 * records), when and until when. Nothing secret is inside (no Odoo credential, no bearer token), and the
 * server keeps no state but the revocation notices every replica receives (revocations.ts), so any
 * replica sharing MCP_DOWNLOAD_SECRET serves it. docs/security.md explains the choice.
 */
import { SignedTokens } from "../signing/signed-tokens.js";
import type { LinkRevocations } from "./revocations.js";

/** The one Odoo object a link serves. */
export type DownloadTarget =
  | { kind: "attachment"; id: number }
  | { kind: "report"; report: string; model: string; ids: number[] };

/** The person and application a link was made for, and the grant their token came from. */
export interface LinkOwner {
  sub: string | undefined;
  clientId: string;
  grantId?: string | undefined;
}

interface Payload {
  /** sub, client id, grant id, target, issued at (milliseconds), expiry (seconds since the epoch). */
  s: string | null;
  c: string;
  g?: string;
  t: DownloadTarget;
  i: number;
  e: number;
}

export type OpenedLink = { owner: LinkOwner; target: DownloadTarget } | { problem: "expired" | "invalid" | "revoked" };

export class DownloadLinks {
  private readonly tokens: SignedTokens<Payload>;

  /** `secret` unset: a random key for this process only (links then work on this replica alone). */
  constructor(
    secret: string | undefined,
    private readonly ttlSeconds: number,
    /** Where the route is served, e.g. https://mcp.example.com/downloads */
    private readonly baseUrl: string,
    /** Revocation notices: a link made under a revoked grant or client no longer opens. */
    private readonly revocations?: LinkRevocations,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = new SignedTokens(secret, "download links");
  }

  mint(owner: LinkOwner, target: DownloadTarget): { url: string; expires_at: string } {
    const issued = this.now();
    const expires = Math.floor(issued / 1000) + this.ttlSeconds;
    const payload: Payload = {
      s: owner.sub ?? null,
      c: owner.clientId,
      ...(owner.grantId ? { g: owner.grantId } : {}),
      t: target,
      i: issued,
      e: expires,
    };
    return {
      url: `${this.baseUrl}/${this.tokens.seal(payload)}`,
      expires_at: new Date(expires * 1000).toISOString(),
    };
  }

  open(token: string): OpenedLink {
    const payload = this.tokens.open(token);
    if (!payload) return { problem: "invalid" };
    if (payload.e * 1000 <= this.now()) return { problem: "expired" };
    if (this.revocations?.revoked({ grantId: payload.g, clientId: payload.c, issuedAt: payload.i }))
      return { problem: "revoked" };
    return { owner: { sub: payload.s ?? undefined, clientId: payload.c, grantId: payload.g }, target: payload.t };
  }
}
