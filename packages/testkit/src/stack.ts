/**
 * The three real servers on loopback: an Odoo (the simulator, or a real Odoo under `pnpm test:odoo`), the
 * auth server (its test harness) and the MCP server, wired as in production; plus real access tokens
 * from real authorization-code flows.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createMcpApp, loadMcpConfig, type McpApp } from "@odoo-mcp/mcp-server";
import type { OdooSim, OdooVersion } from "@odoo-mcp/odoo-sim";
import { createLogger } from "@odoo-mcp/shared";
import { type AuthHarness, MCP_CLIENT, SERVICE_ACCOUNT_WRITES, startAuth } from "./auth.js";
import { captureLogs } from "./logs.js";
import { chatgptClient, codeFlow, exchange } from "./oauth.js";
import { type OdooTarget, type OdooUnderTest, openOdoo, serviceAccountEnv } from "./odoo.js";

export interface Stack {
  /** The Odoo behind it, simulated or real. */
  odoo: OdooUnderTest;
  /** The simulator behind it (reading it on a real Odoo throws). */
  readonly sim: OdooSim;
  auth: AuthHarness;
  mcp: McpApp;
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  mcpUrl: string;
  logs: Record<string, unknown>[];
  logText: () => string;
  /** An access token from a full code + PKCE flow, signed in as this Odoo user (the admin by default). */
  token(login?: string, password?: string, scope?: string): Promise<string>;
  connect(token: string, url?: string): Promise<Client>;
  close(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

export interface StackOptions {
  mcpEnv?: Record<string, string>;
  authEnv?: Record<string, string>;
  /** The Odoo release and route of the run's targets (odoo.ts `odooTargets`), simulated or real. */
  target?: OdooTarget;
  /** Without a target: the release the simulator is (default 17.0), the admin's password as service account. */
  simVersion?: OdooVersion;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const odoo = options.target
    ? await openOdoo(options.target.version, options.target.kind)
    : await openOdoo(options.simVersion ?? "17.0");
  const odooEnv = options.target
    ? serviceAccountEnv(options.target, odoo)
    : { ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USERNAME: "admin", ODOO_PASSWORD: "admin" };
  const server = createServer();
  const port = await listen(server);
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const auth = await startAuth({
    ...(odoo.sim ? { sim: odoo.sim } : { odoo }),
    env: { MCP_RESOURCE_URL: mcpUrl, ...options.authEnv },
  });
  const { destination, logs, logText } = captureLogs();
  const config = loadMcpConfig({
    MCP_RESOURCE_URL: mcpUrl,
    AUTH_ISSUER: auth.url,
    MCP_CLIENT_ID: MCP_CLIENT.id,
    MCP_CLIENT_SECRET: MCP_CLIENT.secret,
    // A real Odoo answers in tens of milliseconds, or seconds on a busy two-core machine.
    ODOO_TIMEOUT: odoo.real ? "60s" : "3s",
    AUTH_TIMEOUT: "2s",
    ...SERVICE_ACCOUNT_WRITES,
    ...odooEnv,
    ...options.mcpEnv,
  });
  const mcp = createMcpApp({ config, logger: createLogger({ name: "mcp-server", level: "debug", destination }) });
  // Subscribed to revocation notices before any token is made, as a server that has been up a while is.
  await mcp.ready;
  server.on("request", mcp.app.callback());
  const clients: Client[] = [];
  const { admin } = odoo.users;
  return {
    odoo,
    get sim() {
      if (!odoo.sim) throw new Error("a real Odoo has no simulator to look into");
      return odoo.sim;
    },
    auth,
    mcp,
    mcpUrl,
    logs,
    logText,
    async token(login = admin.login, password = admin.password, scope = "odoo:read odoo:write") {
      const config = await chatgptClient(auth.url, await auth.chatgptSecret());
      const tokens = await exchange(config, await codeFlow(config, { login, password, scope, resource: mcpUrl }));
      return tokens.access_token;
    },
    async connect(token, url = mcpUrl) {
      const client = new Client({ name: "odoo-mcp-tests", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${token}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await auth.close();
      await odoo.close();
    },
  };
}

export { structured, toolError } from "./mcp.js";
export { type OdooTarget, odooTargets } from "./odoo.js";
