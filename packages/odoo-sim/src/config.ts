import { env, parseEnv } from "@odoo-mcp/shared";
import { z } from "zod";
import { SIM_VERSIONS } from "./release.js";

const schema = z.object({
  ODOO_SIM_PORT: env.port(8069),
  ODOO_SIM_HOST: z.string().default("127.0.0.1"),
  ODOO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "expected a database name of letters, digits, _ . -")
    .default("demo"),
  ODOO_SIM_VERSION: z.enum(SIM_VERSIONS, { error: `expected one of ${SIM_VERSIONS.join(", ")}` }).default("17.0"),
  /** false: no /xmlrpc/2 routes, as an Odoo without XML-RPC (announced for Odoo 22). */
  ODOO_SIM_XMLRPC: env.boolean(true),
  /** Odoo's `--proxy-mode`: X-Forwarded-For (with X-Forwarded-Host) names the client, as behind a proxy. */
  ODOO_SIM_PROXY_MODE: env.boolean(false),
  LOG_LEVEL: env.logLevel(),
});

/** Every variable this program reads, for the documentation check. */
export const SIM_ENV_VARIABLES = Object.keys(schema.shape);

export type SimConfig = z.output<typeof schema>;

export function loadSimConfig(source: Record<string, string | undefined> = process.env): SimConfig {
  return parseEnv(schema, source);
}
