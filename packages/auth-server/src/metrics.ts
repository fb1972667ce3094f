/** The authorization server's own Prometheus counters, fed by oidc-provider's events and the sign-in page. */
import { createMetricsRegistry } from "@odoo-mcp/shared/metrics";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import { Counter, type Registry } from "prom-client";
import { SignInFailureLog } from "./web/sign-in-failures.js";

export interface AuthMetrics {
  registry: Registry;
  signInFailures: SignInFailureLog;
}

export function createAuthMetrics(provider: Provider): AuthMetrics {
  const registry = createMetricsRegistry("auth-server");
  const registers = [registry];
  const issued = new Counter({
    name: "oauth_tokens_issued_total",
    help: "Access tokens issued at the token endpoint, by grant type (refresh_token counts refreshes)",
    labelNames: ["grant_type"] as const,
    registers,
  });
  const destroyed = new Counter({
    name: "oauth_tokens_revoked_total",
    help: "Access and refresh tokens revoked or consumed, by type",
    labelNames: ["token_type"] as const,
    registers,
  });
  const grantsRevoked = new Counter({
    name: "oauth_grants_revoked_total",
    help: "Grants ended with all their tokens (revocation, refresh token reuse, disconnection)",
    registers,
  });
  const refused = new Counter({
    name: "oauth_requests_refused_total",
    help: "OAuth requests answered with an error, by endpoint and RFC 6749 error code",
    labelNames: ["endpoint", "error"] as const,
    registers,
  });
  const signInFailures = new SignInFailureLog(registry);

  // biome-ignore lint/suspicious/noExplicitAny: listeners receive event-specific arguments
  const on = provider.on.bind(provider) as (event: string, listener: (...args: any[]) => void) => void;
  on("grant.success", (ctx: KoaContextWithOIDC) => issued.inc({ grant_type: String(ctx.oidc.params?.grant_type) }));
  on("access_token.destroyed", () => destroyed.inc({ token_type: "access_token" }));
  on("refresh_token.destroyed", () => destroyed.inc({ token_type: "refresh_token" }));
  on("grant.revoked", () => grantsRevoked.inc());
  for (const endpoint of ["grant", "authorization", "introspection", "revocation", "registration_create"]) {
    on(`${endpoint}.error`, (_ctx: unknown, error: { error?: string }) =>
      refused.inc({ endpoint, error: error.error ?? "server_error" }),
    );
  }
  return { registry, signInFailures };
}
