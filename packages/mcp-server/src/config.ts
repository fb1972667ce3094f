import { COMMON_ENV, canonicalUrl, env, mcpResourceUrl, parseEnv } from "@odoo-mcp/shared";
import { z } from "zod";

/** Models no tool may touch by default: Odoo internals, credentials and security configuration. */
export const DEFAULT_DENIED_MODELS =
  "ir.*,res.users.apikeys,res.users.apikeys.*,res.users.log,res.users.identitycheck,res.users.deletion,res.groups,res.groups.*,change.password.*,auth_totp.*,bus.*,base.module.*,base_import.*";

/**
 * Models the tools may read but never change by default: users, groups and companies (in service mode
 * every write runs as the service account), settings, Odoo internals and automation, mail servers,
 * payment providers and tokens, API keys and TOTP, the outgoing mail queue (`mail.mail`, whose
 * `email_to` and `email_from` would send anything to anyone, past ODOO_MAIL_RECIPIENTS), and every
 * model that sends when a record is made: scheduled messages and notifications, composers, SMS,
 * mailings and letters (`mail.scheduled.message`, `mail.message.schedule`, `mail.compose.message`,
 * `sms.*`, `mailing.*`, `snailmail.letter*`). E-mail goes through odoo_send_email and odoo_post_message.
 */
export const DEFAULT_WRITE_DENIED_MODELS =
  "res.users,res.users.*,res.groups,res.groups.*,res.company,res.config*,ir.*,base.*,auth_*,auth.*,fetchmail.server,payment.provider,payment.acquirer,payment.token,iap.account,mail.template,mail.mail,mail.followers," +
  "mail.scheduled.message,mail.message.schedule,mail.compose.message,sms.*,mailing.*,snailmail.letter*";

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
  MCP_HOST: z.string().default("0.0.0.0"),
  /** The authorization server's issuer (public URL). */
  AUTH_ISSUER: env.url().default("http://localhost:4000"),
  /** Where this server reaches the authorization server, when not at its public URL (internal network). */
  AUTH_INTERNAL_URL: env.url().optional(),
  INTROSPECTION_CACHE_TTL: env.seconds("60s"),
  INTROSPECTION_NEGATIVE_CACHE_TTL: env.seconds("5s"),
  INTROSPECTION_CACHE_MAX: z.coerce.number({ error: "expected a number" }).int().min(0).default(10_000),
  AUTH_TIMEOUT: env.seconds("5s"),
  /** Base URL people open Odoo at, for links in search/fetch results; defaults to ODOO_URL. */
  ODOO_WEB_URL: env.url().optional(),
  ODOO_TIMEOUT: env.seconds("15s"),
  /** The XML-RPC client: `builtin` (strings out, saxes in; a sixth of the CPU per call) or `odoo-await`. */
  ODOO_XMLRPC_CLIENT: z.enum(["builtin", "odoo-await"], { error: "expected builtin or odoo-await" }).default("builtin"),
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
  /** Whom odoo_send_email may write to: `self` (the signed-in person only) or `partners` (also a record's followers and contact). */
  ODOO_MAIL_RECIPIENTS: z.enum(["self", "partners"], { error: "expected self or partners" }).default("self"),
  /** E-mails one person may send through the tools in an hour, each recipient counting one (0: none). */
  ODOO_MAIL_HOURLY_LIMIT: z.coerce.number({ error: "expected a number" }).int().min(0).default(30),
  /**
   * The key download links are signed with (HMAC-SHA256). Unset: a random one per process, so a link
   * works only on the replica that made it; set the same value on every replica.
   */
  MCP_DOWNLOAD_SECRET: z.string().min(32, "expected at least 32 characters").optional(),
  /** How long a download link works. */
  MCP_DOWNLOAD_TTL: env.seconds("5m"),
  /** Largest file a download link serves, an attachment added from a URL or base64, or a PDF embedded in a result. */
  MCP_FILE_MAX_BYTES: z.coerce
    .number({ error: "expected a number" })
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /**
   * Hosts on private or loopback addresses that attachments may still be fetched from, for tests on
   * one machine only; empty (the default) refuses every private, loopback and link-local address.
   */
  MCP_FETCH_PRIVATE_HOSTS: env.list(""),
  /**
   * Browser origins, besides this server's own and loopback ones, whose pages may call the MCP endpoint
   * (a web-based MCP client); any other `Origin` is refused with 403 against DNS rebinding.
   */
  MCP_ALLOWED_ORIGINS: env
    .list("")
    .refine(
      (origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin),
      "expected origins such as https://app.example.com (scheme, host and port only, no path or slash)",
    ),
  /**
   * Per person and application (every token of theirs), on each replica (caller-limits.ts): requests that
   * reach Odoo (tool calls, resource reads and lists, completions) started per minute and running at once,
   * PDF reports rendering at once (odoo_get_report and report links), and downloads started per minute and
   * running at once. Over a limit: 429 with Retry-After, before any Odoo call.
   */
  MCP_CALLS_PER_MINUTE: z.coerce.number({ error: "expected a number" }).int().min(1).default(120),
  MCP_CALLS_CONCURRENT: z.coerce.number({ error: "expected a number" }).int().min(1).default(8),
  MCP_RENDERS_CONCURRENT: z.coerce.number({ error: "expected a number" }).int().min(1).default(2),
  MCP_DOWNLOADS_PER_MINUTE: z.coerce.number({ error: "expected a number" }).int().min(1).default(30),
  MCP_DOWNLOADS_CONCURRENT: z.coerce.number({ error: "expected a number" }).int().min(1).default(2),
  /** ODOO_AUTH_MODE=user: connected Odoo clients kept at most, one per person. */
  ODOO_USER_CLIENTS_MAX: z.coerce.number({ error: "expected a number" }).int().min(1).default(500),
  ...COMMON_ENV,
  /** Service mode: every call runs as this account (the simulator's admin by default). */
  ODOO_USERNAME: COMMON_ENV.ODOO_USERNAME.default("admin"),
  /** Password or API key of the service account. */
  ODOO_PASSWORD: COMMON_ENV.ODOO_PASSWORD.default("admin"),
});

