import { z } from "zod";

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

/** What a refused value looked like, without giving a secret away. */
const shown = (name: string, value: string) =>
  SECRET_VARIABLE.test(name) ? `got ${value.length} characters` : `got ${JSON.stringify(value)}`;

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

/** Runs `load`, and on a ConfigError prints each problem on its own line and exits with status 78 (EX_CONFIG). */
export function loadConfigOrExit<T>(load: () => T, program: string): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) process.stderr.write(`${program}: configuration error: ${line}\n`);
    process.exit(78);
  }
}

/** The MCP resource URL: MCP_RESOURCE_URL, else MCP_PUBLIC_URL + "/mcp", else the local default. */
export function mcpResourceUrl(
  resourceUrl: string | undefined,
  publicUrl: string | undefined,
  fallback = "http://localhost:3000/mcp",
): string {
  if (resourceUrl) return resourceUrl;
  return publicUrl ? `${publicUrl.replace(/\/$/, "")}/mcp` : fallback;
}
