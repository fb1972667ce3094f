import { env, parseEnv } from "@odoo-mcp/shared";
import { z } from "zod";

const schema = z.object({
  ODOO_SIM_PORT: env.port(8069),
  ODOO_SIM_HOST: z.string().default("127.0.0.1"),
  ODOO_DB: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, "expected a database name of letters, digits, _ . -")
    .default("demo"),
  ODOO_SIM_VERSION: z.enum(["17.0", "19.0"], { error: "expected 17.0 or 19.0" }).default("17.0"),
  LOG_LEVEL: env.logLevel(),
});

/** Every variable this program reads, for the documentation check. */
export const SIM_ENV_VARIABLES = Object.keys(schema.shape);

export type SimConfig = z.output<typeof schema>;

export function loadSimConfig(source: Record<string, string | undefined> = process.env): SimConfig {
  return parseEnv(schema, source);
}
