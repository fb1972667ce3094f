/**
 * The three real servers on loopback: the Odoo simulator, the auth server (its test harness) and the
 * MCP server, wired as in production; plus real access tokens from real authorization-code flows.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createMcpApp, loadMcpConfig, type McpApp } from "@odoo-mcp/mcp-server";
import { DEMO_USERS, type OdooSim, type OdooVersion, startOdooSim } from "@odoo-mcp/odoo-sim";
import { createLogger } from "@odoo-mcp/shared";
import { type AuthHarness, MCP_CLIENT, startAuth } from "./auth.js";
import { captureLogs } from "./logs.js";
import { chatgptClient, codeFlow, exchange } from "./oauth.js";

export interface Stack {
  sim: OdooSim;
  auth: AuthHarness;
  mcp: McpApp;
  /** The MCP endpoint, e.g. http://127.0.0.1:41234/mcp */
  mcpUrl: string;
  logs: Record<string, unknown>[];
  logText: () => string;
  /** An access token from a full code + PKCE flow, signed in as this Odoo user. */
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
  /** The Odoo release the simulator is (default 17.0); 19.0 on also speak JSON-2. */
  simVersion?: OdooVersion;
}

const adminApiKey = DEMO_USERS.find((user) => user.login === "admin")?.apiKey as string;

/**
 * Every Odoo release and every protocol it speaks, as the MCP server reaches them: `auto` picks
 * XML-RPC before 19.0 and JSON-2 (with the service account's API key) from 19.0; XML-RPC is forced to
 * cover it where it is deprecated.
 */
export const ODOO_TARGETS: { name: string; simVersion: OdooVersion; mcpEnv: Record<string, string> }[] = [
  { name: "Odoo 17.0 over XML-RPC", simVersion: "17.0", mcpEnv: {} },
  { name: "Odoo 18.0 over XML-RPC", simVersion: "18.0", mcpEnv: {} },
  { name: "Odoo 19.0 over JSON-2", simVersion: "19.0", mcpEnv: { ODOO_PASSWORD: adminApiKey } },
  { name: "Odoo 19.0 over XML-RPC", simVersion: "19.0", mcpEnv: { ODOO_PROTOCOL: "xmlrpc" } },
  { name: "Odoo 20.0 over JSON-2", simVersion: "20.0", mcpEnv: { ODOO_PASSWORD: adminApiKey } },
  { name: "Odoo 20.0 over XML-RPC", simVersion: "20.0", mcpEnv: { ODOO_PROTOCOL: "xmlrpc" } },
  // The other XML-RPC client than the default (builtin), so the tool suites run with both.
  { name: "Odoo 17.0 over XML-RPC (odoo-await)", simVersion: "17.0", mcpEnv: { ODOO_XMLRPC_CLIENT: "odoo-await" } },
  {
    name: "Odoo 19.0 over XML-RPC (odoo-await)",
    simVersion: "19.0",
    mcpEnv: { ODOO_PROTOCOL: "xmlrpc", ODOO_XMLRPC_CLIENT: "odoo-await" },
  },
];

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const sim = await startOdooSim(options.simVersion ? { version: options.simVersion } : {});
  const server = createServer();
  const port = await listen(server);
  const mcpUrl = `http://127.0.0.1:${port}/mcp`;
  const auth = await startAuth({ sim, env: { MCP_RESOURCE_URL: mcpUrl, ...options.authEnv } });
  const { destination, logs, logText } = captureLogs();
  const config = loadMcpConfig({
    MCP_RESOURCE_URL: mcpUrl,
    AUTH_ISSUER: auth.url,
    MCP_CLIENT_ID: MCP_CLIENT.id,
    MCP_CLIENT_SECRET: MCP_CLIENT.secret,
    ODOO_URL: sim.url,
    ODOO_DB: sim.db,
    ODOO_USERNAME: "admin",
    ODOO_PASSWORD: "admin",
    ODOO_TIMEOUT: "3s",
    AUTH_TIMEOUT: "2s",
    ...options.mcpEnv,
  });
  const mcp = createMcpApp({ config, logger: createLogger({ name: "mcp-server", level: "debug", destination }) });
  server.on("request", mcp.app.callback());
  const clients: Client[] = [];
  return {
    sim,
    auth,
    mcp,
    mcpUrl,
    logs,
    logText,
    async token(login = "admin", password = "admin", scope = "odoo:read odoo:write") {
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
      await sim.close();
    },
  };
}

export { structured, toolError } from "./mcp.js";
