/** Small adjustments in front of oidc-provider, for clients that bend the standards a little. */
import { bodyParser } from "@koa/bodyparser";
import { SCOPES } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import type { Provider } from "oidc-provider";
import { InvalidRequest } from "./errors.js";

const DEFAULT_SCOPE = `${SCOPES.read} ${SCOPES.write}`;

/**
 * The token endpoint also takes `application/json` (the Spanish guide's curl sends JSON): the body is
 * parsed here and handed to oidc-provider as the form body it expects.
 */
export function jsonTokenRequests(): Middleware {
  const parse = bodyParser({ enableTypes: ["json"], jsonLimit: "16kb" });
  return async (ctx, next) => {
    if (ctx.method !== "POST" || ctx.path !== "/oauth/token" || !ctx.is("application/json")) return next();
    try {
      await parse(ctx, async () => {});
    } catch {
      throw new InvalidRequest("the body is not valid JSON");
    }
    const body = ctx.request.body;
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new InvalidRequest("the JSON body must be an object of parameters");
    }
    const form: Record<string, string> = {};
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
        form[key] = String(value);
    }
    (ctx.req as typeof ctx.req & { body?: unknown }).body = form;
    ctx.req.headers["content-type"] = "application/x-www-form-urlencoded";
    await next();
  };
}

/**
 * Marks an authorization request whose scope this server filled in (an oidc-provider extra parameter,
 * so it travels with the request through sign-in and consent): the client named no scope, so a scope the
 * person declined before is not asked for again (consent/policy.ts), nor ticked (consent/choices.ts).
 */
export const SCOPE_DEFAULTED = "scope_defaulted";

export const scopeWasDefaulted = (params: Record<string, unknown>) => params[SCOPE_DEFAULTED] === "1";

/**
 * The scope of an authorization request (GET /oauth/authorize), before oidc-provider reads it:
 * - none (ChatGPT omits it when reconnecting): the client's scopes, marked as filled in here; a client's
 *   own mark on a request that names its scope is dropped;
 * - `odoo:write` without `odoo:read` (an MCP client stepping up with just the scope a 403
 *   `insufficient_scope` named): reading is added, as it is given with any access (RFC 6749 §3.3 lets the
 *   server issue another scope than asked; the token response says which), so the new token still reads.
 */
export function authorizationScope(provider: Provider): Middleware {
  return async (ctx, next) => {
    if (ctx.method === "GET" && ctx.path === "/oauth/authorize" && typeof ctx.query.client_id === "string") {
      const url = new URL(ctx.req.url ?? "/", "http://placeholder");
      url.searchParams.delete(SCOPE_DEFAULTED);
      const asked = typeof ctx.query.scope === "string" ? ctx.query.scope.split(" ").filter(Boolean) : [];
      if (asked.length === 0) {
        const client = await provider.Client.find(ctx.query.client_id).catch(() => undefined);
        const scope = client?.scope
          ? client.scope
              .split(" ")
              .filter((s) => s === SCOPES.read || s === SCOPES.write || s === "offline_access")
              .join(" ")
          : DEFAULT_SCOPE;
        url.searchParams.set("scope", scope || DEFAULT_SCOPE);
        url.searchParams.set(SCOPE_DEFAULTED, "1");
      } else if (asked.includes(SCOPES.write) && !asked.includes(SCOPES.read)) {
        url.searchParams.set("scope", [SCOPES.read, ...asked].join(" "));
      }
      ctx.req.url = `${url.pathname}${url.search}`;
    }
    await next();
  };
}
