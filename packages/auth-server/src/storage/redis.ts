/**
 * Redis storage (ioredis), shared by every auth replica: each payload a JSON string with its TTL (`EX`),
 * indexes for uid and user code, a set per grant so `revokeByGrantId` finds everything a grant issued,
 * sets per account and per client for the grants (/account, /admin), and `consume` and `claim` done by a
 * Lua script so they are atomic and keep the first consumption time and the TTL. Index sets live as long as their
 * longest-lived member; a member whose payload expired is dropped when it is next read.
 */
import { Redis } from "ioredis";
import type { AdapterPayload } from "oidc-provider";
import type { IndexedStorage, StorageAdapter, StoredPayload } from "./contract.js";

const PREFIX = "odoo-mcp:";
const payloadKey = (model: string, id: string) => `${PREFIX}p:${model}:${id}`;
const uidKey = (model: string, uid: string) => `${PREFIX}uid:${model}:${uid}`;
const userCodeKey = (model: string, code: string) => `${PREFIX}code:${model}:${code}`;
const grantKey = (grantId: string) => `${PREFIX}grant:${grantId}`;
const accountKey = (model: string, accountId: string) => `${PREFIX}account:${model}:${accountId}`;
const clientKey = (model: string, clientId: string) => `${PREFIX}client:${model}:${clientId}`;
/** Models indexed by account and client: the grants, which /account and /admin look up that way. */
const OWNED_MODELS = new Set(["Grant"]);
const SETTINGS = `${PREFIX}settings`;

/** Sets `consumed` to now unless already set, keeping the key's TTL; 1 when this call set it (a script runs alone). */
const CONSUME = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local payload = cjson.decode(value)
if payload['consumed'] ~= nil then return 0 end
payload['consumed'] = tonumber(ARGV[1])
redis.call('SET', KEYS[1], cjson.encode(payload), 'KEEPTTL')
return 1`;

/** Adds a member to an index set, which then expires with its longest-lived member (never, for 0). */
const INDEX = `
local ttl = redis.call('TTL', KEYS[1])
redis.call('SADD', KEYS[1], ARGV[1])
local seconds = tonumber(ARGV[2])
if seconds == 0 then
  redis.call('PERSIST', KEYS[1])
elseif ttl == -2 or (ttl >= 0 and ttl < seconds) then
  redis.call('EXPIRE', KEYS[1], seconds)
end
return 1`;

/** The index sets a payload of the model is a member of. */
function indexesOf(model: string, payload: AdapterPayload | undefined): string[] {
  if (!payload) return [];
  const sets = typeof payload.grantId === "string" ? [grantKey(payload.grantId)] : [];
  if (OWNED_MODELS.has(model)) {
    if (typeof payload.accountId === "string") sets.push(accountKey(model, payload.accountId));
    if (typeof payload.clientId === "string") sets.push(clientKey(model, payload.clientId));
  }
  return sets;
}

export async function openRedisStorage(url: string): Promise<IndexedStorage & { redis: Redis }> {
  // Reconnects by itself after a Redis restart; commands wait in the offline queue meanwhile.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on("error", () => undefined);
  await redis.connect();
  const now = () => Math.floor(Date.now() / 1000);
  const parse = (value: string | null) => (value ? (JSON.parse(value) as AdapterPayload) : undefined);

  const adapter = (model: string): StorageAdapter => ({
    async upsert(id, payload, expiresIn) {
      const key = payloadKey(model, id);
      const multi = redis.multi();
      if (expiresIn) multi.set(key, JSON.stringify(payload), "EX", expiresIn);
      else multi.set(key, JSON.stringify(payload));
      for (const [index, value] of [
        [uidKey, payload.uid],
        [userCodeKey, payload.userCode],
      ] as const) {
        if (typeof value !== "string") continue;
        if (expiresIn) multi.set(index(model, value), id, "EX", expiresIn);
        else multi.set(index(model, value), id);
      }
      for (const set of indexesOf(model, payload)) multi.eval(INDEX, 1, set, key, String(expiresIn ?? 0));
      await multi.exec();
    },
    async find(id) {
      return parse(await redis.get(payloadKey(model, id)));
    },
    // An index entry can outlive a change of the payload's uid or code: the payload has the last word.
    async findByUid(uid) {
      const id = await redis.get(uidKey(model, uid));
      const payload = id ? parse(await redis.get(payloadKey(model, id))) : undefined;
      return payload?.uid === uid ? payload : undefined;
    },
    async findByUserCode(userCode) {
      const id = await redis.get(userCodeKey(model, userCode));
      const payload = id ? parse(await redis.get(payloadKey(model, id))) : undefined;
      return payload?.userCode === userCode ? payload : undefined;
    },
    async consume(id) {
      await redis.eval(CONSUME, 1, payloadKey(model, id), String(now()));
    },
    async claim(id) {
      return (await redis.eval(CONSUME, 1, payloadKey(model, id), String(now()))) === 1;
    },
    async destroy(id) {
      const key = payloadKey(model, id);
      const multi = redis.multi().del(key);
      for (const set of indexesOf(model, parse(await redis.get(key)))) multi.srem(set, key);
      await multi.exec();
    },
    async revokeByGrantId(grantId) {
      const keys = await redis.smembers(grantKey(grantId));
      const mine = keys.filter((key) => key.startsWith(`${PREFIX}p:${model}:`));
      if (mine.length === 0) return;
      await redis
        .multi()
        .del(...mine)
        .srem(grantKey(grantId), ...mine)
        .exec();
    },
  });

  /** The payloads of an index set that still exist and still belong to it (`matches`); drops the others. */
  async function members(set: string, model: string, matches: (payload: AdapterPayload) => boolean) {
    const prefix = `${PREFIX}p:${model}:`;
    const keys = (await redis.smembers(set)).filter((key) => key.startsWith(prefix));
    const values = keys.length ? await redis.mget(...keys) : [];
    const found: StoredPayload[] = [];
    const stale: string[] = [];
    keys.forEach((key, index) => {
      const payload = parse(values[index] ?? null);
      if (payload && matches(payload)) found.push({ ...payload, id: key.slice(prefix.length) });
      else stale.push(key);
    });
    if (stale.length) await redis.srem(set, ...stale);
    return found;
  }

  return {
    kind: "redis",
    redis,
    adapter,
    async getSetting(key) {
      return (await redis.hget(SETTINGS, key)) ?? undefined;
    },
    async setSetting(key, value) {
      await redis.hset(SETTINGS, key, value);
    },
    async setSettingIfAbsent(key, value) {
      await redis.hsetnx(SETTINGS, key, value);
      return (await redis.hget(SETTINGS, key)) as string;
    },
    async list(model) {
      const found: StoredPayload[] = [];
      const prefix = `${PREFIX}p:${model}:`;
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        cursor = next;
        const values = keys.length ? await redis.mget(...keys) : [];
        keys.forEach((key, index) => {
          const payload = parse(values[index] ?? null);
          if (payload) found.push({ ...payload, id: key.slice(prefix.length) });
        });
      } while (cursor !== "0");
      return found;
    },
    async grantsOfAccount(accountId) {
      return members(accountKey("Grant", accountId), "Grant", (payload) => payload.accountId === accountId);
    },
    async grantsOfClient(clientId) {
      return members(clientKey("Grant", clientId), "Grant", (payload) => payload.clientId === clientId);
    },
    async listByGrantId(model, grantId) {
      return members(grantKey(grantId), model, (payload) => payload.grantId === grantId);
    },
    async sweep() {
      return 0; // Redis expires keys itself.
    },
    async check() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
