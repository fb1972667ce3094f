import { env, mcpResourceUrl, parseEnv } from "@odoo-mcp/shared";
import { z } from "zod";

/** Models no tool may touch by default: Odoo internals, credentials and security configuration. */
export const DEFAULT_DENIED_MODELS =
  "ir.*,res.users.apikeys,res.users.apikeys.*,res.users.log,res.users.identitycheck,res.users.deletion,res.groups,res.groups.*,change.password.*,auth_totp.*,bus.*,base.module.*,base_import.*";

/**
 * Models the tools may read but never change by default: users, groups and companies (in service mode
 * every write runs as the service account), settings, Odoo internals and automation, mail servers,
 * payment providers and tokens, API keys and TOTP.
 */
export const DEFAULT_WRITE_DENIED_MODELS =
  "res.users,res.users.*,res.groups,res.groups.*,res.company,res.config*,ir.*,base.*,auth_*,auth.*,fetchmail.server,payment.provider,payment.acquirer,payment.token,iap.account,mail.template";

/** The workflow buttons of the sale, stock and purchase apps a person may press through ChatGPT. */
export const DEFAULT_ALLOWED_METHODS = [
  "sale.order:action_confirm",
  "sale.order:action_cancel",
  "sale.order:action_draft",
  "sale.order:action_quotation_send",
  "stock.picking:action_confirm",
  "stock.picking:action_assign",
  "stock.picking:button_validate",
  "stock.picking:action_cancel",
  "purchase.order:button_confirm",
  "purchase.order:button_cancel",
  "purchase.order:button_draft",
].join(",");

