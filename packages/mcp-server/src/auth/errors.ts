/**
 * The OAuth errors a request to this resource server can end with (RFC 6750 §3.1), thrown wherever they
 * are found (bearer check, scope check, the Odoo credentials of user mode, the auth-mode check) and
 * turned into status, `WWW-Authenticate`, `Retry-After` and an OAuth JSON body in one place:
 * `errorResponses` below. Anything else thrown is a 500 with a JSON-RPC internal error.
 */
import { AUTH_UNAVAILABLE_RETRY_AFTER_SECONDS, type Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import { bearerChallenge } from "./challenge.js";

/** What the `WWW-Authenticate` header says: `bare` points at the metadata only (no token was sent). */
type Challenge = "none" | "bare" | "error";

export abstract class OAuthError extends Error {
  abstract readonly status: number;
  /** The OAuth error code, in the body (and in the challenge unless it is bare). */
  abstract readonly error: string;
  protected readonly challenge: Challenge = "error";
  /** The challenge's error_description, when it differs from the body's. */
  protected readonly challengeDescription: string | undefined = undefined;
  /** The scope the challenge names (the default is every scope). */
  readonly scope: string | undefined = undefined;
  readonly retryAfterSeconds: number | undefined = undefined;

  get description(): string {
    return this.message;
  }

  /** The `WWW-Authenticate` value, if this error carries one. */
  wwwAuthenticate(resourceMetadataUrl: string): string | undefined {
    if (this.challenge === "none") return undefined;
    if (this.challenge === "bare") return bearerChallenge(resourceMetadataUrl);
    return bearerChallenge(resourceMetadataUrl, {
      error: this.error,
      description: this.challengeDescription ?? this.description,
      ...(this.scope ? { scope: this.scope } : {}),
    });
  }

  body(): Record<string, string> {
    return { error: this.error, error_description: this.description, ...(this.scope ? { scope: this.scope } : {}) };
  }
}

/** No Authorization header: 401 with a bare challenge, so the client discovers how to get a token. */
export class MissingToken extends OAuthError {
  override name = "MissingToken";
  readonly status = 401;
  readonly error = "invalid_request";
  protected override readonly challenge = "bare";
  constructor() {
    super("This MCP server needs an OAuth access token (Authorization: Bearer …).");
  }
}

/** An Authorization header that is not `Bearer <token>`: 400. */
export class MalformedAuthorization extends OAuthError {
  override name = "MalformedAuthorization";
  readonly status = 400;
  readonly error = "invalid_request";
  protected override readonly challengeDescription = "Malformed Authorization header";
  constructor() {
    super("Use Authorization: Bearer <access token>.");
  }
}

/** The token is not active, not for this resource, or its Odoo credentials were refused: 401. */
export class InvalidToken extends OAuthError {
  override name = "InvalidToken";
  readonly status = 401;
  readonly error = "invalid_token";
}

/**
 * The token lacks a scope the request needs: 403, naming the scopes to ask for (mcp/step-up.ts builds it)
 * and, in the description, how the person allows them.
 */
export class InsufficientScope extends OAuthError {
  override name = "InsufficientScope";
  readonly status = 403;
  readonly error = "insufficient_scope";
  override readonly scope: string;
  constructor(scope: string, description: string) {
    super(description);
    this.scope = scope;
  }
}

/** Our side cannot answer now (the authorization server is unreachable or disagrees): 503, retry shortly. */
export class TemporarilyUnavailable extends OAuthError {
  override name = "TemporarilyUnavailable";
  readonly status = 503;
  readonly error = "temporarily_unavailable";
  protected override readonly challenge = "none";
  override readonly retryAfterSeconds = AUTH_UNAVAILABLE_RETRY_AFTER_SECONDS;
}

/** The one place errors become responses: OAuth errors as above, anything else a JSON-RPC 500. */
export function errorResponses(resourceMetadataUrl: string, logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      if (error instanceof OAuthError) {
        const challenge = error.wwwAuthenticate(resourceMetadataUrl);
        if (challenge) ctx.set("WWW-Authenticate", challenge);
        if (error.retryAfterSeconds !== undefined) ctx.set("Retry-After", String(error.retryAfterSeconds));
        ctx.status = error.status;
        ctx.body = error.body();
        return;
      }
      logger.error({ event: "mcp_request_failed", err: error });
      if (ctx.headerSent || !ctx.writable) return;
      ctx.status = 500;
      ctx.body = { jsonrpc: "2.0", error: { code: -32603, message: "Internal error" }, id: null };
    }
  };
}
