/**
 * One benchmark process: `tsx servers.ts <role>`; ports and URLs come from the environment.
 * Prints `READY <json>` once listening. Roles:
 *   odoo        the Odoo simulator
 *   auth        the auth server on SQLite, and a second one on oidc-provider's in-memory adapter
 *   mcp         the MCP server (introspection cache on), one with the cache off, and a bare Koa endpoint
 * (The memory scenario runs the MCP server's own production bundle, packages/mcp-server/src/main.ts.)
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createAuthApp, loadAuthConfig, openSqliteStorage, type Storage } from "@odoo-mcp/auth-server";
import { createMcpApp, loadMcpConfig } from "@odoo-mcp/mcp-server";
import { startOdooSim } from "@odoo-mcp/odoo-sim";
import { createLogger } from "@odoo-mcp/shared";
import Koa from "koa";
import { ALL_TOOLS, describeTool } from "../packages/mcp-server/src/tools/index.js";
import { memoryStorage } from "./memory-storage.js";

const env = process.env as Record<string, string>;
const logger = createLogger({ name: "bench", level: "warn" });

const listen = (handler: Parameters<typeof createServer>[1], port: number) =>
  new Promise<number>((resolve) => {
    const server = createServer(handler);
    server.keepAliveTimeout = 30_000;
    server.listen(port, "127.0.0.1", 2048, () => resolve((server.address() as AddressInfo).port));
  });

async function startAuth(port: number, storage: Storage) {
  const config = loadAuthConfig({
    ...env,
    AUTH_ISSUER: `http://127.0.0.1:${port}`,
    REFRESH_TOKEN_REUSE_GRACE: "3600",
    LOG_LEVEL: "warn",
  });
  const auth = await createAuthApp({ config, storage, logger });
  await listen(auth.app.callback(), port);
}

function mcpApp(cache: boolean, overrides: Record<string, string> = {}) {
  const config = loadMcpConfig({
    ...env,
    LOG_LEVEL: "warn",
    ...(cache ? {} : { INTROSPECTION_CACHE_MAX: "0" }),
    ...overrides,
  });
  return createMcpApp({ config, logger }).app;
}

const role = process.argv[2];
const ready: Record<string, unknown> = { pid: process.pid };
if (role === "odoo") {
  const version = env.ODOO_SIM_VERSION === "19.0" ? "19.0" : "17.0";
  ready.url = (await startOdooSim({ port: Number(env.ODOO_SIM_PORT ?? 0), version })).url;
} else if (role === "auth") {
  await startAuth(Number(env.AUTH_PORT), openSqliteStorage(env.AUTH_SQLITE_PATH as string));
  await startAuth(Number(env.AUTH_MEMORY_PORT), memoryStorage());
} else if (role === "mcp") {
  await listen(mcpApp(true).callback(), Number(env.MCP_PORT));
  await listen(mcpApp(false).callback(), Number(env.MCP_NOCACHE_PORT));
  // The same server in front of an Odoo 19, over JSON-2.
  const json2 = {
    ODOO_URL: env.ODOO19_URL as string,
    ODOO_PROTOCOL: "json2",
    ODOO_PASSWORD: env.ODOO19_API_KEY as string,
  };
  await listen(mcpApp(true, json2).callback(), Number(env.MCP_JSON2_PORT));
  // The ceiling: Koa answering a tiny JSON body, and the same tools/list answer MCP sends (~24 KB).
  const toolsList = { jsonrpc: "2.0", id: 1, result: { tools: ALL_TOOLS.map(describeTool) } };
  // /answer/<name> sends a body the driver stored with PUT (the MCP server's own answer to a tool call),
  // so the bare baseline writes the very bytes the MCP server writes.
  const answers = new Map<string, string>();
  const bare = new Koa();
  bare.use(async (ctx) => {
    if (ctx.path.startsWith("/answer/")) {
      if (ctx.method === "PUT") {
        const chunks: Buffer[] = [];
        for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
        answers.set(ctx.path, Buffer.concat(chunks).toString());
        ctx.status = 204;
      } else {
        ctx.type = "application/json";
        ctx.body = answers.get(ctx.path) ?? "{}";
      }
      return;
    }
    ctx.body = ctx.path === "/tools" ? toolsList : { ok: true };
  });
  await listen(bare.callback(), Number(env.BARE_PORT));
} else {
  throw new Error(`unknown role ${role}`);
}
process.stdout.write(`READY ${JSON.stringify(ready)}\n`);

// A clean exit on a signal, so `node --cpu-prof` writes its profile.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(0));
