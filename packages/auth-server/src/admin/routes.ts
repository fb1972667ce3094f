/** Operator endpoints the Spanish guide promised, secured by the admin bearer token. */
import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import { ALL_SCOPES, type Logger } from "@odoo-mcp/shared";
import type { AuthConfig } from "../config.js";
import type { Grants } from "../grants/revoke.js";
import { InvalidRequest } from "../http/errors.js";
import { CHATGPT_CLIENT_ID } from "../provider/clients.js";
import type { Storage } from "../storage/contract.js";
import { requireAdmin } from "./token.js";

export interface AdminDependencies {
  config: AuthConfig;
  storage: Storage;
  adminDigest: Buffer;
  grants: Grants;
  logger: Logger;
}

export function adminRoutes({ config, storage, adminDigest, grants, logger }: AdminDependencies): Router {
  const router = new Router({ prefix: "/oauth" });
  const admin = requireAdmin(adminDigest);
  const body = bodyParser({ enableTypes: ["json", "form"], jsonLimit: "16kb", formLimit: "16kb" });

  router.get("/credentials", admin, async (ctx) => {
    ctx.set("Cache-Control", "no-store");
    ctx.body = {
      client_id: CHATGPT_CLIENT_ID,
      authorization_url: `${config.issuer}/oauth/authorize`,
      token_url: `${config.issuer}/oauth/token`,
      scopes: ALL_SCOPES,
      mcp_url: config.MCP_RESOURCE_URL,
      note: "Use these to set up the ChatGPT connector (OAuth). Only a hash of the client secret is stored: it was shown once when created; POST /oauth/rotate-secret shows a new one.",
    };
  });

  router.post("/rotate-secret", admin, async (ctx) => {
    const secret = await grants.rotateChatgptSecret();
    logger.warn({ event: "oauth_client_secret_rotated", client_id: CHATGPT_CLIENT_ID });
    ctx.set("Cache-Control", "no-store");
    ctx.body = { client_id: CHATGPT_CLIENT_ID, client_secret: secret };
  });

  router.get("/tokens/active", admin, async (ctx) => {
    const listed = await Promise.all(
      (["AccessToken", "RefreshToken"] as const).map(async (model) =>
        (await storage.list(model))
          .filter((payload) => !payload.consumed)
          .map((payload) => ({
            type: model === "AccessToken" ? "access_token" : "refresh_token",
            // Stored under its digest: the start of it is the token's `token_id` in the log lines.
            token: `${payload.id.slice(0, 12)}…`,
            client_id: payload.clientId,
            sub: payload.accountId,
            scope: payload.scope,
            grant_id: payload.grantId,
            expires_at: payload.exp ? new Date(payload.exp * 1000).toISOString() : undefined,
          })),
      ),
    );
    const tokens = listed.flat().sort((a, b) => String(a.expires_at).localeCompare(String(b.expires_at)));
    ctx.set("Cache-Control", "no-store");
    ctx.body = { count: tokens.length, tokens };
  });

  router.post("/tokens/revoke", admin, body, async (ctx) => {
    const request = (ctx.request.body ?? {}) as Record<string, unknown>;
    const filters = (["grant_id", "client_id", "sub"] as const).filter(
      (key) => typeof request[key] === "string" && request[key],
    );
    if (filters.length === 0) throw new InvalidRequest("give grant_id, client_id or sub");
    const filter = Object.fromEntries(filters.map((key) => [key, request[key] as string]));
    const revoked = await grants.revokeMatching(filter);
    logger.warn({ event: "oauth_token_revoked", by: "admin", grants: revoked, ...filter });
    ctx.body = { revoked_grants: revoked };
  });

  return router;
}
