/**
 * Client secrets are kept as SHA-256 hashes, never in plain text: the plain secret is shown once (the
 * registration response, the ChatGPT secret's creation or rotation) and then only its hash is stored.
 * Every secret this server issues is 32 or more random bytes, so a fast hash is enough (RFC 6819
 * §5.1.4.1.3); a salt or a slow KDF would add nothing against guessing. No feature that needs the plain
 * secret is enabled (client_secret_jwt, HS* signatures, symmetric encryption).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Adapter, AdapterPayload, KoaContextWithOIDC, Provider } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

const PREFIX = "sha256:";

const digest = (secret: string) => createHash("sha256").update(secret).digest();

export const hashClientSecret = (secret: string) => `${PREFIX}${digest(secret).toString("base64url")}`;

export const isHashedClientSecret = (value: string) => value.startsWith(PREFIX);

/** Whether `presented` is the secret whose hash is `stored` (a plain `stored` from before hashing works too). */
export function clientSecretMatches(stored: unknown, presented: unknown): boolean {
  if (typeof stored !== "string" || typeof presented !== "string" || !stored || !presented) return false;
  const expected = isHashedClientSecret(stored)
    ? Buffer.from(stored.slice(PREFIX.length), "base64url")
    : digest(stored);
  const actual = digest(presented);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function withHashedSecret(payload: AdapterPayload): AdapterPayload {
  const secret = payload.client_secret;
  return typeof secret === "string" && secret && !isHashedClientSecret(secret)
    ? { ...payload, client_secret: hashClientSecret(secret) }
    : payload;
}

/**
 * The Client model's adapter: what oidc-provider stores (a registration) has its secret hashed first,
 * and a client stored in plain text by an earlier version is rewritten with the hash when it is read.
 */
export function withHashedClientSecrets(adapter: Adapter): Adapter {
  return {
    ...adapter,
    consume: adapter.consume.bind(adapter),
    destroy: adapter.destroy.bind(adapter),
    revokeByGrantId: adapter.revokeByGrantId.bind(adapter),
    findByUid: adapter.findByUid.bind(adapter),
    findByUserCode: adapter.findByUserCode.bind(adapter),
    upsert: (id, payload, expiresIn) => adapter.upsert(id, withHashedSecret(payload), expiresIn),
    async find(id) {
      const payload = await adapter.find(id);
      if (!payload) return payload;
      const hashed = withHashedSecret(payload);
      if (hashed !== payload) await adapter.upsert(id, hashed, 0);
      return hashed;
    },
  };
}

/** Rewrites every client still stored with a plain secret (clients registered before hashing). */
export async function hashStoredClientSecrets(storage: Storage): Promise<number> {
  const adapter = storage.adapter("Client");
  let rewritten = 0;
  for (const { id, ...payload } of await storage.list("Client")) {
    const hashed = withHashedSecret(payload);
    if (hashed === payload) continue;
    await adapter.upsert(id, hashed, 0);
    rewritten++;
  }
  return rewritten;
}

/**
 * oidc-provider authenticates client_secret_basic and client_secret_post through
 * `Client#compareClientSecret`, the hook its maintainer points to for hashed secrets (panva/node-oidc-provider#631).
 * A registered client's own read of its record (RFC 7592) no longer carries the secret: only the hash is known.
 */
export function useHashedClientSecrets(provider: Provider): void {
  const prototype = provider.Client.prototype as {
    compareClientSecret(this: { clientSecret?: string }, actual: string): boolean;
  };
  prototype.compareClientSecret = function compareClientSecret(actual) {
    return clientSecretMatches(this.clientSecret, actual);
  };
  provider.use(async (ctx, next) => {
    await next();
    if ((ctx as Partial<KoaContextWithOIDC>).oidc?.route !== "client") return;
    const body = ctx.body as { client_secret?: unknown } | undefined;
    if (typeof body?.client_secret === "string" && isHashedClientSecret(body.client_secret)) delete body.client_secret;
  });
}
