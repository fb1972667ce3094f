/**
 * Listens for the authorization server's revocation notices (Redis pub/sub when REDIS_URL is set, else
 * PostgreSQL LISTEN when DATABASE_URL is set, else the authorization server's own event stream at
 * `/oauth/revocations`, as the MCP server's client) and hands them to its subscribers: the introspection
 * cache drops the matching answers at once, download links made under a revoked grant stop opening. While
 * the channel is down notices may be missed, so each subscriber drops everything when it returns.
 * ioredis and pg are loaded only when their channel is configured: together they are ~15 MB of resident
 * memory a server listening on the event stream would carry for nothing.
 */
import { type Logger, parseRevocationNotice, REVOCATION_CHANNEL } from "@odoo-mcp/shared";
import type pg from "pg";

/** What acts on revocation notices: the introspection cache (token-verifier.ts), the download links. */
export interface RevocationSubscriber {
  forgetGrant(grantId: string): void;
  /** One token, by the SHA-256 (base64url) of its value. */
  forgetToken(tokenSha256: string): void;
  forgetClient(clientId: string): void;
  /** Notices may have been missed (the channel was down): drop whatever may predate them. */
  forgetAll(): void;
}

export interface RevocationListener {
  /** Resolves once subscribed. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface RevocationSettings {
  REDIS_URL?: string | undefined;
  DATABASE_URL?: string | undefined;
  /** Where the authorization server is reached (canonical: no trailing slash), and this server's client there. */
  authorizationServer: string;
  MCP_CLIENT_ID: string;
  MCP_CLIENT_SECRET: string;
}

export function listenForRevocations(
  settings: RevocationSettings,
  subscribers: readonly RevocationSubscriber[],
  logger: Logger,
): RevocationListener {
  const apply = (text: string) => {
    const notice = parseRevocationNotice(text);
    if (!notice) return;
    for (const subscriber of subscribers) {
      if (notice.type === "grant") subscriber.forgetGrant(notice.grant_id);
      else if (notice.type === "token") subscriber.forgetToken(notice.token_sha256);
      else subscriber.forgetClient(notice.client_id);
    }
    logger.debug({ event: "revocation_notice", type: notice.type });
  };
  const resumed = () => {
    for (const subscriber of subscribers) subscriber.forgetAll();
    logger.info({ event: "revocation_channel_connected" });
  };

  if (settings.REDIS_URL) {
    const url = settings.REDIS_URL;
    const connected = import("ioredis").then(({ Redis }) => {
      const redis = new Redis(url, { maxRetriesPerRequest: null });
      redis.on("error", () => undefined);
      redis.on("ready", resumed);
      redis.on("message", (_channel: string, message: string) => apply(message));
      return redis;
    });
    return {
      ready: connected.then((redis) => redis.subscribe(REVOCATION_CHANNEL)).then(() => undefined),
      close: async () => (await connected).disconnect(),
    };
  }
  if (settings.DATABASE_URL) {
    let client: pg.Client | undefined;
    let closed = false;
    const connect = async (): Promise<void> => {
      const { default: postgres } = await import("pg");
      const next = new postgres.Client({ connectionString: settings.DATABASE_URL });
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
  return subscribeToStream(settings, apply, resumed, logger);
}

/** Server-sent events from the authorization server, reconnecting with backoff (1 s to 30 s). */
function subscribeToStream(
  settings: RevocationSettings,
  apply: (text: string) => void,
  resumed: () => void,
  logger: Logger,
): RevocationListener {
  const url = `${settings.authorizationServer}/oauth/revocations`;
  const credentials = `${encodeURIComponent(settings.MCP_CLIENT_ID)}:${encodeURIComponent(settings.MCP_CLIENT_SECRET)}`;
  const headers = {
    authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
    accept: "text/event-stream",
  };
  let closed = false;
  let current: AbortController | undefined;
  let markReady: () => void = () => undefined;
  // Ready once subscribed, or once the first try failed: start-up never waits on the authorization server.
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const run = async () => {
    let delay = 1000;
    while (!closed) {
      current = new AbortController();
      try {
        const response = await fetch(url, { headers, signal: current.signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        resumed();
        markReady();
        delay = 1000;
        let buffer = "";
        for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const data = buffer
              .slice(0, end)
              .split("\n")
              .filter((line) => line.startsWith("data:"))
              .map((line) => line.slice(5).trim())
              .join("\n");
            buffer = buffer.slice(end + 2);
            if (data) apply(data);
          }
        }
      } catch (error) {
        if (!closed) logger.warn({ event: "revocation_channel_failed", detail: (error as Error).message });
      }
      markReady();
      if (!closed) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      delay = Math.min(delay * 2, 30_000);
    }
  };
  void run();
  return {
    ready,
    close: async () => {
      closed = true;
      current?.abort();
    },
  };
}
