import { LRUCache } from "lru-cache";

export interface ThrottleLimits {
  /** Events allowed per key within the window before it is refused for the rest of the window. */
  max: number;
  windowSeconds: number;
}

/**
 * Counts events per key (failed sign-ins per IP or login, registrations per IP) in a fixed window;
 * bounded memory, so a flood of keys evicts the oldest instead of growing without end.
 */
export class WindowCounter {
  private readonly failures: LRUCache<string, { count: number; resetAt: number }>;

  constructor(private readonly limits: ThrottleLimits) {
    this.failures = new LRUCache({ max: 50_000, ttl: limits.windowSeconds * 1000 });
  }

  /** Seconds until the key may try again, or 0 when it may try now. */
  retryAfter(key: string): number {
    const entry = this.failures.get(key);
    if (!entry || entry.count < this.limits.max) return 0;
    return Math.max(1, Math.ceil((entry.resetAt - Date.now()) / 1000));
  }

  hit(key: string): void {
    const entry = this.failures.get(key);
    if (entry) entry.count++;
    else this.failures.set(key, { count: 1, resetAt: Date.now() + this.limits.windowSeconds * 1000 });
  }

  clear(key: string): void {
    this.failures.delete(key);
  }
}
