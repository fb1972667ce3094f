/**
 * Listens for the authorization server's revocation notices (Redis pub/sub when REDIS_URL is set, else
 * PostgreSQL LISTEN when DATABASE_URL is set) and drops the matching cached introspection answers at
 * once. While the channel is down notices may be missed, so the whole cache is dropped when it returns.
 */
import { type Logger, parseRevocationNotice, REVOCATION_CHANNEL } from "@odoo-mcp/shared";
import { Redis } from "ioredis";
import pg from "pg";
import type { TokenVerifier } from "./token-verifier.js";

export interface RevocationListener {
  /** Resolves once subscribed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export function listenForRevocations(
  settings: { REDIS_URL?: string | undefined; DATABASE_URL?: string | undefined },
  verifier: TokenVerifier,
  logger: Logger,
): RevocationListener | undefined {
  const apply = (text: string) => {
    const notice = parseRevocationNotice(text);
    if (!notice) return;
    if (notice.type === "grant") verifier.forgetGrant(notice.grant_id);
    else if (notice.type === "token") verifier.forgetToken(notice.token_sha256);
    else verifier.forgetClient(notice.client_id);
    logger.debug({ event: "revocation_notice", type: notice.type });
  };
  const resumed = () => {
    verifier.forgetAll();
    logger.info({ event: "revocation_channel_connected" });
  };

  if (settings.REDIS_URL) {
    const redis = new Redis(settings.REDIS_URL, { maxRetriesPerRequest: null });
    redis.on("error", () => undefined);
    redis.on("ready", resumed);
    redis.on("message", (_channel: string, message: string) => apply(message));
    return { ready: redis.subscribe(REVOCATION_CHANNEL).then(() => undefined), close: async () => redis.disconnect() };
  }
  if (settings.DATABASE_URL) {
    let client: pg.Client | undefined;
    let closed = false;
    const connect = async (): Promise<void> => {
      const next = new pg.Client({ connectionString: settings.DATABASE_URL });
      next.on("notification", (message) => message.payload && apply(message.payload));
      next.on("error", () => undefined);
      next.on("end", () => {
        if (!closed) setTimeout(() => void connect().catch(() => undefined), 1000).unref();
      });
      try {
        await next.connect();
        await next.query(`LISTEN ${REVOCATION_CHANNEL}`);
        client = next;
        resumed();
      } catch (error) {
        next.removeAllListeners("end");
        await next.end().catch(() => undefined);
        if (!closed) setTimeout(() => void connect().catch(() => undefined), 1000).unref();
        throw error;
      }
    };
    return {
      ready: connect().catch((error: Error) =>
        logger.error({ event: "revocation_channel_failed", detail: error.message }),
      ),
      close: async () => {
        closed = true;
        await client?.end().catch(() => undefined);
      },
    };
  }
  return undefined;
}
