/** The auth server's Koa app: our routes first, then oidc-provider for everything OAuth. */
import Router from "@koa/router";
import { createOdooSignIn, type VerifyOdooLogin } from "@odoo-mcp/odoo-client";
import {
  AUTHORIZATION_LIMIT_PER_ADDRESS,
  type Logger,
  REGISTRATION_WINDOW_SECONDS,
  SIGN_IN_LIMIT_PER_ADDRESS,
  SIGN_IN_LIMIT_PER_LOGIN_AND_ADDRESS,
  withoutUrlCredentials,
} from "@odoo-mcp/shared";
import { metricsMiddleware } from "@odoo-mcp/shared/metrics";
import { Redis } from "ioredis";
import Koa from "koa";
import type { Provider } from "oidc-provider";
import { accountRoutes } from "./account/routes.js";
import { consoleRoutes } from "./admin/console.js";
import { adminRoutes } from "./admin/routes.js";
import { ensureAdminToken } from "./admin/token.js";
import type { AuthConfig } from "./config.js";
import { interactionRoutes } from "./consent/routes.js";
import { createRevocationBroadcast } from "./grants/broadcast.js";
import { createGrants } from "./grants/revoke.js";
import { authorizationRequestLimits } from "./http/authorization-limits.js";
import { errorResponses } from "./http/errors.js";
import { authorizationScope, jsonTokenRequests } from "./http/oauth-compat.js";
import { createAuthMetrics } from "./metrics.js";
import { createAccountStore } from "./provider/accounts.js";
import { ensureChatgptClient } from "./provider/clients.js";
import { createProvider } from "./provider/index.js";
import { loadKeys } from "./provider/keys.js";
import { createCredentialVault } from "./provider/odoo-credentials.js";
import { unusedClientSeconds } from "./provider/registered-clients.js";
import { createRememberedGrants } from "./provider/remembered-grants.js";
import { canonicalResource } from "./provider/resources.js";
import { type Storage, withIndexedQueries } from "./storage/contract.js";
import { hashStoredIds, withHashedIds } from "./storage/hashed-ids.js";
import { memoryWindowCounter, redisWindowCounter, type ThrottleLimits, type WindowCounter } from "./throttle.js";

export interface AuthAppOptions {
  config: AuthConfig;
  storage: Storage;
  logger: Logger;
  /** Defaults to checking credentials against `config.ODOO_URL`. */
  verifyLogin?: VerifyOdooLogin;
  metadataDocumentFetch?: typeof fetch;
}

export interface AuthApp {
  app: Koa;
  provider: Provider;
  /** Set when this start created the ChatGPT client secret / admin token: print them once. */
  created: { chatgptSecret?: string; adminToken?: string };
  close(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

export async function createAuthApp(options: AuthAppOptions): Promise<AuthApp> {
  const { config, logger } = options;
  // Tokens in storage are digests from here on (storage/hashed-ids.ts); rows of earlier versions are moved.
  await hashStoredIds(options.storage);
  const storage = withHashedIds(withIndexedQueries(options.storage));
  const keys = await loadKeys(config, storage);
  const accounts = createAccountStore(storage, config.ODOO_AUTH_MODE === "user" || config.ODOO_SERVICE_WRITES);
  const remembered = createRememberedGrants(storage);
  const vault =
    config.ODOO_AUTH_MODE === "user" ? createCredentialVault(storage, config.MCP_JWKS_URL, logger) : undefined;
  const chatgpt = await ensureChatgptClient(config, storage);
  const admin = await ensureAdminToken(config.ADMIN_TOKEN, storage);
  // Replicas count sign-in failures, registrations and authorization requests together in Redis when configured.
  const counterRedis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3 }).on("error", () => undefined)
    : undefined;
  const counter = (name: string, limits: ThrottleLimits): WindowCounter =>
    counterRedis ? redisWindowCounter(counterRedis, name, limits) : memoryWindowCounter(limits);
  const provider = createProvider({
    config,
    registration: {
      perAddress: counter("register", {
        max: config.REGISTRATION_RATE_LIMIT,
        windowSeconds: REGISTRATION_WINDOW_SECONDS,
      }),
      countLoopback: config.REGISTRATION_LIMIT_LOOPBACK,
      max: config.DCR_MAX_CLIENTS,
      ttlSeconds: config.DCR_CLIENT_TTL,
      unusedTtlSeconds: unusedClientSeconds(config),
    },
    storage,
    keys,
    accounts,
    remembered,
    ...(vault ? { vault } : {}),
    logger,
    ...(options.metadataDocumentFetch ? { metadataDocumentFetch: options.metadataDocumentFetch } : {}),
  });
  const broadcast = createRevocationBroadcast(config, logger);
  // Every revocation (ours and oidc-provider's) ends grants and tells the MCP replicas through this.
  const grants = createGrants({ config, provider, storage, broadcast, logger, vault });
  if (!config.MCP_CLIENT_ID || !config.MCP_CLIENT_SECRET) {
    logger.warn(
      { event: "introspection_disabled" },
      "MCP_CLIENT_ID / MCP_CLIENT_SECRET are not set: no client may introspect tokens",
    );
  }

