/** The MCP server's Koa app: discovery documents, health, and MCP at /mcp and /mcp/. */
import cors from "@koa/cors";
import Router from "@koa/router";
import { createOdooClient, type OdooClient } from "@odoo-mcp/odoo-client";
import { CREDENTIAL_JWE, type Logger } from "@odoo-mcp/shared";
import { metricsMiddleware } from "@odoo-mcp/shared/metrics";
import type { JWK } from "jose";
import Koa from "koa";
import { authModeGuard, checkAuthMode } from "./auth/auth-mode.js";
import { AuthorizationServer } from "./auth/authorization-server.js";
import { requireBearer } from "./auth/bearer.js";
import { errorResponses, TemporarilyUnavailable } from "./auth/errors.js";
import { protectedResource } from "./auth/protected-resource.js";
import { listenForRevocations } from "./auth/revocation-listener.js";
import { TokenVerifier } from "./auth/token-verifier.js";
import { CallerLimits } from "./caller-limits.js";
import type { McpConfig } from "./config.js";
import { createFileServices, DOWNLOADS_PATH, downloads } from "./downloads/index.js";
import { LinkRevocations } from "./downloads/revocations.js";
import { DEFAULT_DEADLINE_MS, mcpHandler } from "./mcp/http.js";
import { OriginPolicy, originGuard } from "./mcp/origin.js";
import { accountPage } from "./mcp/step-up.js";
import { ViewSessions } from "./mcp/view-sessions.js";
import { createMcpMetrics, measuredOdoo } from "./metrics.js";
import { FieldCatalog } from "./odoo/fields.js";
import { createModelPolicy } from "./odoo/model-policy.js";
import { createServiceGuard, reservedToAdmins } from "./odoo/service-guard.js";
import { UserOdooClients } from "./odoo/user-clients.js";
import { Confirmations } from "./tools/confirmations.js";
import type { Caller, ToolContext } from "./tools/index.js";

export interface McpAppOptions {
  config: McpConfig;
  logger: Logger;
  /** Defaults to the service account's client for ODOO_URL. */
  odoo?: OdooClient;
}

export interface McpApp {
  app: Koa;
  verifier: TokenVerifier;
  /** Resolves once subscribed to revocation notices (at once when none are configured). */
  ready: Promise<void>;

  close(): Promise<void>;
}

