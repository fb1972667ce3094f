/**
 * Dynamically registered clients (RFC 7591) cannot grow without bound:
 * - the per-address registration limit runs inside oidc-provider's registration route, so every path
 *   the router maps to it (`/oauth/register/`, any letter case) is counted, before the client exists;
 *   an IPv6 client counts as its /64 (throttle.ts `addressKey`). In development (`pnpm start`,
 *   REGISTRATION_LIMIT_LOOPBACK=false) a request straight from this machine is not counted: every new
 *   mcp-remote folder or Inspector profile registers again. One relayed by a proxy or tunnel on this
 *   machine carries forwarding headers and is counted, whatever its socket address;
 * - at most `max` registered clients exist at once;
 * - a client that never got a token expires `unusedTtlSeconds` (a day) after it registered, so a flood
 *   of registrations fills the cap for a day at most; once a token was issued to it, it expires
 *   `ttlSeconds` after its last one. The storage engines drop expired rows themselves.
 * Preconfigured clients (ChatGPT's, the MCP server's) and metadata-document clients are not touched.
 */

import { LRUCache } from "lru-cache";
import type { Adapter, AdapterPayload, KoaContextWithOIDC } from "oidc-provider";
import { errors } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { Storage } from "../storage/contract.js";
import { addressKey, isLoopbackAddress, type WindowCounter } from "../throttle.js";

export interface RegistrationPolicy {
  /** Registrations per address and window. */
  perAddress: WindowCounter;
  /** Whether requests straight from this machine count against `perAddress` (REGISTRATION_LIMIT_LOOPBACK). */
  countLoopback: boolean;
  /** Registered clients at most (DCR_MAX_CLIENTS). */
  max: number;
  /** Seconds a registered client lives after its last token (DCR_CLIENT_TTL). */
  ttlSeconds: number;
  /** Seconds a registered client lives when no token was ever issued to it (`unusedClientSeconds`). */
  unusedTtlSeconds: number;
}

/** DCR_UNUSED_CLIENT_TTL, never longer than DCR_CLIENT_TTL: an unused client does not outlive a used one. */
export const unusedClientSeconds = (config: Pick<AuthConfig, "DCR_CLIENT_TTL" | "DCR_UNUSED_CLIENT_TTL">) =>
  Math.min(config.DCR_UNUSED_CLIENT_TTL, config.DCR_CLIENT_TTL);

/** A client created through /oauth/register: oidc-provider stamps `client_id_issued_at`. */
export const isRegisteredClient = (payload: AdapterPayload | undefined) =>
  typeof payload?.client_id_issued_at === "number";

/**
 * Set in a registered client's stored record once a token was issued to it. Only in storage: oidc-provider
 * builds a client from the metadata it knows and ignores this, and a registration cannot set it.
 */
const TOKEN_ISSUED = "odoo_mcp_token_issued";

function refusal(status: number, description: string, retryAfter: number) {
  const error = new errors.CustomOIDCProviderError("temporarily_unavailable", description);
  Object.assign(error, { status, statusCode: status, expose: true });
  return { error, retryAfter };
}

/** Counts registered clients; the listing is only read when a registration comes in. */
export const countRegisteredClients = async (storage: Storage) =>
  (await storage.list("Client")).filter(isRegisteredClient).length;

/** A request from this machine itself: a loopback socket, and no proxy or tunnel saying it relays someone. */
const fromThisMachine = (ctx: KoaContextWithOIDC) =>
  isLoopbackAddress(ctx.req.socket.remoteAddress ?? "") &&
  !ctx.get("x-forwarded-for") &&
  !ctx.get("forwarded") &&
  !ctx.get("x-real-ip");

/**
 * Runs inside the registration route (oidc-provider calls `issueRegistrationAccessToken` there, before
 * it creates the client): refuses with 429 past the address's limit and 503 at the cap.
 */
export function admitRegistration(policy: RegistrationPolicy, storage: Storage) {
  return async (ctx: KoaContextWithOIDC): Promise<true> => {
    const counted = policy.countLoopback || !fromThisMachine(ctx);
    const wait = counted ? await policy.perAddress.take(`register:${addressKey(ctx.ip)}`) : 0;
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
 * stored with the short lifetime until a token is issued to it, then each token issued to it stores it
 * again with the long one (at most once an hour per replica).
 */
export function retainRegisteredClients(
  storage: Storage,
  policy: Pick<RegistrationPolicy, "ttlSeconds" | "unusedTtlSeconds">,
) {
  const clients = storage.adapter("Client");
  const lifetime = (payload: AdapterPayload) => (payload[TOKEN_ISSUED] ? policy.ttlSeconds : policy.unusedTtlSeconds);
  const touched = new LRUCache<string, true>({ max: 10_000, ttl: Math.min(3600, policy.ttlSeconds / 2) * 1000 });
  const touch = async (clientId: unknown) => {
    if (typeof clientId !== "string" || touched.has(clientId)) return;
    touched.set(clientId, true);
    const client = (await clients.find(clientId)) || undefined;
    if (isRegisteredClient(client)) {
      await clients.upsert(clientId, { ...client, [TOKEN_ISSUED]: true } as AdapterPayload, policy.ttlSeconds);
    }
  };
  const clientAdapter = withUpsert(clients, (id, payload, expiresIn) =>
    clients.upsert(id, payload, isRegisteredClient(payload) ? lifetime(payload) : expiresIn),
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
