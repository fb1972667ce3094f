/**
 * The whole system as `pnpm start` runs it, through the launcher's own `startSystem`: on free loopback
 * ports, with a fresh SQLite file; plus ChatGPT's connector signing in to it.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningSystem, type SystemOptions, startSystem } from "@odoo-mcp/launcher";
import { createLogger } from "@odoo-mcp/shared";
import type { Decision } from "./browser.js";
import { captureLogs } from "./logs.js";
import { chatgptClient, codeFlow, exchange } from "./oauth.js";
import { type OdooUsers, odooReleases, openOdoo, simUsers } from "./odoo.js";

export const ADMIN_TOKEN = "e2e-admin-token-0123456789abcdef";

export interface TestSystem extends RunningSystem {
  /** A fresh store always shows the ChatGPT secret it created. */
  chatgpt: { clientId: string; clientSecret: string };
  logs: Record<string, unknown>[];
  logText(): string;
  sqlitePath: string;
}

export async function startTestSystem(
  env: Record<string, string> = {},
  options: SystemOptions = {},
): Promise<TestSystem> {
  const { destination, logs, logText } = captureLogs();
  const sqlitePath = join(mkdtempSync(join(tmpdir(), "odoo-mcp-e2e-")), "auth.sqlite");
  const system = await startSystem(
    {
      AUTH_PORT: "0",
      MCP_PORT: "0",
      ODOO_SIM_PORT: "0",
      AUTH_SQLITE_PATH: sqlitePath,
      ADMIN_TOKEN,
      LOG_LEVEL: "debug",
      ...env,
    },
    createLogger({ name: "odoo-mcp", level: "debug", destination }),
    options,
  );
  const { clientSecret } = system.chatgpt;
  if (!clientSecret) throw new Error("a fresh store should have created the ChatGPT client's secret");
  return Object.assign(system, {
    chatgpt: { ...system.chatgpt, clientSecret },
    logs,
    logText,
    sqlitePath,
  });
}

/** ChatGPT's connector against a running system: code + PKCE through the sign-in and consent forms. */
export async function connectorTokens(system: Pick<TestSystem, "issuer" | "chatgpt">, decision: Decision = {}) {
  const config = await chatgptClient(system.issuer, system.chatgpt.clientSecret);
  // No resource parameter: the server binds the token to its MCP URL, as it does for ChatGPT.
  const tokens = await exchange(config, await codeFlow(config, { ...decision, resource: null }));
  return { config, tokens };
}

/**
 * The Odoo a whole-system suite runs against: the launcher's own simulator under `pnpm test` (no
 * settings), the newest real Odoo under `pnpm test:odoo` (a copy of its database, the administrator as
 * service account with `secret`: their API key, or their password where a suite needs a web session, as
 * reports do from 19.0).
 */
export async function systemOdoo(
  secret: "apiKey" | "password" = "apiKey",
): Promise<{ env: Record<string, string>; users: OdooUsers }> {
  const newest = odooReleases().at(-1);
  const odoo = newest ? await openOdoo(newest.version, newest.kind) : undefined;
  if (!odoo?.real) {
    await odoo?.close();
    return { env: {}, users: simUsers() };
  }
  const { admin } = odoo.users;
  return {
    env: { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USERNAME: admin.login, ODOO_PASSWORD: admin[secret] },
    users: odoo.users,
  };
}
