import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * The MCP server's introspection client for the local set-up: from MCP_CLIENT_ID/MCP_CLIENT_SECRET, or
 * generated once and kept beside the SQLite file (owner-only), so both servers agree across restarts.
 */
export function localMcpClient(env: Record<string, string | undefined>, path: string): { id: string; secret: string } {
  if (env.MCP_CLIENT_ID && env.MCP_CLIENT_SECRET) return { id: env.MCP_CLIENT_ID, secret: env.MCP_CLIENT_SECRET };
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as { id: string; secret: string };
  const client = { id: "odoo-mcp-resource-server", secret: randomBytes(32).toString("base64url") };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(client), { mode: 0o600 });
  return client;
}