const schema = z.object({
  MCP_PORT: env.port(3000),
  /** Bearer token a Prometheus scraper sends for GET /metrics; without it the endpoint is off. */
  METRICS_TOKEN: z.string().min(24, "expected at least 24 characters").optional(),
  MCP_HOST: z.string().default("0.0.0.0"),
  MCP_RESOURCE_URL: env.url().optional(),
  /** Public origin of the MCP server (behind a proxy or tunnel); the resource is its /mcp. */
  MCP_PUBLIC_URL: env.url().optional(),
  TRUST_PROXY: env.boolean(false),
  /** The authorization server's issuer (public URL). */
  AUTH_ISSUER: env.url().default("http://localhost:4000"),
  /** Where this server reaches the authorization server, when not at its public URL (internal network). */
  AUTH_INTERNAL_URL: env.url().optional(),
  MCP_CLIENT_ID: z.string().min(8, "expected at least 8 characters"),
  MCP_CLIENT_SECRET: z.string().min(32, "expected at least 32 characters"),
  INTROSPECTION_CACHE_TTL: env.seconds("60s"),
  INTROSPECTION_NEGATIVE_CACHE_TTL: env.seconds("5s"),
  INTROSPECTION_CACHE_MAX: z.coerce.number({ error: "expected a number" }).int().min(0).default(10_000),
  AUTH_TIMEOUT: env.seconds("5s"),
  ODOO_URL: env.url().default("http://127.0.0.1:8069"),
  ODOO_DB: z.string().default("demo"),
  ODOO_USERNAME: z.string().default("admin"),
  /** Password or API key of the service account. */
  ODOO_PASSWORD: z.string().default("admin"),
  /** Base URL people open Odoo at, for links in search/fetch results; defaults to ODOO_URL. */
  ODOO_WEB_URL: env.url().optional(),
  ODOO_TIMEOUT: env.seconds("15s"),
  /** `auto` asks Odoo its version once: XML-RPC before 19.0; from 19.0 JSON-2 for an API key, the web session for a password. */
  ODOO_PROTOCOL: z.enum(["auto", "xmlrpc", "json2"], { error: "expected auto, xmlrpc or json2" }).default("auto"),
  ODOO_MODELS_ALLOWED: env.list(""),
  ODOO_MODELS_DENIED: env.list(DEFAULT_DENIED_MODELS),
  /** Models the tools may read but never create, change, delete or run methods on, nested x2many lines included. */
  ODOO_MODELS_WRITE_DENIED: env.list(DEFAULT_WRITE_DENIED_MODELS),
  ODOO_DEFAULT_LIMIT: z.coerce.number({ error: "expected a number" }).int().min(1).default(20),
  ODOO_MAX_RECORDS: z.coerce.number({ error: "expected a number" }).int().min(1).max(10_000).default(100),
  /** Workflow methods odoo_call_method may run, as model:method (public methods only, never _private). */
  ODOO_METHODS_ALLOWED: env
    .list(DEFAULT_ALLOWED_METHODS)
    .refine(
      (entries) => entries.every((entry) => /^[a-z][a-z0-9_.]*:[a-z][a-z0-9_]*$/.test(entry)),
      "expected model:method pairs such as sale.order:action_confirm (public methods only, never _private)",
    ),
  /** Odoo context every call starts from (JSON: lang, tz, allowed_company_ids); a tool call may override it. */
  ODOO_CONTEXT: z
    .string()
    .transform((value, ctx) => {
      try {
        const parsed = JSON.parse(value) as Record<string, unknown>;
        if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed;
      } catch {}
      ctx.addIssue({
        code: "custom",
        message: 'expected a JSON object such as {"lang": "es_ES", "allowed_company_ids": [1]}',
      });
      return z.NEVER;
    })
    .default({}),
  /** Models ChatGPT's `search` and `fetch` tools cover. */
  SEARCH_MODELS: env.list("res.partner,product.product,sale.order"),
  /** `service`: every call runs as ODOO_USERNAME; `user`: as the person who signed in (sealed credentials). */
  ODOO_AUTH_MODE: z.enum(["service", "user"], { error: "expected service or user" }).default("service"),
  /** ODOO_AUTH_MODE=user: this server's private encryption key (an EC P-256 JWK, as JSON). */
  MCP_ENCRYPTION_KEY: z
    .string()
    .transform((value, ctx) => {
      try {
        const jwk = JSON.parse(value) as { kty?: string; crv?: string; d?: string };
        if (jwk.kty === "EC" && jwk.crv === "P-256" && jwk.d) return jwk as Record<string, string>;
      } catch {}
      ctx.addIssue({ code: "custom", message: "expected a private EC P-256 JWK as JSON (see docs/deploy.md)" });
      return z.NEVER;
    })
    .optional(),
  /** ODOO_AUTH_MODE=user: connected Odoo clients kept at most, one per person. */
  ODOO_USER_CLIENTS_MAX: z.coerce.number({ error: "expected a number" }).int().min(1).default(500),
  /** Where revocation notices arrive from the authorization server (Redis pub/sub wins over PostgreSQL). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "expected a redis:// URL")
    .optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
    .optional(),
  LOG_LEVEL: env.logLevel(),
});

/** Every variable this program reads, for the documentation check. */
export const MCP_ENV_VARIABLES = Object.keys(schema.shape);

export type McpConfig = Omit<z.output<typeof schema>, "MCP_RESOURCE_URL" | "MCP_PUBLIC_URL"> & {
  MCP_RESOURCE_URL: string;
};

export function loadMcpConfig(source: Record<string, string | undefined> = process.env): McpConfig {
  const { MCP_RESOURCE_URL, MCP_PUBLIC_URL, ...rest } = parseEnv(
    schema.refine((config) => config.ODOO_AUTH_MODE !== "user" || config.MCP_ENCRYPTION_KEY, {
      path: ["MCP_ENCRYPTION_KEY"],
      error: "required when ODOO_AUTH_MODE=user",
    }),
    source,
  );
  return { ...rest, MCP_RESOURCE_URL: mcpResourceUrl(MCP_RESOURCE_URL, MCP_PUBLIC_URL) };
}
