/** The whole system as `pnpm start` runs it, on free loopback ports, with a fresh SQLite file. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type RunningSystem, type SystemOptions, startSystem } from "@odoo-mcp/launcher";
import { createLogger } from "@odoo-mcp/shared";

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
  const chunks: string[] = [];
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
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
    logText: () => chunks.join(""),
    sqlitePath,
  });
}
