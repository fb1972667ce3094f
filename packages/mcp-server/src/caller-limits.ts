/**
 * Per-caller limits: what one person, through one application (the token's sub and client, so every token
 * of theirs shares them), may start per minute and have running at once: requests that reach Odoo, PDF
 * renders, downloads. Checked before any Odoo call; over a limit the caller is told how long to wait
 * (`Retry-After`). Kept in this replica's memory, as the server keeps no shared state: each replica
 * allows the configured amounts (MCP_CALLS_PER_MINUTE and the others, config.ts).
 *
 * Rates are token buckets (a minute's worth at most, refilled continuously), so a burst up to the
 * per-minute amount passes and then one request per 60/amount seconds.
 */
import { BUSY_RETRY_AFTER_SECONDS } from "@odoo-mcp/shared";

export type Resource = "calls" | "renders" | "downloads";

export interface ResourceLimit {
  /** Started per minute at most; no rate limit when absent. */
  perMinute?: number;
  /** Running at once at most. */
  concurrent: number;
}

export type LimitSettings = Record<Resource, ResourceLimit>;

/** What a request holds while it runs: release it when it ends (more than once does no harm). */
export interface Slot {
  release(): void;
}

/** A request refused: which limit, how long to wait, and a sentence for the caller. */
export interface TooMany {
  resource: Resource;
  retryAfterSeconds: number;
  message: string;
}

export const isTooMany = (taken: Slot | TooMany): taken is TooMany => "retryAfterSeconds" in taken;

/** Whom limits count for: one person through one application. */
export const limitKey = (owner: { sub: string | undefined; clientId: string }) =>
  `${owner.clientId}\u0000${owner.sub ?? ""}`;

const WHAT: Record<Resource, string> = {
  calls: "requests to Odoo",
  renders: "PDF reports rendering",
  downloads: "downloads",
};

interface CallerState {
  /** Tokens left per rated resource, as of `updated`. */
  tokens: Partial<Record<Resource, number>>;
  running: Record<Resource, number>;
  updated: number;
}

/** A bucket refills in a minute at most: a caller idle that long is as new, and is forgotten. */
const REFILL_MS = 60_000;

export class CallerLimits {
  private readonly callers = new Map<string, CallerState>();
  private lastSweep: number;

  constructor(
    private readonly limits: LimitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.lastSweep = now();
  }

  /** Takes one of each resource `needs` for the caller `key`, all or none. */
  take(key: string, needs: readonly Resource[]): Slot | TooMany {
    const now = this.now();
    if (now - this.lastSweep >= REFILL_MS) this.sweep(now);
    let state = this.callers.get(key);
    if (!state) {
      state = { tokens: {}, running: { calls: 0, renders: 0, downloads: 0 }, updated: now };
      this.callers.set(key, state);
    }
    const elapsed = now - state.updated;
    state.updated = now;
    for (const resource of needs) {
      const { perMinute } = this.limits[resource];
      if (perMinute !== undefined)
        state.tokens[resource] = Math.min(
          perMinute,
          (state.tokens[resource] ?? perMinute) + (elapsed * perMinute) / REFILL_MS,
        );
    }
    for (const resource of needs) {
      const { perMinute, concurrent } = this.limits[resource];
      if (state.running[resource] >= concurrent)
        return {
          resource,
          retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
          message: `Too many ${WHAT[resource]} at once: ${concurrent} of yours are already running. Retry in ${BUSY_RETRY_AFTER_SECONDS} s.`,
        };
      const tokens = state.tokens[resource];
      if (perMinute !== undefined && tokens !== undefined && tokens < 1) {
        const retryAfterSeconds = Math.max(1, Math.ceil(((1 - tokens) * REFILL_MS) / perMinute / 1000));
        return {
          resource,
          retryAfterSeconds,
          message: `Too many ${WHAT[resource]}: at most ${perMinute} a minute. Retry in ${retryAfterSeconds} s.`,
        };
      }
    }
    for (const resource of needs) {
      state.running[resource]++;
      const tokens = state.tokens[resource];
      if (tokens !== undefined) state.tokens[resource] = tokens - 1;
    }
    const running = state.running;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        for (const resource of needs) running[resource]--;
      },
    };
  }

  /** Forgets callers with nothing running whose buckets have refilled. */
  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [key, state] of this.callers) {
      const idle = state.running.calls + state.running.renders + state.running.downloads === 0;
      if (idle && now - state.updated >= REFILL_MS) this.callers.delete(key);
    }
  }
}
