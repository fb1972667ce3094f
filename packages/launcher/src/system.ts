/**
 * The whole system in one process with coherent defaults: the Odoo simulator (only when ODOO_URL is
 * unset), the authorization server and the MCP server, each on its own port as in production.
 */
import { createServer, type Server } from "node:http";
import { join, resolve } from "node:path";
import { createAuthApp, loadAuthConfig, openStorage, type Storage } from "@odoo-mcp/auth-server";
import { createMcpApp, loadMcpConfig } from "@odoo-mcp/mcp-server";
import { DEMO_USERS, loadSimConfig, type OdooSim, startOdooSim } from "@odoo-mcp/odoo-sim";
import { CHATGPT_CLIENT_ID, LOCAL_MCP_SECRETS_FILE, type Logger, launchDirectory, listenHttp } from "@odoo-mcp/shared";
import { loadViews } from "@odoo-mcp/views";
import { localMcpSecrets } from "./mcp-secrets.js";
import { checkOdoo, type OdooCheck } from "./odoo-check.js";

export interface RunningSystem {
  /** The storage of the authorization server, for inspection. */
  storage: Storage;
  issuer: string;
  mcpUrl: string;
  odooUrl: string;
  /** Set when the simulator runs: there is no real Odoo. */
  simulator: OdooSim | undefined;
  /** The secret only on the start that created it: storage keeps a hash (rotate at /admin for a new one). */
  chatgpt: { clientId: string; clientSecret: string | undefined };
  /** Shown once: set only on the start that generated it. */
  adminToken: string | undefined;
  /** Asks Odoo its version and says which protocol the MCP server will speak, or why Odoo cannot be reached. */
  checkOdoo(): Promise<OdooCheck>;
  close(): Promise<void>;
}

const closeServer = (server: Server) =>
  new Promise<void>((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });

export interface SystemOptions {
  /** Replaces the network for Client ID Metadata Documents (tests serve them from loopback). */
  metadataDocumentFetch?: typeof fetch;
}

/**
 * The launcher adds only what depends on this one-machine layout (the simulator's URL and account, the
 * ports actually bound, the generated shared secrets, direct loopback links between the servers) and
 * builds each server's configuration through that server's own schema: every default, check and
 * canonical URL is the servers' (a bad value stops the start before anything listens).
 */
