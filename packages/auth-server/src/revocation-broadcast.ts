/**
 * Publishes revocation notices for the MCP replicas: Redis pub/sub when REDIS_URL is set, else
 * PostgreSQL NOTIFY when DATABASE_URL is set, else nothing (a single process needs no broadcast).
 */
import { createHash } from "node:crypto";
import { type Logger, REVOCATION_CHANNEL, type RevocationNotice } from "@odoo-mcp/shared";
import { Redis } from "ioredis";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import pg from "pg";

export interface RevocationBroadcast {
  publish(notice: RevocationNotice): Promise<void>;
  close(): Promise<void>;
}

export function createRevocationBroadcast(
  settings: { REDIS_URL?: string | undefined; DATABASE_URL?: string | undefined },
  logger: Logger,
): RevocationBroadcast {
  const failed = (error: Error) => logger.error({ event: "revocation_broadcast_failed", detail: error.message });
  if (settings.REDIS_URL) {
    const redis = new Redis(settings.REDIS_URL, { maxRetriesPerRequest: 3 });
    redis.on("error", () => undefined);
    return {
      publish: (notice) => redis.publish(REVOCATION_CHANNEL, JSON.stringify(notice)).then(() => undefined, failed),
      close: async () => redis.disconnect(),
    };
  }
  if (settings.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: settings.DATABASE_URL, max: 2 });
    pool.on("error", () => undefined);
    return {
      publish: (notice) =>
        pool
          .query("SELECT pg_notify($1, $2)", [REVOCATION_CHANNEL, JSON.stringify(notice)])
          .then(() => undefined, failed),
      close: () => pool.end(),
    };
  }
  return { publish: async () => undefined, close: async () => undefined };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

/** Everything oidc-provider revokes: a grant (refresh-token replay, revocation), or single tokens. */
export function broadcastProviderRevocations(provider: Provider, broadcast: RevocationBroadcast): void {
  // biome-ignore lint/suspicious/noExplicitAny: event listeners receive event-specific arguments
  const on = provider.on.bind(provider) as (event: string, listener: (...args: any[]) => void) => void;
  on(
    "grant.revoked",
    (_ctx: KoaContextWithOIDC, grantId: string) => void broadcast.publish({ type: "grant", grant_id: grantId }),
  );
  for (const kind of ["access_token", "refresh_token"]) {
    on(`${kind}.destroyed`, (token: { jti: string; grantId?: string }) => {
      // Revoking one token ends every token of its grant (oidc-provider), so say so for the grant.
      if (kind === "access_token") void broadcast.publish({ type: "token", token_sha256: sha256(token.jti) });
      if (token.grantId) void broadcast.publish({ type: "grant", grant_id: token.grantId });
    });
  }
}
