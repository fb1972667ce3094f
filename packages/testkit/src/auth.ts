/** The authorization server alone, in-process on a loopback port, against the Odoo simulator or a given Odoo. */
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AuthApp,
  type AuthConfig,
  createAuthApp,
  isChatgptSecret,
  loadAuthConfig,
  openSqliteStorage,
  rotateChatgptSecret,
  type Storage,
} from "@odoo-mcp/auth-server";
import { type OdooSim, startOdooSim } from "@odoo-mcp/odoo-sim";
import { createLogger } from "@odoo-mcp/shared";
import { captureLogs } from "./logs.js";

export const MCP_CLIENT = { id: "mcp-resource-server", secret: "mcp-resource-server-secret-0123456789" };
/**
 * The mode the harnesses run in unless a test names one: one service account that also writes (the
 * opt-in of ODOO_SERVICE_WRITES), so the tool suites can change data on every Odoo target with its
 * service account's credentials. The servers' own default, user mode, has suites of its own.
 */
export const SERVICE_ACCOUNT_WRITES = { ODOO_AUTH_MODE: "service", ODOO_SERVICE_WRITES: "true" } as const;
export const ADMIN_TOKEN = "admin-token-for-the-tests-0123456789";
export const MCP_RESOURCE = "http://127.0.0.1:3999/mcp";

export interface AuthHarness {
  url: string;
  config: AuthConfig;
  auth: AuthApp;
  storage: Storage;
  /** The simulator it started or was given (a harness on another Odoo has none: reading it throws). */
  readonly sim: OdooSim;
  /** Every JSON log line the server wrote. */
  logs: Record<string, unknown>[];
  /** The raw log text, to scan for secrets. */
  logText: () => string;
  chatgptSecret: () => Promise<string>;
  close(): Promise<void>;
}

export const tempSqlitePath = () => join(mkdtempSync(join(tmpdir(), "odoo-mcp-auth-")), "auth.sqlite");

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

export interface HarnessOptions {
  env?: Record<string, string>;
  sqlitePath?: string;
  sim?: OdooSim;
  /** Another Odoo than a simulator (a real one): where people sign in. */
  odoo?: { url: string; db: string };
  metadataDocumentFetch?: typeof fetch;
  /** Another storage than a fresh SQLite file (PostgreSQL, Redis, or one shared by replicas); closed with the harness. */
  storage?: Storage;
}

/** The real auth server on a loopback port, against a real Odoo simulator, with SQLite storage (or the one given). */
export async function startAuth(options: HarnessOptions = {}): Promise<AuthHarness> {
  // In proxy mode, as an Odoo behind a reverse proxy runs: it counts sign-ins by the address forwarded to it.
  const sim = options.odoo ? undefined : (options.sim ?? (await startOdooSim({ proxyMode: true })));
  const odoo = options.odoo ?? (sim as OdooSim);
  const server = createServer();
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const config = loadAuthConfig({
    AUTH_ISSUER: url,
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    AUTH_SQLITE_PATH: options.sqlitePath ?? tempSqlitePath(),
    MCP_CLIENT_ID: MCP_CLIENT.id,
    MCP_CLIENT_SECRET: MCP_CLIENT.secret,
    MCP_RESOURCE_URL: MCP_RESOURCE,
    ADMIN_TOKEN,
    LOG_LEVEL: "debug",
    ...SERVICE_ACCOUNT_WRITES,
    ...options.env,
  });
  const { destination, logs, logText } = captureLogs();
  const storage = options.storage ?? openSqliteStorage(config.AUTH_SQLITE_PATH);
  const auth = await createAuthApp({
    config,
    storage,
    logger: createLogger({ name: "auth-server", level: "debug", destination }),
    ...(options.metadataDocumentFetch ? { metadataDocumentFetch: options.metadataDocumentFetch } : {}),
  });
  server.on("request", auth.app.callback());
  // Only a hash of the ChatGPT client's secret is stored: keep the one shown at creation, rotate if unknown.
  let chatgptSecret = auth.created.chatgptSecret;
  return {
    url,
    config,
    auth,
    storage,
    get sim() {
      if (!sim) throw new Error("this auth server signs people in to a real Odoo, not a simulator");
      return sim;
    },
    logs,
    logText,
    chatgptSecret: async () => {
      if (!chatgptSecret || !(await isChatgptSecret(storage, chatgptSecret)))
        chatgptSecret = await rotateChatgptSecret(config, storage);
      return chatgptSecret;
    },
    async close() {
      await auth.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await storage.close();
      if (sim && !options.sim) await sim.close();
    },
  };
}