/** Every variable this program reads, for the documentation check. */
export const MCP_ENV_VARIABLES = Object.keys(schema.shape);

export type McpConfig = Omit<z.output<typeof schema>, "MCP_RESOURCE_URL" | "MCP_PUBLIC_URL"> & {
  /** Canonical (no trailing slash), like every URL here: AUTH_ISSUER, AUTH_INTERNAL_URL, ODOO_URL, ODOO_WEB_URL. */
  MCP_RESOURCE_URL: string;
  /** Where this server reaches the authorization server: AUTH_INTERNAL_URL, else AUTH_ISSUER. */
  authServerBase: string;
};

export function loadMcpConfig(source: Record<string, string | undefined> = process.env): McpConfig {
  const { MCP_RESOURCE_URL, MCP_PUBLIC_URL, ...rest } = parseEnv(
    schema.refine((config) => config.ODOO_AUTH_MODE !== "user" || config.MCP_ENCRYPTION_KEY, {
      path: ["MCP_ENCRYPTION_KEY"],
      error: "required when ODOO_AUTH_MODE=user",
    }),
    source,
  );
  const issuer = canonicalUrl(rest.AUTH_ISSUER);
  const internal = rest.AUTH_INTERNAL_URL === undefined ? undefined : canonicalUrl(rest.AUTH_INTERNAL_URL);
  return {
    ...rest,
    AUTH_ISSUER: issuer,
    AUTH_INTERNAL_URL: internal,
    authServerBase: internal ?? issuer,
    ODOO_URL: canonicalUrl(rest.ODOO_URL),
    ODOO_WEB_URL: rest.ODOO_WEB_URL === undefined ? undefined : canonicalUrl(rest.ODOO_WEB_URL),
    MCP_RESOURCE_URL: mcpResourceUrl(MCP_RESOURCE_URL, MCP_PUBLIC_URL),
  };
}
