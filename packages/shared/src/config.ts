import { z } from "zod";
import { EX_CONFIG } from "./policy.js";
import { withoutUrlCredentials } from "./redact.js";

/** Raised when the environment does not describe a usable configuration; one line per bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Variables whose value must never be printed (tokens, secrets, keys, URLs that carry a password). */
const SECRET_VARIABLE = /(SECRET|PASSWORD|TOKEN|KEYS?|JWKS)$|^(DATABASE|REDIS)_URL$/;

/** What a refused value looked like, without giving a secret away (nor a password written into a URL). */
const shown = (name: string, value: string) =>
  SECRET_VARIABLE.test(name) ? `got ${value.length} characters` : `got ${JSON.stringify(withoutUrlCredentials(value))}`;

/**
 * Parses environment variables with a zod object schema whose keys are the variable names.
 * Empty strings count as unset, so `FOO=` in a .env file falls back to the default.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  const present: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== "") present[key] = value.trim();
  }
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    const given = present[name];
    if (given === undefined)
      return issue.code === "custom" ? `${name}: ${issue.message}` : `${name}: required, but it is not set`;
    return `${name}: ${issue.message} (${shown(name, given)})`;
  });
  throw new ConfigError(problems);
}

/** Builders for the variable types both servers use, each with a message a person can act on. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ error: "expected a TCP port number" })
      .int("expected a whole TCP port number")
      .min(0, "expected a port from 0 to 65535")
      .max(65535, "expected a port from 0 to 65535")
      .default(fallback),
  url: () =>
    z.string().refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
      error: "expected an absolute http(s) URL",
    }),
  /** A list written with commas or spaces between the items. */
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value) =>
        value
          .split(/[\s,]+/)
          .map((item) => item.trim())
          .filter(Boolean),
      ),
  /** Whole seconds, written as `3600`, `90s`, `15m`, `1h` or `30d`. */
  seconds: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((value, ctx) => {
        const match = /^(\d+)\s*([smhd]?)$/.exec(value);
        if (!match) {
          ctx.addIssue({ code: "custom", message: "expected a duration such as 3600, 90s, 15m, 1h or 30d" });
          return z.NEVER;
        }
        const unit = { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as "" | "s" | "m" | "h" | "d"];
        return Number(match[1]) * unit;
      }),
  logLevel: () =>
    z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "expected one of fatal, error, warn, info, debug, trace, silent",
      })
      .default("info"),
  boolean: (fallback: boolean) =>
    z
      .enum(["true", "false", "1", "0", "yes", "no"], { error: "expected true or false" })
      .default(fallback ? "true" : "false")
      .transform((value) => ["true", "1", "yes"].includes(value)),
};

/** Prints each problem on its own line and exits with status 78 (EX_CONFIG). */
export function exitForConfigError(error: ConfigError, program: string): never {
  for (const line of error.problems) process.stderr.write(`${program}: configuration error: ${line}\n`);
  process.exit(EX_CONFIG);
}

/** Runs `load`, and on a ConfigError prints each problem on its own line and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit<T>(load: () => T, program: string): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    exitForConfigError(error, program);
  }
}

/**
 * Awaits a program's start-up, and on failure prints one line with the error's message and exits with
 * status 1. Never the error itself: a library's error may carry what it refused (oidc-provider attaches
 * a malformed signing key, private members included, as the cause), and Node would print all of it.
 */
export async function startOrExit<T>(start: Promise<T>, program: string): Promise<T> {
  try {
    return await start;
  } catch (error) {
    const message = error instanceof Error ? error.message : "unknown error";
    process.stderr.write(`${program}: could not start: ${withoutUrlCredentials(message.split("\n")[0] ?? "")}\n`);
    process.exit(1);
  }
}

/** A URL without its trailing slashes: the one form every URL takes once the configuration is loaded. */
export function canonicalUrl(value: string): string {
  return value.replace(/\/+$/, "");
}

/** The MCP resource URL: MCP_RESOURCE_URL, else MCP_PUBLIC_URL + "/mcp", else the local default; canonical. */
export function mcpResourceUrl(
  resourceUrl: string | undefined,
  publicUrl: string | undefined,
  fallback = "http://localhost:3000/mcp",
): string {
  if (resourceUrl) return canonicalUrl(resourceUrl);
  return canonicalUrl(publicUrl ? `${canonicalUrl(publicUrl)}/mcp` : fallback);
}

/** How the MCP server calls Odoo; both servers must agree (the MCP server checks the authorization server's). */
export const ODOO_AUTH_MODES = ["service", "user"] as const;

/**
 * The variables both servers read, defined once: each server spreads this into its schema (and may
 * tighten or relax one, e.g. the authorization server does not need MCP_CLIENT_ID). URLs are made
 * canonical (no trailing slash) by each server's loader, once.
 */
export const COMMON_ENV = {
  ODOO_URL: env.url().default("http://127.0.0.1:8069"),
  ODOO_DB: z.string().default("demo"),
  /**
   * `user` (default): the MCP server calls Odoo as the person who signed in, so Odoo's own rights decide;
   * `service`: as one service account, read-only unless ODOO_SERVICE_WRITES.
   */
  ODOO_AUTH_MODE: z.enum(ODOO_AUTH_MODES, { error: "expected service or user" }).default("user"),
  /**
   * Service mode only: offer `odoo:write` (to people Odoo lets create records), the service account then
   * writing for them, users' contacts and what Odoo reserves to administrators still refused. Off, service
   * mode is read-only: writes happen only as the person (user mode).
   */
  ODOO_SERVICE_WRITES: env.boolean(false),
  /**
   * How the MCP server calls Odoo. `auto` asks Odoo its version once: XML-RPC before 19.0; from 19.0
   * JSON-2 for an API key, the web session for a password. `json2` takes API keys only, so in user mode
   * the authorization server then signs people in with an API key, never a password.
   */
  ODOO_PROTOCOL: z.enum(["auto", "xmlrpc", "json2"], { error: "expected auto, xmlrpc or json2" }).default("auto"),
  /** The service account (service mode), or the account that re-checks rights at token requests. */
  ODOO_USERNAME: z.string().optional(),
  /** Password or API key of the service account. */
  ODOO_PASSWORD: z.string().optional(),
  MCP_RESOURCE_URL: env.url().optional(),
  /** Public origin of the MCP server (behind a proxy or tunnel); the resource is its /mcp. */
  MCP_PUBLIC_URL: env.url().optional(),
  /** The MCP server's own client at the authorization server (token introspection). */
  MCP_CLIENT_ID: z.string().min(8, "expected at least 8 characters"),
  MCP_CLIENT_SECRET: z.string().min(32, "expected at least 32 characters"),
  TRUST_PROXY: env.boolean(false),
  /** Redis: storage (when DATABASE_URL is unset), the revocation channel and shared rate limits. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "expected a redis:// URL")
    .optional(),
  /** PostgreSQL: storage shared by every replica (takes precedence over REDIS_URL and SQLite). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
    .optional(),
  /** Bearer token a Prometheus scraper sends for GET /metrics; without it the endpoint is off. */
  METRICS_TOKEN: z.string().min(24, "expected at least 24 characters").optional(),
  LOG_LEVEL: env.logLevel(),
};

/** LOG_LEVEL alone, checked like the servers check it (for the launcher, before either server's schema). */
export function logLevelOf(source: Env = process.env) {
  return parseEnv(z.object({ LOG_LEVEL: COMMON_ENV.LOG_LEVEL }), source).LOG_LEVEL;
}
