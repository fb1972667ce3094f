/**
 * Dynamically registered clients (RFC 7591) cannot grow without bound:
 * - the per-address registration limit runs inside oidc-provider's registration route, so every path
 *   the router maps to it (`/oauth/register/`, any letter case) is counted, before the client exists;
 * - at most `max` registered clients exist at once;
 * - a registered client expires `ttlSeconds` after it was last used (registered, or a token issued to
 *   it); the storage engines drop expired rows themselves.
 * Preconfigured clients (ChatGPT's, the MCP server's) and metadata-document clients are not touched.
 */

import { LRUCache } from "lru-cache";
import type { Adapter, AdapterPayload, KoaContextWithOIDC } from "oidc-provider";
import { errors } from "oidc-provider";
import type { Storage } from "../storage/contract.js";
import type { WindowCounter } from "../throttle.js";

export interface RegistrationPolicy {
  /** Registrations per address and window. */
  perAddress: WindowCounter;
  /** Registered clients at most (DCR_MAX_CLIENTS). */
  max: number;
  /** Seconds a registered client lives unused (DCR_CLIENT_TTL). */
  ttlSeconds: number;
}

/** A client created through /oauth/register: oidc-provider stamps `client_id_issued_at`. */
export const isRegisteredClient = (payload: AdapterPayload | undefined) =>
  typeof payload?.client_id_issued_at === "number";

function refusal(status: number, description: string, retryAfter: number) {
  const error = new errors.CustomOIDCProviderError("temporarily_unavailable", description);
  Object.assign(error, { status, statusCode: status, expose: true });
  return { error, retryAfter };
}

/** Counts registered clients; the listing is only read when a registration comes in. */
export const countRegisteredClients = async (storage: Storage) =>
  (await storage.list("Client")).filter(isRegisteredClient).length;

/**
 * Runs inside the registration route (oidc-provider calls `issueRegistrationAccessToken` there, before
 * it creates the client): refuses with 429 past the address's limit and 503 at the cap.
 */
export function admitRegistration(policy: RegistrationPolicy, storage: Storage) {
  return async (ctx: KoaContextWithOIDC): Promise<true> => {
    const wait = await policy.perAddress.take(`register:${ctx.ip}`);
    const refused =
      wait > 0
        ? refusal(429, "too many client registrations from this address; retry later", wait)
        : (await countRegisteredClients(storage)) >= policy.max
          ? refusal(503, "this server holds as many registered clients as it allows; retry later", 3600)
          : undefined;
    if (refused) {
      ctx.set("Retry-After", String(refused.retryAfter));
      throw refused.error;
    }
    return true;
  };
}

/**
 * The Client and token adapters with registered clients expiring when unused: a registered client is
 * stored with the TTL, and each token issued to it stores it again (at most once an hour per replica).
 */
export function retainRegisteredClients(storage: Storage, ttlSeconds: number) {
  const clients = storage.adapter("Client");
  const touched = new LRUCache<string, true>({ max: 10_000, ttl: Math.min(3600, ttlSeconds / 2) * 1000 });
  const touch = async (clientId: unknown) => {
    if (typeof clientId !== "string" || touched.has(clientId)) return;
    touched.set(clientId, true);
    const client = (await clients.find(clientId)) || undefined;
    if (isRegisteredClient(client)) await clients.upsert(clientId, client as AdapterPayload, ttlSeconds);
  };
  const clientAdapter = withUpsert(clients, (id, payload, expiresIn) =>
    clients.upsert(id, payload, isRegisteredClient(payload) ? ttlSeconds : expiresIn),
  );
  /** A token adapter that keeps its client alive whenever it stores a token for it. */
  const touching = (adapter: Adapter): Adapter =>
    withUpsert(adapter, async (id, payload, expiresIn) => {
      await adapter.upsert(id, payload, expiresIn);
      await touch(payload.clientId);
    });
  return { clientAdapter, touching };
}

/** The same adapter with another `upsert`. */
function withUpsert(adapter: Adapter, upsert: Adapter["upsert"]): Adapter {
  return {
    upsert,
    find: adapter.find.bind(adapter),
    consume: adapter.consume.bind(adapter),
    destroy: adapter.destroy.bind(adapter),
    revokeByGrantId: adapter.revokeByGrantId.bind(adapter),
    findByUid: adapter.findByUid.bind(adapter),
    findByUserCode: adapter.findByUserCode.bind(adapter),
  };
}
