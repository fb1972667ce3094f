/**
 * The whole system on this machine, with embedded defaults. Ctrl-C stops everything. `pnpm start` runs
 * it through start.ts, which first refuses a Node.js older than 22.
 */
import { ConfigError, createLogger, loadDotEnv, logLevelOf } from "@odoo-mcp/shared";
import { startSystem } from "./system.js";

loadDotEnv();
let logger: ReturnType<typeof createLogger>;
try {
  logger = createLogger({ name: "odoo-mcp", level: logLevelOf(process.env) });
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`odoo-mcp: could not start: ${error.message}\n`);
  process.exit(1);
}

let system: Awaited<ReturnType<typeof startSystem>>;
try {
  system = await startSystem(process.env, logger);
} catch (error) {
  const { code, message } = error as NodeJS.ErrnoException;
  process.stderr.write(
    `odoo-mcp: could not start: ${code === "EADDRINUSE" ? `${message} (set AUTH_PORT, MCP_PORT or ODOO_SIM_PORT)` : message}\n`,
  );
  process.exit(1);
}

const lines = [
  "",
  "odoo-mcp is running",
  `  MCP server (connector URL)   ${system.mcpUrl}   (${system.mcpUrl}/ works too)`,
  `  Authorization server         ${system.issuer}`,
  `  Odoo                         ${system.odooUrl}${system.simulator ? "  (built-in simulator: no ODOO_URL set)" : ""}`,
  "",
  "  ChatGPT connector (OAuth)",
  `    Client ID                  ${system.chatgpt.clientId}`,
  system.chatgpt.clientSecret
    ? `    Client secret (shown once) ${system.chatgpt.clientSecret}`
    : "    Client secret              shown on the first start only; get a new one at /admin (Rotate)",
  `    Authorization URL          ${system.issuer}/oauth/authorize`,
  `    Token URL                  ${system.issuer}/oauth/token`,
  "    Scopes                     odoo:read odoo:write",
  "",
  `  Connected apps (people)      ${system.issuer}/account`,
  `  Admin console                ${system.issuer}/admin`,
  ...(system.adminToken ? ["", `  Admin token (shown once)     ${system.adminToken}`] : []),
  ...(system.simulator
    ? ["", "  Demo sign-in                 admin / admin (all rights), demo / demo (read-only)"]
    : []),
  "",
  "  Ctrl-C stops everything.",
  "",
];
process.stdout.write(lines.join("\n"));

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: "odoo_mcp_stopping", signal });
    setTimeout(() => process.exit(1), 5000).unref();
    system.close().then(() => process.exit(0));
  });
}
