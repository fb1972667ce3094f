import { COMMON_ENV, canonicalUrl, env, mcpResourceUrl, parseEnv } from "@odoo-mcp/shared";
import { z } from "zod";
import { signingKeysProblem } from "./provider/keys.js";

const issuer = env.url().refine((value) => ["", "/"].includes(new URL(value).pathname) && !new URL(value).search, {
  error: "expected the public origin with no path, e.g. https://auth.example.com",
});

/** `localhost`, `127.0.0.1:8443`, `[::1]:8443`: a host with an optional port and nothing else. */
const isHostAndPort = (item: string) => /^[^/?#@\\]+$/.test(item) && URL.canParse(`https://${item}`);

const schema = z
  .object({
    AUTH_PORT: env.port(4000),
    AUTH_HOST: z.string().default("0.0.0.0"),
    AUTH_ISSUER: issuer.optional(),
    /** The guide's name for the public URL; AUTH_ISSUER wins when both are set. */
    SERVER_URL: issuer.optional(),
    /** Odoo group (XML id) whose members may get odoo:write; unset: anyone who may create `ODOO_WRITE_CHECK_MODEL` records. */
    ODOO_WRITE_GROUP: z
      .string()
      .regex(/^\w+\.\w+$/, "expected an XML id such as base.group_system")
      .optional(),
    ODOO_WRITE_CHECK_MODEL: z.string().default("res.partner"),
    /** How long a person's Odoo rights, asked at a token request, are reused. */
    ODOO_RIGHTS_TTL: env.seconds("60s"),
    /** ODOO_AUTH_MODE=user: where the MCP server publishes its encryption key (default: its origin's /.well-known/jwks.json). */
    MCP_JWKS_URL: env.url().optional(),
    AUTH_SQLITE_PATH: z.string().default("./data/auth.sqlite"),
    ADMIN_TOKEN: z.string().min(24, "expected at least 24 characters").optional(),
    /** JSON Web Key Set with the private signing keys (RS256 first); generated and persisted when unset. */
    AUTH_JWKS: z
      .string()
      .transform((value, ctx) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          // Not the parser's message: it quotes the text around the error, which is key material.
          ctx.addIssue({ code: "custom", message: "is not valid JSON" });
          return z.NEVER;
        }
        const problem = signingKeysProblem(parsed);
        if (!problem) return parsed as { keys: Record<string, unknown>[] };
        ctx.addIssue({ code: "custom", message: problem });
        return z.NEVER;
      })
      .optional(),
    /** Keys that sign cookies, newest first; generated and persisted when unset. */
    AUTH_COOKIE_KEYS: env.list("").pipe(z.array(z.string().min(32, "expected keys of at least 32 characters"))),
    ACCESS_TOKEN_TTL: env.seconds("1h"),
    REFRESH_TOKEN_TTL: env.seconds("30d"),
    AUTHORIZATION_CODE_TTL: env.seconds("10m"),
    /** How long a just-rotated refresh token may be used again (two concurrent refreshes). */
    REFRESH_TOKEN_REUSE_GRACE: env.seconds("10s"),
    CHATGPT_REDIRECT_URIS: env
      .list("https://chatgpt.com/connector_platform_oauth_redirect")
      .pipe(z.array(z.string().url("expected https redirect URIs"))),
    /** When set, dynamically registered clients may only redirect to these hosts (loopback is always allowed). */
    DCR_ALLOWED_REDIRECT_HOSTS: env.list(""),
    REGISTRATION_RATE_LIMIT: z.coerce.number({ error: "expected a number" }).int().min(1).default(20),
    /**
     * Whether registrations straight from this machine (loopback, no proxy headers) count against
     * REGISTRATION_RATE_LIMIT. `pnpm start` sets false: on a laptop every client folder registers again.
     */
    REGISTRATION_LIMIT_LOOPBACK: env.boolean(true),
    /** A registered client no token was issued to for this long is deleted. */
    DCR_CLIENT_TTL: env.seconds("30d"),
    /** A registered client that got no token this long after registering is deleted (at most DCR_CLIENT_TTL). */
    DCR_UNUSED_CLIENT_TTL: env.seconds("1d"),
    /** Registered clients at most; registrations past it are refused until some expire or are revoked. */
    DCR_MAX_CLIENTS: z.coerce.number({ error: "expected a number" }).int().min(1).default(10_000),
    CIMD_ENABLED: env.boolean(true),
    /**
     * Development only: Client ID Metadata Document hosts (`host` or `host:port`) fetched even though they
     * resolve to loopback or private addresses, which oidc-provider otherwise refuses (SSRF protection).
     */
    CIMD_ALLOWED_LOCAL_HOSTS: env
      .list("")
      .pipe(
        z.array(z.string().refine(isHostAndPort, { error: "expected host or host:port items, e.g. localhost:8443" })),
      ),
    /** `production` refuses the development-only settings (CIMD_ALLOWED_LOCAL_HOSTS, REGISTRATION_LIMIT_LOOPBACK=false). */
    NODE_ENV: z.string().optional(),
    ...COMMON_ENV,
    /** Optional here: the MCP server's introspection client is registered and shown in /admin when set. */
    MCP_CLIENT_ID: COMMON_ENV.MCP_CLIENT_ID.optional(),
    MCP_CLIENT_SECRET: COMMON_ENV.MCP_CLIENT_SECRET.optional(),
  })
  .superRefine((settings, ctx) => {
    // A production server never fetches client documents from its own network: the setting stops it.
    if (settings.NODE_ENV !== "production") return;
    const development = {
      CIMD_ALLOWED_LOCAL_HOSTS: settings.CIMD_ALLOWED_LOCAL_HOSTS.length > 0,
      REGISTRATION_LIMIT_LOOPBACK: !settings.REGISTRATION_LIMIT_LOOPBACK,
    };
    for (const [name, set] of Object.entries(development)) {
      if (set)
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "is for development only and is refused when NODE_ENV is production; unset it",
        });
    }
  });

/** Every variable this program reads, for the documentation check. */
export const AUTH_ENV_VARIABLES = Object.keys(schema.shape);

export type AuthConfig = Omit<
  z.output<typeof schema>,
  "AUTH_ISSUER" | "SERVER_URL" | "MCP_RESOURCE_URL" | "MCP_PUBLIC_URL" | "MCP_JWKS_URL"
> & {
  /** The public origin, without a trailing slash. */
  issuer: string;
  /** Canonical (no trailing slash), like every URL below. */
  MCP_RESOURCE_URL: string;
  MCP_JWKS_URL: string;
};

export function loadAuthConfig(source: Record<string, string | undefined> = process.env): AuthConfig {
  const { AUTH_ISSUER, SERVER_URL, MCP_RESOURCE_URL, MCP_PUBLIC_URL, MCP_JWKS_URL, ...rest } = parseEnv(schema, source);
  const issuerUrl = AUTH_ISSUER ?? SERVER_URL ?? `http://localhost:${rest.AUTH_PORT}`;
  const resource = mcpResourceUrl(MCP_RESOURCE_URL, MCP_PUBLIC_URL);
  return {
    ...rest,
    ODOO_URL: canonicalUrl(rest.ODOO_URL),
    issuer: new URL(issuerUrl).origin,
    MCP_RESOURCE_URL: resource,
    MCP_JWKS_URL: MCP_JWKS_URL ? canonicalUrl(MCP_JWKS_URL) : `${new URL(resource).origin}/.well-known/jwks.json`,
  };
}
