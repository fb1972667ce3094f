/**
 * Limits in front of oidc-provider's authorization endpoint (`/oauth/authorize`) and pushed authorization
 * requests (`/oauth/par`), where anyone, unauthenticated, makes the server store something: an
 * interaction waiting for the person to sign in, a pushed request. Checked before oidc-provider parses or
 * stores anything:
 * - requests per client address (throttle.ts `addressKey`: an IPv6 client counts as its /64);
 * - the size of the parameters as sent (the query, or the form body, whose length must be declared).
 * Interactions that never reach a sign-in are kept for minutes (provider/index.ts `ttl.Interaction`).
 * A refusal is the endpoint's own standard error: PAR answers JSON (RFC 9126 §2.3: 413 when too large,
 * 429 with Retry-After when too many); the authorization endpoint shows the person the error page with
 * the same status, since it may not redirect to a redirect URI it has not checked (RFC 6749 §4.1.2.1).
 */
import { AUTHORIZATION_REQUEST_MAX_BYTES } from "@odoo-mcp/shared";
import type { Context, Middleware } from "koa";
import { addressKey, type WindowCounter } from "../throttle.js";
import { errorPage } from "../web/error-page.js";
import { renderPage } from "../web/headers.js";
import { InvalidRequest, type OAuthError, TemporarilyUnavailable } from "./errors.js";

type Endpoint = "authorize" | "par";

/** Which endpoint a request is for, matched as oidc-provider's router matches (any case, one trailing slash). */
function endpointOf(ctx: Context): Endpoint | undefined {
  const path = ctx.path.toUpperCase().replace(/(.)\/$/, "$1");
  if (path === "/OAUTH/AUTHORIZE" && (ctx.method === "GET" || ctx.method === "HEAD" || ctx.method === "POST"))
    return "authorize";
  if (path === "/OAUTH/PAR" && ctx.method === "POST") return "par";
  return undefined;
}

/** Why the request's parameters are refused for their size, or undefined. */
function oversized(ctx: Context): OAuthError | undefined {
  const limit = `the request's parameters may take ${AUTHORIZATION_REQUEST_MAX_BYTES} bytes at most`;
  if (ctx.querystring.length > AUTHORIZATION_REQUEST_MAX_BYTES) return new InvalidRequest(limit, { status: 414 });
  if (ctx.method !== "POST") return undefined;
  const declared = ctx.request.length;
  if (declared === undefined)
    return new InvalidRequest("the request body must declare its Content-Length", { status: 411 });
  return declared > AUTHORIZATION_REQUEST_MAX_BYTES ? new InvalidRequest(limit, { status: 413 }) : undefined;
}

export function authorizationRequestLimits(perAddress: WindowCounter): Middleware {
  return async (ctx, next) => {
    const endpoint = endpointOf(ctx);
    if (!endpoint) return next();
    let refused = oversized(ctx);
    if (!refused) {
      const wait = await perAddress.take(`${endpoint}:${addressKey(ctx.ip)}`);
      if (wait > 0) {
        refused = new TemporarilyUnavailable("too many authorization requests from this address; retry later", {
          status: 429,
          retryAfter: wait,
        });
      }
    }
    if (!refused) return next();
    if (endpoint === "par") throw refused;
    const { error, description, status } = refused;
    if (refused.retryAfter) ctx.set("Retry-After", String(refused.retryAfter));
    renderPage(ctx, status, (t, nonce) => errorPage(t, nonce, { error, description }));
  };
}
