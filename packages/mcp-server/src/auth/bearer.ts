/** Koa middleware: the request must carry a valid bearer token for this resource (RFC 6750). */
import type { Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import { AuthServerUnavailable } from "./authorization-server.js";
import { InvalidToken, MalformedAuthorization, MissingToken, TemporarilyUnavailable } from "./errors.js";
import type { TokenVerifier } from "./token-verifier.js";

const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

/** Sets `ctx.state.caller`, or throws an OAuthError that `errorResponses` answers. */
export function requireBearer(verifier: TokenVerifier, logger: Logger): Middleware {
  return async (ctx, next) => {
    const header = ctx.get("authorization");
    if (!header) throw new MissingToken();
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new MalformedAuthorization();
    const verdict = await verifier.verify(token).catch((error: unknown) => {
      if (!(error instanceof AuthServerUnavailable)) throw error;
      logger.error({ event: "auth_server_unavailable", detail: error.message });
      throw new TemporarilyUnavailable("The authorization server cannot be reached to check the token; retry shortly.");
    });
    if (!verdict.valid) throw new InvalidToken(verdict.reason);
    ctx.state.caller = verdict.caller;
    await next();
  };
}
