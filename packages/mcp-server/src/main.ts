/** `pnpm --filter @odoo-mcp/mcp-server start`: read config, build the app, listen, shut down cleanly. */
import { createServer } from "node:http";
import { createLogger, EX_CONFIG, listenHttp, loadConfigOrExit, loadDotEnv } from "@odoo-mcp/shared";
import { loadViews } from "@odoo-mcp/views";
import { createMcpApp } from "./app.js";
import { checkAuthMode } from "./auth/auth-mode.js";
import { AuthorizationServer } from "./auth/authorization-server.js";
import { loadMcpConfig } from "./config.js";

loadDotEnv();
const config = loadConfigOrExit(() => loadMcpConfig(), "mcp-server");
const logger = createLogger({ name: "mcp-server", level: config.LOG_LEVEL });

// Both servers must run in the same ODOO_AUTH_MODE (see auth/auth-mode.ts), checked before anything
// starts. Unreachable now: start anyway; each request checks it once the metadata arrives (503 until
// the modes agree).
try {
  const authorizationServer = new AuthorizationServer(
    config.AUTH_ISSUER,
    config.authServerBase,
    config.AUTH_TIMEOUT * 1000,
  );
  const problem = await checkAuthMode(authorizationServer, config.ODOO_AUTH_MODE);
  if (problem) {
    process.stderr.write(`mcp-server: configuration error: ${problem}\n`);
    process.exit(EX_CONFIG);
  }
} catch (error) {
  logger.warn(
    { event: "auth_mode_unchecked", detail: (error as Error).message },
    "the authorization server's ODOO_AUTH_MODE is checked when its metadata arrives",
  );
}

// The MCP Apps views: built beside the bundle, or from their sources in a checkout.
await loadViews().catch((error: Error) => {
  process.stderr.write(`mcp-server: ${error.message}\n`);
  process.exit(1);
});
const mcp = createMcpApp({ config, logger });

const server = createServer(mcp.app.callback());
await listenHttp(server, config.MCP_PORT, config.MCP_HOST, 120_000);
logger.info({
  event: "mcp_server_started",
  mcp_url: config.MCP_RESOURCE_URL,
  port: config.MCP_PORT,
  authorization_server: config.AUTH_ISSUER,
  odoo: config.ODOO_URL,
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ event: "mcp_server_stopping", signal });
    server.close(() => void mcp.close().then(() => process.exit(0)));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
