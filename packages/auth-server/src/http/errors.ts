/**
 * The auth server's own HTTP errors (its routes beside oidc-provider's): one class per OAuth error code
 * (RFC 6749 §5.2, RFC 6750 §3.1), each carrying its status, description and, for a refused credential,
 * the `WWW-Authenticate` challenge. Routes throw them; `errorResponses` in app.ts's middleware chain
 * turns them into the response, so every body and header is made in one place.
 */
import type { Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";

export interface OAuthErrorOptions {
  /** Another status than the error's usual one (a missing bearer token is 401 `invalid_request`). */
  status?: number;
  /** The `WWW-Authenticate` challenge to send with the error. */
  challenge?: string;
  /** Seconds until the request may be tried again, sent as `Retry-After` (429, 503). */
  retryAfter?: number;
}

export class OAuthError extends Error {
  readonly status: number;
  readonly challenge: string | undefined;
  readonly retryAfter: number | undefined;

  constructor(
    readonly error: string,
    defaultStatus: number,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(description);
    this.name = new.target.name;
    this.status = options.status ?? defaultStatus;
    this.challenge = options.challenge;
    this.retryAfter = options.retryAfter;
  }

  /** The JSON body every OAuth error answers. */
  get body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string, options?: OAuthErrorOptions) {
    super("invalid_request", 400, description, options);
  }
}

export class InvalidToken extends OAuthError {
  constructor(description: string, options?: OAuthErrorOptions) {
    super("invalid_token", 401, description, options);
  }
}

export class InvalidClient extends OAuthError {
  constructor(description: string, options?: OAuthErrorOptions) {
    super("invalid_client", 401, description, options);
  }
}

export class TemporarilyUnavailable extends OAuthError {
  constructor(description: string, options?: OAuthErrorOptions) {
    super("temporarily_unavailable", 503, description, options);
  }
}

export class ServerError extends OAuthError {
  constructor(description = "the server could not complete the request", options?: OAuthErrorOptions) {
    super("server_error", 500, description, options);
  }
}

/**
 * What a thrown error answers: an OAuthError as it is; another client error (Koa's `ctx.throw`, a body
 * too large or malformed) as `invalid_request` with its message; anything else as `server_error`.
 */
export function asOAuthError(error: unknown): OAuthError {
  if (error instanceof OAuthError) return error;
  const status = (error as { status?: number } | undefined)?.status;
  if (status && status >= 400 && status < 500) return new InvalidRequest((error as Error).message, { status });
  return new ServerError();
}

/** The one error middleware: our routes answer failures as OAuth-style JSON errors, never a stack trace. */
export function errorResponses(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (thrown) {
      const error = asOAuthError(thrown);
      if (error.status >= 500) logger.error({ event: "auth_request_failed", err: thrown });
      if (error.challenge) ctx.set("WWW-Authenticate", error.challenge);
      if (error.retryAfter) ctx.set("Retry-After", String(error.retryAfter));
      ctx.status = error.status;
      ctx.body = error.body;
    }
  };
}
