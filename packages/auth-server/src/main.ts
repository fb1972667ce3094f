/** `pnpm --filter @odoo-mcp/auth-server start`: read config, build the app, listen, shut down cleanly. */
import { createServer } from "node:http";
import { resolve } from "node:path";
import { createLogger, launchDirectory, listenHttp, loadConfigOrExit, loadDotEnv, startOrExit } from "@odoo-mcp/shared";
import { createAuthApp } from "./app.js";
import { loadAuthConfig } from "./config.js";
import { openStorage } from "./storage/open.js";

loadDotEnv();
const config = loadConfigOrExit(() => loadAuthConfig(), "auth-server");
const logger = createLogger({ name: "auth-server", level: config.LOG_LEVEL });
const storage = await startOrExit(
  openStorage({ ...config, sqlitePath: resolve(launchDirectory(), config.AUTH_SQLITE_PATH) }),
  "auth-server",
);
const auth = await startOrExit(createAuthApp({ config, storage, logger }), "auth-server");

// Shown once, on the start that created them; never logged again (the logger redacts secrets).
if (auth.created.chatgptSecret) {
  process.stdout.write(
    `\nChatGPT connector client created: client_id=chatgpt-odoo-mcp client_secret=${auth.created.chatgptSecret}\n`,
  );
}
if (auth.created.adminToken) {
  process.stdout.write(`Admin token (operator endpoints, shown once): ${auth.created.adminToken}\n\n`);
}

const server = createServer(auth.app.callback());
await listenHttp(server, config.AUTH_PORT, config.AUTH_HOST, 30_000);
logger.info({
  event: "auth_server_started",
  issuer: config.issuer,
  port: config.AUTH_PORT,
  storage: storage.kind,
  odoo: config.ODOO_URL,
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ event: "auth_server_stopping", signal });
    server.close(async () => {
      await auth.close();
      await storage.close();
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
