/** Standalone simulator: `pnpm --filter @odoo-mcp/odoo-sim start` (ODOO_SIM_PORT, ODOO_SIM_HOST, ODOO_DB, ODOO_SIM_VERSION). */
import { createLogger, loadConfigOrExit, loadDotEnv } from "@odoo-mcp/shared";
import { loadSimConfig } from "./config.js";
import { DEMO_USERS, startOdooSim } from "./index.js";

loadDotEnv();
const config = loadConfigOrExit(() => loadSimConfig(), "odoo-sim");
const logger = createLogger({ name: "odoo-sim", level: config.LOG_LEVEL });
const sim = await startOdooSim({
  port: config.ODOO_SIM_PORT,
  host: config.ODOO_SIM_HOST,
  db: config.ODOO_DB,
  version: config.ODOO_SIM_VERSION,
  xmlrpc: config.ODOO_SIM_XMLRPC,
  proxyMode: config.ODOO_SIM_PROXY_MODE,
  logger,
});
logger.info(
  {
    event: "odoo_sim_started",
    url: sim.url,
    db: sim.db,
    logins: DEMO_USERS.filter((user) => user.active).map((user) => user.login),
  },
  `Odoo ${sim.release.version} simulator on ${sim.url} (database "${sim.db}"; demo logins admin/admin, demo/demo)`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    logger.info({ event: "odoo_sim_stopping", signal });
    sim.close().then(() => process.exit(0));
  });
}