export async function startSystem(
  source: Record<string, string | undefined>,
  logger: Logger,
  options: SystemOptions = {},
): Promise<RunningSystem> {
  const env: Record<string, string | undefined> = {
    ...source,
    // Each person acts as themselves in Odoo unless the operator chooses one service account.
    ODOO_AUTH_MODE: source.ODOO_AUTH_MODE?.trim() || "user",
    // This machine is development: trying clients (each mcp-remote folder, each Inspector profile
    // registers anew) must not run into the per-address registration limit. Production keeps it.
    REGISTRATION_LIMIT_LOOPBACK:
      source.REGISTRATION_LIMIT_LOOPBACK?.trim() || (source.NODE_ENV === "production" ? undefined : "false"),
  };
  const host = env.LAUNCH_HOST ?? "127.0.0.1";
  // The simulator's own settings (a wrong ODOO_SIM_VERSION stops the start with one clear line).
  const simSettings = env.ODOO_URL?.trim() ? undefined : loadSimConfig(env);

  // Checked before anything starts; the ports, SQLite path and secrets come from the servers' schemas.
  const planned = loadAuthConfig(env);
  const sqlitePath = resolve(launchDirectory(), planned.AUTH_SQLITE_PATH);
  const secrets = localMcpSecrets(env, join(resolve(sqlitePath, ".."), LOCAL_MCP_SECRETS_FILE));
  const shared = {
    MCP_CLIENT_ID: secrets.clientId,
    MCP_CLIENT_SECRET: secrets.clientSecret,
    MCP_ENCRYPTION_KEY: secrets.encryptionKey,
    MCP_DOWNLOAD_SECRET: secrets.downloadSecret,
  };
  const plannedMcp = loadMcpConfig({ ...env, ...shared });

  const simulator = simSettings
    ? await startOdooSim({
        port: simSettings.ODOO_SIM_PORT,
        host,
        db: simSettings.ODOO_DB,
        version: simSettings.ODOO_SIM_VERSION,
        xmlrpc: simSettings.ODOO_SIM_XMLRPC,
        logger: logger.child({ service: "odoo-sim" }),
      })
    : undefined;

  const authHttp = createServer();
  const mcpHttp = createServer();
  const authPort = await listenHttp(authHttp, planned.AUTH_PORT, host, 120_000);
  const mcpPort = await listenHttp(mcpHttp, plannedMcp.MCP_PORT, host, 120_000);

  const common = {
    ...shared,
    ...(simulator
      ? {
          ODOO_URL: simulator.url,
          ODOO_DB: simulator.db,
          // The simulator's service account, for both servers (the authorization server re-checks rights
          // with it in service mode); from 19.0 its API key, which JSON-2 takes.
          ODOO_USERNAME: env.ODOO_USERNAME ?? "admin",
          ODOO_PASSWORD:
            env.ODOO_PASSWORD ??
            (simulator.release.json2 ? (DEMO_USERS.find((user) => user.login === "admin")?.apiKey as string) : "admin"),
        }
      : {}),
    // The port actually bound (port 0 picks one) is the local default's.
    ...(env.MCP_RESOURCE_URL?.trim() || env.MCP_PUBLIC_URL?.trim()
      ? {}
      : { MCP_RESOURCE_URL: `http://localhost:${mcpPort}/mcp` }),
  };

  // The MCP server reaches the authorization server directly, whatever its public URL.
  const authConfig = loadAuthConfig({
    ...env,
    ...common,
    AUTH_PORT: String(authPort),
    AUTH_SQLITE_PATH: sqlitePath,
    // The authorization server fetches the MCP server's encryption key directly (ODOO_AUTH_MODE=user).
    MCP_JWKS_URL: env.MCP_JWKS_URL ?? `http://127.0.0.1:${mcpPort}/.well-known/jwks.json`,
  });
  const mcpConfig = loadMcpConfig({
    ...env,
    ...common,
    MCP_PORT: String(mcpPort),
    AUTH_ISSUER: authConfig.issuer,
    AUTH_INTERNAL_URL: env.AUTH_INTERNAL_URL ?? `http://127.0.0.1:${authPort}`,
  });

  const storage = await openStorage({ ...authConfig, sqlitePath: authConfig.AUTH_SQLITE_PATH });
  const auth = await createAuthApp({
    config: authConfig,
    storage,
    logger: logger.child({ service: "auth-server" }),
    ...options,
  });
  authHttp.on("request", auth.app.callback());

  // The MCP Apps views, built from their sources first when a checkout has changed them.
  await loadViews();
  const mcp = createMcpApp({ config: mcpConfig, logger: logger.child({ service: "mcp-server" }) });
  mcpHttp.on("request", mcp.app.callback());

  return {
    storage,
    issuer: authConfig.issuer,
    mcpUrl: mcpConfig.MCP_RESOURCE_URL,
    odooUrl: mcpConfig.ODOO_URL,
    simulator,
    chatgpt: {
      clientId: CHATGPT_CLIENT_ID,
      clientSecret: auth.created.chatgptSecret,
    },
    adminToken: auth.created.adminToken,
    checkOdoo: () =>
      checkOdoo({
        url: mcpConfig.ODOO_URL,
        protocol: mcpConfig.ODOO_PROTOCOL,
        timeoutMs: mcpConfig.ODOO_TIMEOUT * 1000,
        serviceSecret: mcpConfig.ODOO_AUTH_MODE === "service" ? mcpConfig.ODOO_PASSWORD : undefined,
      }),
    async close() {
      await Promise.all([closeServer(mcpHttp), closeServer(authHttp)]);
      await mcp.close();
      await auth.close();
      await storage.close();
      await simulator?.close();
    },
  };
}
