import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

export interface ThrottleLimits {
  /** Events allowed per key within the window before it is refused for the rest of the window. */
  max: number;
  windowSeconds: number;
}

/**
 * Counts events per key (failed sign-ins per IP or login, registrations per IP) in a fixed window.
 * In memory for one process; in Redis when several replicas must count together.
 */
export interface WindowCounter {
  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): Promise<number>;
  hit(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Bounded memory: a flood of keys evicts the oldest instead of growing without end. */
export function memoryWindowCounter(limits: ThrottleLimits): WindowCounter {
  const entries = new LRUCache<string, { count: number; resetAt: number }>({
    max: 50_000,
    ttl: limits.windowSeconds * 1000,
  });
  return {
    async retryAfter(key) {
      const entry = entries.get(key);
      if (!entry || entry.count < limits.max) return 0;
      return Math.max(1, Math.ceil((entry.resetAt - Date.now()) / 1000));
    },
    async hit(key) {
      const entry = entries.get(key);
      if (entry) entry.count++;
      else entries.set(key, { count: 1, resetAt: Date.now() + limits.windowSeconds * 1000 });
    },
    async clear(key) {
      entries.delete(key);
    },
  };
}

/** Shared by every replica: INCR with the window as the key's TTL. */
export function redisWindowCounter(redis: Redis, name: string, limits: ThrottleLimits): WindowCounter {
  const keyOf = (key: string) => `odoo-mcp:throttle:${name}:${key}`;
  return {
    async retryAfter(key) {
      const [count, ttl] = await Promise.all([redis.get(keyOf(key)), redis.ttl(keyOf(key))]);
      return Number(count ?? 0) >= limits.max ? Math.max(1, ttl) : 0;
    },
    async hit(key) {
      await redis.multi().incr(keyOf(key)).expire(keyOf(key), limits.windowSeconds, "NX").exec();
    },
    async clear(key) {
      await redis.del(keyOf(key));
    },
  };
}