export function createMcpApp({ config, logger, odoo: givenOdoo }: McpAppOptions): McpApp {
  const metrics = createMcpMetrics();
  const serviceOdoo =
    givenOdoo ??
    createOdooClient({
      url: config.ODOO_URL,
      db: config.ODOO_DB,
      username: config.ODOO_USERNAME,
      secret: config.ODOO_PASSWORD,
      timeoutMs: config.ODOO_TIMEOUT * 1000,
      rejectedMessage: "the service account's credentials were refused; check ODOO_USERNAME and ODOO_PASSWORD.",
      protocol: config.ODOO_PROTOCOL,
      xmlrpcClient: config.ODOO_XMLRPC_CLIENT,
    });
  const odoo = measuredOdoo(serviceOdoo, metrics.odooCalls);
  const authorizationServer = new AuthorizationServer(
    config.AUTH_ISSUER,
    config.authServerBase,
    config.AUTH_TIMEOUT * 1000,
  );
  const prm = protectedResource(config.MCP_RESOURCE_URL, authorizationServer.issuer);
  const verifier = new TokenVerifier({
    authorizationServer,
    clientId: config.MCP_CLIENT_ID,
    clientSecret: config.MCP_CLIENT_SECRET,
    resource: prm.resource,
    timeoutMs: config.AUTH_TIMEOUT * 1000,
    cacheTtlSeconds: config.INTROSPECTION_CACHE_TTL,
    negativeTtlSeconds: config.INTROSPECTION_NEGATIVE_CACHE_TTL,
    cacheMax: config.INTROSPECTION_CACHE_MAX,
    tokenChecks: metrics.tokenChecks,
    readOnly: config.ODOO_AUTH_MODE === "service" && !config.ODOO_SERVICE_WRITES,
  });
  const guard = config.ODOO_AUTH_MODE === "service" ? createServiceGuard(odoo) : undefined;
  const linkRevocations = new LinkRevocations(config.MCP_DOWNLOAD_TTL);
  const shared = {
    odoo,
    fields: new FieldCatalog(odoo, guard && ((info) => reservedToAdmins(info.groups))),
    policy: createModelPolicy(config.ODOO_MODELS_ALLOWED, config.ODOO_MODELS_DENIED, config.ODOO_MODELS_WRITE_DENIED),
    ...(guard ? { guard } : {}),
    limits: { defaultLimit: config.ODOO_DEFAULT_LIMIT, maxRecords: config.ODOO_MAX_RECORDS },
    webUrl: config.ODOO_WEB_URL ?? config.ODOO_URL,
    accountUrl: accountPage(authorizationServer.issuer),
    searchModels: config.SEARCH_MODELS,
    allowedMethods: new Set(config.ODOO_METHODS_ALLOWED),
    defaultContext: config.ODOO_CONTEXT,
    files: createFileServices(config, logger, linkRevocations),
    confirmations: new Confirmations(config.MCP_DOWNLOAD_SECRET),
    logger,
  };
  const userClients =
    config.ODOO_AUTH_MODE === "user"
      ? new UserOdooClients(
          config.MCP_ENCRYPTION_KEY as JWK,
          config.ODOO_URL,
          config.ODOO_TIMEOUT * 1000,
          config.ODOO_USER_CLIENTS_MAX,
          config.ODOO_PROTOCOL,
          config.ODOO_XMLRPC_CLIENT,
        )
      : undefined;
  const contextFor = async (caller: Caller): Promise<ToolContext> => {
    if (!userClients) return { ...shared, caller, adaptations: [] };
    const user = await userClients.forCaller(caller);
    return { ...shared, ...user, odoo: measuredOdoo(user.odoo, metrics.odooCalls), caller, adaptations: [] };
  };

  const app = new Koa({ proxy: config.TRUST_PROXY });
  app.on("error", (error: Error) => logger.error({ event: "http_error", err: error }, "request failed"));
  const mcpPath = new URL(prm.resource).pathname;
  const isMcpPath = (path: string) => path === mcpPath || path === `${mcpPath}/`;
  const origins = new OriginPolicy(new URL(prm.resource).origin, config.MCP_ALLOWED_ORIGINS);
  app.use(metricsMiddleware(metrics.registry, config.METRICS_TOKEN));
  // The one place errors become responses: OAuth errors (status, WWW-Authenticate, body), else a 500.
  app.use(errorResponses(prm.metadataUrl, logger));
  app.use(
    cors({
      // Discovery documents are public; the MCP endpoint answers the origins its policy allows only.
      origin: (ctx) => (isMcpPath(ctx.path) ? origins.corsOrigin(ctx) : ctx.get("origin") || "*"),
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: [
        "Authorization",
        "Content-Type",
        "Accept",
        "Mcp-Protocol-Version",
        "Mcp-Method",
        "Mcp-Name",
        "Mcp-Session-Id",
        "Last-Event-ID",
      ],
      exposeHeaders: ["WWW-Authenticate", "Mcp-Session-Id", "Mcp-Protocol-Version"],
      maxAge: 86400,
    }),
  );

  const router = new Router();
  router.get("/health", (ctx) => {
    ctx.body = { status: "ok" };
  });
  router.get("/ready", async (ctx) => {
    const [auth, odooCheck] = await Promise.allSettled([
      checkAuthMode(authorizationServer, config.ODOO_AUTH_MODE),
      odoo.version(),
    ]);
    const authOk = auth.status === "fulfilled" && auth.value === undefined;
    const ready = authOk && odooCheck.status === "fulfilled";
    ctx.status = ready ? 200 : 503;
    ctx.body = {
      status: ready ? "ready" : "not_ready",
      authorization_server: authOk ? "ok" : auth.status === "fulfilled" ? auth.value : (auth.reason as Error).message,
      odoo:
        odooCheck.status === "fulfilled"
          ? `ok (${odooCheck.value.server_version})`
          : (odooCheck.reason as Error).message,
    };
  });
  for (const path of ["/.well-known/oauth-protected-resource", new URL(prm.metadataUrl).pathname]) {
    router.get(path, (ctx) => {
      ctx.set("Cache-Control", "public, max-age=300");
      ctx.body = prm.document;
    });
  }
  // For 2025-03-26 clients that look for the authorization server on the MCP host.
  router.get("/.well-known/oauth-authorization-server", async (ctx) => {
    ctx.body = await authorizationServer.metadata().catch((error: Error) => {
      throw new TemporarilyUnavailable(error.message);
    });
    ctx.set("Cache-Control", "public, max-age=300");
  });
  // ODOO_AUTH_MODE=user: the public half of the key the authorization server seals credentials to.
  const encryptionJwks = config.MCP_ENCRYPTION_KEY ? publicEncryptionJwks(config.MCP_ENCRYPTION_KEY) : undefined;
  router.get("/.well-known/jwks.json", (ctx) => {
    if (!encryptionJwks) return ctx.throw(404);
    ctx.set("Cache-Control", "public, max-age=300");
    ctx.body = encryptionJwks;
  });
  router.get("/", (ctx) => {
    ctx.body = {
      name: "odoo-mcp",
      mcp_url: prm.resource,
      resource_metadata: prm.metadataUrl,
      authorization_server: authorizationServer.issuer,
    };
  });

  const limits = new CallerLimits({
    calls: { perMinute: config.MCP_CALLS_PER_MINUTE, concurrent: config.MCP_CALLS_CONCURRENT },
    renders: { concurrent: config.MCP_RENDERS_CONCURRENT },
    downloads: { perMinute: config.MCP_DOWNLOADS_PER_MINUTE, concurrent: config.MCP_DOWNLOADS_CONCURRENT },
  });
  const bearer = requireBearer(verifier, logger);
  const sameAuthMode = authModeGuard(authorizationServer, config.ODOO_AUTH_MODE, logger);
  // A tool makes a few Odoo calls in a row, each bounded by ODOO_TIMEOUT; a download gets as long.
  const deadlineMs = Math.max(DEFAULT_DEADLINE_MS, config.ODOO_TIMEOUT * 4_000);
  const mcp = mcpHandler({
    contextFor,
    toolCalls: metrics.toolCalls,
    deadlineMs,
    limits,
    resourceMetadataUrl: prm.metadataUrl,
    accountUrl: shared.accountUrl,
    viewSessions: new ViewSessions(config.MCP_DOWNLOAD_SECRET),
  });
  const sameOrigin = originGuard(origins);
  router.all(mcpPath, sameOrigin, bearer, sameAuthMode, mcp);
  router.all(`${mcpPath}/`, sameOrigin, bearer, sameAuthMode, mcp);
  router.get(
    `${DOWNLOADS_PATH}/:token`,
    downloads({ files: shared.files, bearer, odoo, userClients, limits, deadlineMs, logger }),
  );

  app.use(router.routes());
  app.use(router.allowedMethods());
  const revocations = listenForRevocations(
    { ...config, authorizationServer: config.authServerBase },
    [verifier, linkRevocations],
    logger,
  );
  return {
    app,
    verifier,
    ready: revocations.ready,
    close: () => revocations.close(),
  };
}

/** The public JWK set of the encryption key: kty, crv, x, y and a kid — never `d`. */
function publicEncryptionJwks(privateJwk: Record<string, string>) {
  const { kty, crv, x, y, kid } = privateJwk;
  return { keys: [{ kty, crv, x, y, kid: kid ?? "odoo-mcp-enc", use: "enc", alg: CREDENTIAL_JWE.alg }] };
}
