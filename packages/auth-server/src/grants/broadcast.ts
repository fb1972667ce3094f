/**
 * Publishes revocation notices for the MCP replicas: Redis pub/sub when REDIS_URL is set, else
 * PostgreSQL NOTIFY when DATABASE_URL is set, else a server-sent event stream the MCP servers hold open
 * at `GET /oauth/revocations` (authenticated as the MCP server's client), so a revoked token stops
 * working at once in every deployment, `pnpm start` included.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import { type Logger, REVOCATION_CHANNEL, type RevocationNotice } from "@odoo-mcp/shared";
import { Redis } from "ioredis";
import type { Middleware } from "koa";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import pg from "pg";
import { basicCredentials } from "../http/basic-auth.js";
import { InvalidClient } from "../http/errors.js";

export interface RevocationBroadcast {
  publish(notice: RevocationNotice): Promise<void>;
  /** With no shared bus: the route MCP servers subscribe to; undefined when Redis or PostgreSQL carry notices. */
  stream?: Middleware;
  close(): Promise<void>;
}

export function createRevocationBroadcast(
  settings: {
    REDIS_URL?: string | undefined;
    DATABASE_URL?: string | undefined;
    MCP_CLIENT_ID?: string | undefined;
    MCP_CLIENT_SECRET?: string | undefined;
  },
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
  return streamBroadcast(settings, logger);
}

/** Keeps idle streams alive through proxies that close quiet connections. */
const HEARTBEAT_MS = 25_000;

const sameSecret = (given: string, expected: string) => {
  const [a, b] = [createHash("sha256").update(given).digest(), createHash("sha256").update(expected).digest()];
  return timingSafeEqual(a, b);
};

/** Basic credentials of the MCP server's own client (the one allowed to introspect), or false. */
function isMcpServer(
  header: string,
  settings: { MCP_CLIENT_ID?: string | undefined; MCP_CLIENT_SECRET?: string | undefined },
) {
  const credentials = basicCredentials(header);
  if (!credentials || !settings.MCP_CLIENT_ID || !settings.MCP_CLIENT_SECRET) return false;
  return (
    sameSecret(credentials.id, settings.MCP_CLIENT_ID) && sameSecret(credentials.secret, settings.MCP_CLIENT_SECRET)
  );
}

function streamBroadcast(
  settings: { MCP_CLIENT_ID?: string | undefined; MCP_CLIENT_SECRET?: string | undefined },
  logger: Logger,
): RevocationBroadcast {
  const subscribers = new Set<ServerResponse>();
  const heartbeat = setInterval(() => {
    for (const response of subscribers) response.write(": keep-alive\n\n");
  }, HEARTBEAT_MS).unref();
  const stream: Middleware = async (ctx, next) => {
    if (ctx.path !== "/oauth/revocations") return next();
    if (ctx.method !== "GET") {
      ctx.set("Allow", "GET");
      ctx.status = 405;
      return;
    }
    if (!isMcpServer(ctx.get("authorization"), settings)) {
      throw new InvalidClient("only the MCP server's client may subscribe", {
        challenge: 'Basic realm="odoo-mcp revocations"',
      });
    }
    ctx.respond = false;
    const response = ctx.res;
    response.writeHead(200, {
      "content-type": "text/event-stream",
      "cache-control": "no-store",
      connection: "keep-alive",
    });
    response.write(": subscribed\n\n");
    subscribers.add(response);
    logger.info({ event: "revocation_stream_subscribed", subscribers: subscribers.size });
    ctx.req.socket.setTimeout(0);
    response.on("close", () => subscribers.delete(response));
  };
  return {
    stream,
    publish: async (notice) => {
      const event = `data: ${JSON.stringify(notice)}\n\n`;
      for (const response of subscribers) response.write(event);
    },
    close: async () => {
      clearInterval(heartbeat);
      for (const response of subscribers) response.end();
      subscribers.clear();
    },
  };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

/**
 * Everything oidc-provider revokes: a grant (refresh-token replay, revocation endpoint, grants/revoke.ts),
 * or single tokens. `settled` waits for the notices (and other work `track`ed) handed out so far.
 */
export function broadcastProviderRevocations(provider: Provider, broadcast: RevocationBroadcast) {
  const inFlight = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const publish = (notice: RevocationNotice) => track(broadcast.publish(notice));
  // biome-ignore lint/suspicious/noExplicitAny: event listeners receive event-specific arguments
  const on = provider.on.bind(provider) as (event: string, listener: (...args: any[]) => void) => void;
  on("grant.revoked", (_ctx: KoaContextWithOIDC | undefined, grantId: string) =>
    publish({ type: "grant", grant_id: grantId }),
  );
  for (const kind of ["access_token", "refresh_token"]) {
    on(`${kind}.destroyed`, (token: { jti: string; grantId?: string }) => {
      // Revoking one token ends every token of its grant (oidc-provider), so say so for the grant.
      if (kind === "access_token") publish({ type: "token", token_sha256: sha256(token.jti) });
      if (token.grantId) publish({ type: "grant", grant_id: token.grantId });
    });
  }
  return {
    track,
    settled: async () => {
      await Promise.allSettled([...inFlight]);
    },
  };
}