  const metrics = createAuthMetrics(provider);

  const app = new Koa({ proxy: config.TRUST_PROXY });
  app.keys = keys.cookieKeys;
  app.on("error", (error: Error) => logger.error({ event: "http_error", err: error }, "request failed"));
  app.use(metricsMiddleware(metrics.registry, config.METRICS_TOKEN));

  // Our own routes answer failures as OAuth-style JSON errors (RFC 6749 §5.2), never a stack trace.
  app.use(errorResponses(logger));

  const router = new Router();
  router.get("/health", async (ctx) => {
    try {
      await storage.check();
      ctx.body = { status: "ok", issuer: config.issuer, storage: { kind: storage.kind, status: "ok" } };
    } catch (error) {
      ctx.status = 503;
      ctx.body = {
        status: "error",
        issuer: config.issuer,
        storage: { kind: storage.kind, status: "error", detail: withoutUrlCredentials((error as Error).message) },
      };
    }
  });
  router.get("/", (ctx) => {
    ctx.body = {
      name: "odoo-mcp authorization server",
      issuer: config.issuer,
      metadata: `${config.issuer}/.well-known/oauth-authorization-server`,
      mcp_url: config.MCP_RESOURCE_URL,
    };
  });
  // RFC 8414 metadata: the same document as OpenID discovery, served by oidc-provider itself.
  router.get("/.well-known/oauth-authorization-server", async (ctx, next) => {
    ctx.req.url = "/.well-known/openid-configuration";
    await next();
  });

  const verifyLogin =
    options.verifyLogin ??
    createOdooSignIn({
      url: config.ODOO_URL,
      db: config.ODOO_DB,
      writeGroup: config.ODOO_WRITE_GROUP,
      writeCheckModel: config.ODOO_WRITE_CHECK_MODEL,
    });
  // The consent flow's sign-in, /account and /admin share one failure budget (web/sign-in.ts says how).
  const signIn = {
    verifyLogin,
    throttles: {
      byAddress: counter("signin-ip", SIGN_IN_LIMIT_PER_ADDRESS),
      byLoginAndAddress: counter("signin-login-ip", SIGN_IN_LIMIT_PER_LOGIN_AND_ADDRESS),
    },
    odooUrl: config.ODOO_URL,
    csrfSecret: keys.cookieKeys[0] as string,
    signInFailures: metrics.signInFailures,
    logger,
  };
  const interactions = interactionRoutes({
    ...signIn,
    provider,
    resource: canonicalResource(config.MCP_RESOURCE_URL),
    grants,
    accounts,
    remembered,
    ...(vault ? { vault } : {}),
    serviceWrites: config.ODOO_SERVICE_WRITES,
    // In service mode the person's secret is only checked, never used afterwards: any kind will do.
    credentialProtocol: vault ? config.ODOO_PROTOCOL : "auto",
  });

  app.use(router.routes());
  if (broadcast.stream) app.use(broadcast.stream);
  app.use(interactions.routes());
  app.use(accountRoutes({ ...signIn, provider, storage, accounts, grants }).routes());
  app.use(
    consoleRoutes({ ...signIn, config, provider, storage, accounts, grants, adminDigest: admin.digest }).routes(),
  );
  app.use(adminRoutes({ config, storage, adminDigest: admin.digest, grants, logger }).routes());
  app.use(authorizationRequestLimits(counter("authorization", AUTHORIZATION_LIMIT_PER_ADDRESS)));
  app.use(jsonTokenRequests());
  app.use(authorizationScope(provider));
  const oidc = provider.callback();
  app.use(async (ctx) => {
    ctx.respond = false;
    await oidc(ctx.req, ctx.res);
  });

  const sweep = () =>
    storage
      .sweep()
      .then((count) => count && logger.debug({ event: "storage_swept", count }))
      .catch((error: Error) => logger.error({ event: "storage_sweep_failed", err: error }));
  void sweep();
  const sweeper = setInterval(sweep, SWEEP_INTERVAL_MS).unref();

  return {
    app,
    provider,
    created: {
      ...(chatgpt.created ? { chatgptSecret: chatgpt.secret } : {}),
      ...(admin.generated ? { adminToken: admin.generated } : {}),
    },
    close: async () => {
      clearInterval(sweeper);
      await broadcast.close();
      counterRedis?.disconnect();
    },
  };
}
