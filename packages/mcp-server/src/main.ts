/** `pnpm --filter @odoo-mcp/mcp-server start`: read config, build the app, listen, shut down cleanly. */
import { createServer } from "node:http";
import { createLogger, listenHttp, loadConfigOrExit, loadDotEnv } from "@odoo-mcp/shared";
import { createMcpApp } from "./app.js";
import { loadMcpConfig } from "./config.js";

loadDotEnv();
const config = loadConfigOrExit(() => loadMcpConfig(), "mcp-server");
const logger = createLogger({ name: "mcp-server", level: config.LOG_LEVEL });
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
