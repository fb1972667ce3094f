/**
 * Tokens are stored under the SHA-256 of their value (`tokenDigest`), never the value itself. oidc-provider's
 * opaque tokens are their own ids: stored as they are, a row read from storage (a backup, a copied
 * database file, a read-only leak) would be a working bearer token. Every engine gets this from here:
 * the ids of these models are hashed on the way in and every lookup hashes the token it is given, and the
 * payload keeps no copy (`jti` is dropped when stored and given back from the presented id when found).
 * Tokens carry 256 random bits, so a fast unsalted hash is enough (RFC 6819 §5.1.4.1.3, as for client
 * secrets). Listings (/admin, /account) see the digests: the first 12 characters are the `token_id` of
 * the log lines (`fingerprint`).
 */
import { tokenDigest } from "@odoo-mcp/shared";
import type { AdapterPayload } from "oidc-provider";
import { ROTATION_MODEL } from "../provider/refresh-grace.js";
import { PAGE_SESSION_MODEL } from "../web/session.js";
import type { IndexedStorage, Storage, StorageAdapter } from "./contract.js";

/**
 * The models stored under hashed ids: oidc-provider's tokens (an authorization code too: it is a token
 * for the length of its life), refresh-grace.ts's remembered rotations, keyed by the rotated token, and
 * the /account and /admin sessions, whose ids their cookies carry.
 */
export const HASHED_MODELS: ReadonlySet<string> = new Set([
  "AccessToken",
  "RefreshToken",
  "AuthorizationCode",
  ROTATION_MODEL,
  PAGE_SESSION_MODEL,
]);

/** Set once the rows stored under plain ids by an earlier version were moved under their digests. */
const MIGRATED_SETTING = "token_ids_hashed";

const isDigest = (id: string) => /^[0-9a-f]{64}$/.test(id);

function withoutJti(payload: AdapterPayload): AdapterPayload {
  const { jti: _dropped, ...rest } = payload;
  return rest;
}

function hashed(adapter: StorageAdapter): StorageAdapter {
  return {
    upsert: (id, payload, expiresIn) => adapter.upsert(tokenDigest(id), withoutJti(payload), expiresIn),
    // oidc-provider's models read their id from the payload.
    find: async (id) => {
      const payload = await adapter.find(tokenDigest(id));
      return payload ? { ...payload, jti: id } : payload;
    },
    findByUid: adapter.findByUid.bind(adapter),
    findByUserCode: adapter.findByUserCode.bind(adapter),
    consume: (id) => adapter.consume(tokenDigest(id)),
    claim: (id) => adapter.claim(tokenDigest(id)),
    destroy: (id) => adapter.destroy(tokenDigest(id)),
    revokeByGrantId: adapter.revokeByGrantId.bind(adapter),
  };
}

/** The storage with the models above under hashed ids; everything else as it is. */
export function withHashedIds(storage: IndexedStorage): IndexedStorage {
  return Object.assign(Object.create(storage) as IndexedStorage, {
    adapter: (model: string) => (HASHED_MODELS.has(model) ? hashed(storage.adapter(model)) : storage.adapter(model)),
  });
}

/**
 * Moves the tokens an earlier version stored under plain ids (the tokens themselves) under their digests,
 * with the time they have left and their consumption, and drops its remembered rotations (seconds-lived,
 * in a form this version does not read); once per storage. (Page sessions were cookies only before.) Upgrade every replica together: an earlier
 * version finds no token stored by this one.
 */
export async function hashStoredIds(storage: Storage): Promise<number> {
  if (await storage.getSetting(MIGRATED_SETTING)) return 0;
  const now = Math.floor(Date.now() / 1000);
  let moved = 0;
  for (const model of HASHED_MODELS) {
    const adapter = storage.adapter(model);
    for (const { id, ...payload } of await storage.list(model)) {
      if (isDigest(id)) continue;
      const { consumed, ...token } = payload;
      const left = typeof token.exp === "number" ? token.exp - now : 0;
      if (model !== ROTATION_MODEL && model !== PAGE_SESSION_MODEL && left > 0) {
        await adapter.upsert(tokenDigest(id), withoutJti(token), left);
        if (consumed) await adapter.consume(tokenDigest(id));
        moved++;
      }
      await adapter.destroy(id);
    }
  }
  await storage.setSetting(MIGRATED_SETTING, new Date().toISOString());
  return moved;
}
