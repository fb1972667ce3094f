/**
 * Redis storage (ioredis), shared by every auth replica: each payload a JSON string with its TTL (`EX`),
 * indexes for uid and user code, a set per grant so `revokeByGrantId` finds everything a grant issued,
 * and `consume` done by a Lua script so it is atomic and keeps the first consumption time and the TTL.
 */
import { Redis } from "ioredis";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Storage } from "./contract.js";

const PREFIX = "odoo-mcp:";
const payloadKey = (model: string, id: string) => `${PREFIX}p:${model}:${id}`;
const uidKey = (model: string, uid: string) => `${PREFIX}uid:${model}:${uid}`;
const userCodeKey = (model: string, code: string) => `${PREFIX}code:${model}:${code}`;
const grantKey = (grantId: string) => `${PREFIX}grant:${grantId}`;
const SETTINGS = `${PREFIX}settings`;

/** Sets `consumed` to now unless already set, keeping the key's TTL. */
const CONSUME = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local payload = cjson.decode(value)
if payload['consumed'] == nil then
  payload['consumed'] = tonumber(ARGV[1])
  redis.call('SET', KEYS[1], cjson.encode(payload), 'KEEPTTL')
end
return 1`;

export async function openRedisStorage(url: string): Promise<Storage & { redis: Redis }> {
  // Reconnects by itself after a Redis restart; commands wait in the offline queue meanwhile.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  redis.on("error", () => undefined);
  await redis.connect();
  const now = () => Math.floor(Date.now() / 1000);
  const parse = (value: string | null) => (value ? (JSON.parse(value) as AdapterPayload) : undefined);

  const adapter = (model: string): Adapter => ({
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
      if (payload.grantId) {
        multi.sadd(grantKey(payload.grantId), key);
        // The grant's set lives as long as its longest member.
        if (expiresIn) multi.call("EXPIRE", grantKey(payload.grantId), String(expiresIn), "GT");
        else multi.persist(grantKey(payload.grantId));
      }
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
    async destroy(id) {
      await redis.del(payloadKey(model, id));
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
      const found: (AdapterPayload & { id: string })[] = [];
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
