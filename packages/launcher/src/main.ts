/**
 * The whole system on this machine, with embedded defaults. Ctrl-C stops everything. `pnpm start` runs
 * it through start.ts, which first refuses a Node.js older than 22.
 */
import {
  ConfigError,
  createLogger,
  exitForConfigError,
  loadConfigOrExit,
  loadDotEnv,
  logLevelOf,
} from "@odoo-mcp/shared";
import { type RunningSystem, startSystem } from "./system.js";

const PROGRAM = "odoo-mcp";

// Ctrl-C (or SIGTERM) is how a person stops it: a clean stop is success (exit status 0), so `pnpm start`
// prints no failure after it. Listened for from the first moment, even while the servers start. `pnpm start`
// runs `node --import tsx`, not the tsx CLI: its signal relay gives the child 30 ms to acknowledge and
// otherwise exits 130 itself, which a loaded machine hits.
let system: RunningSystem | undefined;
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      process.stderr.write(`${PROGRAM}: did not stop within 5 s; exiting anyway\n`);
      process.exit(1);
    }, 5000).unref();
    void (system?.close() ?? Promise.resolve()).then(() => process.exit(0));
  });
}

loadDotEnv();
const logger = loadConfigOrExit(() => createLogger({ name: PROGRAM, level: logLevelOf(process.env) }), PROGRAM);

try {
  system = await startSystem(process.env, logger);
} catch (error) {
  if (error instanceof ConfigError) exitForConfigError(error, PROGRAM);
  const { code, message } = error as NodeJS.ErrnoException;
  process.stderr.write(
    `${PROGRAM}: could not start: ${code === "EADDRINUSE" ? `${message} (set AUTH_PORT, MCP_PORT or ODOO_SIM_PORT)` : message}\n`,
  );
  process.exit(1);
}

const odoo = await system.checkOdoo();
const lines = [
  "",
  odoo.reachable ? "odoo-mcp is running" : "odoo-mcp is running, but cannot reach Odoo (see the last line)",
  `  MCP server (connector URL)   ${system.mcpUrl}   (${system.mcpUrl}/ works too)`,
  `  Authorization server         ${system.issuer}`,
  `  Odoo                         ${system.odooUrl}${system.simulator ? "  (built-in simulator: no ODOO_URL set)" : ""}`,
  odoo.reachable
    ? `                               Odoo ${odoo.version}, spoken to over ${odoo.protocols}`
    : "                               not reachable",
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
if (!odoo.reachable) process.stderr.write(`\n${PROGRAM}: ${odoo.problem}\n`);
else if (odoo.warning) process.stderr.write(`\n${PROGRAM}: ${odoo.warning}\n`);
