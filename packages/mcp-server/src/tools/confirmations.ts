/**
 * Confirmation tokens for the Confirm view (MCP Apps): when a host renders views, a delete or a workflow
 * button is not run when the model asks; the result carries a token for the exact change, and the view
 * redeems it through the app-only tool odoo_confirm_change when the person clicks. The token is an
 * HMAC-SHA256 over who asked (sub and client), the tool and its checked arguments, and a short expiry; it
 * is redeemed once. So the model cannot run the change by itself: the app-only tool is hidden from it,
 * and even called directly it needs a token the model never saw (it travels in the result's `_meta`,
 * which hosts keep out of the model's context) for this person and this app. docs/security.md.
 */
import { randomBytes } from "node:crypto";
import { SignedTokens } from "../signing/signed-tokens.js";
import type { Caller } from "./types.js";

/** How long a person has to decide: a confirmation left longer is asked again. */
export const CONFIRMATION_TTL_SECONDS = 600;

/** The change a token stands for: a tool and the arguments it was called with. */
export interface PendingChange {
  tool: string;
  args: Record<string, unknown>;
}

interface Payload {
  /** sub, client id, the change, a nonce (single use), expiry (seconds since the epoch). */
  s: string | null;
  c: string;
  p: PendingChange;
  n: string;
  e: number;
}

export type Redeemed = { change: PendingChange } | { problem: string };

export class Confirmations {
  private readonly tokens: SignedTokens<Payload>;
  /** Redeemed nonces until their tokens expire, so each token runs its change once. */
  private readonly used = new Map<string, number>();

  /**
   * `secret`: MCP_DOWNLOAD_SECRET, shared by the replicas, from which a key of its own is derived (a
   * download link can never pass for a confirmation); unset, a random key for this process only.
   */
  constructor(
    secret: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = new SignedTokens(secret, "confirmations");
  }

  issue(caller: Caller, change: PendingChange): { token: string; expires_at: string } {
    const expires = Math.floor(this.now() / 1000) + CONFIRMATION_TTL_SECONDS;
    const payload: Payload = {
      s: caller.sub ?? null,
      c: caller.clientId,
      p: change,
      n: randomBytes(12).toString("base64url"),
      e: expires,
    };
    return { token: this.tokens.seal(payload), expires_at: new Date(expires * 1000).toISOString() };
  }

  /** The change a token stands for, once, for the person and app it was issued to. */
  redeem(caller: Caller, token: string): Redeemed {
    const invalid = { problem: "This confirmation is not valid; ask for the change again." };
    const payload = this.tokens.open(token);
    if (!payload) return invalid;
    if (payload.s !== (caller.sub ?? null) || payload.c !== caller.clientId) return invalid;
    const nowSeconds = this.now() / 1000;
    if (payload.e <= nowSeconds) return { problem: "This confirmation has expired; ask for the change again." };
    for (const [nonce, expiry] of this.used) if (expiry <= nowSeconds) this.used.delete(nonce);
    if (this.used.has(payload.n)) return { problem: "This change was already confirmed; it runs only once." };
    this.used.set(payload.n, payload.e);
    return { change: payload.p };
  }
}
