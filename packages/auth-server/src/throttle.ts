import { isIPv4, isIPv6 } from "node:net";
import type { WindowLimit } from "@odoo-mcp/shared";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";

/** Events allowed per key within a fixed window (shared policy constants use the same shape). */
export type ThrottleLimits = WindowLimit;

/**
 * Counts events per key (sign-in failures per address, registrations per address…) in a fixed window.
 * `take` counts first and answers after, atomically: of many attempts in flight at once, only `max`
 * get through, on one replica (memory) or on many (Redis).
 */
export interface WindowCounter {
  /** Counts one attempt; 0 when it may go ahead, else the seconds until the key may try again. */
  take(key: string): Promise<number>;
  /** Gives back an attempt that turned out well (a successful sign-in is not a failure). */
  release(key: string): Promise<void>;
  clear(key: string): Promise<void>;
}

/** Bounded memory: a flood of keys evicts the oldest instead of growing without end. */
export function memoryWindowCounter(limits: ThrottleLimits): WindowCounter {
  const entries = new LRUCache<string, { count: number; resetAt: number }>({
    max: 50_000,
    ttl: limits.windowSeconds * 1000,
  });
  return {
    async take(key) {
      let entry = entries.get(key);
      if (!entry) {
        entry = { count: 0, resetAt: Date.now() + limits.windowSeconds * 1000 };
        entries.set(key, entry);
      }
      entry.count++;
      return entry.count <= limits.max ? 0 : Math.max(1, Math.ceil((entry.resetAt - Date.now()) / 1000));
    },
    async release(key) {
      const entry = entries.get(key);
      if (entry && entry.count > 0) entry.count--;
    },
    async clear(key) {
      entries.delete(key);
    },
  };
}

/** Shared by every replica: INCR and the window's TTL in one transaction, so no two replicas both pass. */
export function redisWindowCounter(redis: Redis, name: string, limits: ThrottleLimits): WindowCounter {
  const keyOf = (key: string) => `odoo-mcp:throttle:${name}:${key}`;
  return {
    async take(key) {
      const results = await redis
        .multi()
        .incr(keyOf(key))
        .expire(keyOf(key), limits.windowSeconds, "NX")
        .ttl(keyOf(key))
        .exec();
      const count = Number(results?.[0]?.[1] ?? 0);
      const ttl = Number(results?.[2]?.[1] ?? limits.windowSeconds);
      return count <= limits.max ? 0 : Math.max(1, ttl);
    },
    async release(key) {
      // Never below zero, and never resurrecting a key whose window has ended.
      await redis.eval(
        "if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then return redis.call('DECR', KEYS[1]) end return 0",
        1,
        keyOf(key),
      );
    },
    async clear(key) {
      await redis.del(keyOf(key));
    },
  };
}

/**
 * The key every per-address limit counts a client under (sign-in, registration, authorization requests).
 * IPv4: the address. IPv6: its /64, the network a subscriber or a host is given (RFC 6177), in which a
 * client may use any of 2^64 addresses, so counting full addresses would count nothing. An IPv4 address
 * written as IPv6 (`::ffff:192.0.2.1`, how a dual-stack socket reports it) is the IPv4 address.
 */
export function addressKey(ip: string): string {
  const address = ip.split("%")[0] as string; // a zone index (`fe80::1%eth0`) names no other network
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return ip;
  const groups = ipv6Groups(address);
  if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) {
    const [high = 0, low = 0] = groups.slice(6);
    return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  }
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(":")}::/64`;
}

/** Whether a client address is this machine's own: 127.0.0.0/8 (also written as IPv6) or ::1. */
export function isLoopbackAddress(ip: string): boolean {
  const address = ip.split("%")[0] as string;
  if (isIPv6(address) && ipv6Groups(address).join(":") === "0:0:0:0:0:0:0:1") return true;
  const key = addressKey(ip);
  return isIPv4(key) && key.startsWith("127.");
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted quad converted). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const first = head ? head.split(":") : [];
  const last = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - first.length - last.length).fill("0");
  return [...first, ...zeros, ...last].map((group) => Number.parseInt(group, 16));
}
