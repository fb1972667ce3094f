/** Koa middleware: the request must carry a valid bearer token for this resource (RFC 6750). */
import type { Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import { AuthServerUnavailable } from "./authorization-server.js";
import { bearerChallenge } from "./challenge.js";
import type { TokenVerifier } from "./token-verifier.js";

const BEARER = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

export function requireBearer(verifier: TokenVerifier, resourceMetadataUrl: string, logger: Logger): Middleware {
  return async (ctx, next) => {
    const header = ctx.get("authorization");
    if (!header) {
      ctx.set("WWW-Authenticate", bearerChallenge(resourceMetadataUrl));
      ctx.status = 401;
      ctx.body = {
        error: "invalid_request",
        error_description: "This MCP server needs an OAuth access token (Authorization: Bearer …).",
      };
      return;
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) {
      ctx.set(
        "WWW-Authenticate",
        bearerChallenge(resourceMetadataUrl, {
          error: "invalid_request",
          description: "Malformed Authorization header",
        }),
      );
      ctx.status = 400;
      ctx.body = { error: "invalid_request", error_description: "Use Authorization: Bearer <access token>." };
      return;
    }
    let verdict: Awaited<ReturnType<TokenVerifier["verify"]>>;
    try {
      verdict = await verifier.verify(token);
    } catch (error) {
      if (!(error instanceof AuthServerUnavailable)) throw error;
      logger.error({ event: "auth_server_unavailable", detail: error.message });
      ctx.set("Retry-After", "5");
      ctx.status = 503;
      ctx.body = {
        jsonrpc: "2.0",
        error: {
          code: -32000,
          message: "The authorization server cannot be reached to check the token; retry shortly.",
        },
        id: null,
      };
      return;
    }
    if (!verdict.valid) {
      ctx.set(
        "WWW-Authenticate",
        bearerChallenge(resourceMetadataUrl, { error: "invalid_token", description: verdict.reason }),
      );
      ctx.status = 401;
      ctx.body = { error: "invalid_token", error_description: verdict.reason };
      return;
    }
    ctx.state.caller = verdict.caller;
    await next();
  };
}
