/**
 * How many e-mails each person may send through the tools in an hour (ODOO_MAIL_HOURLY_LIMIT): every
 * recipient of every message counts one. A sliding hour per person, kept in this process (each replica
 * keeps its own, so N replicas allow up to N times the limit); people who send nothing take no memory.
 */
import { LRUCache } from "lru-cache";

const HOUR_MS = 60 * 60_000;

export interface MailBudget {
  /** Takes `count` mails from `person`'s hour; false (and nothing taken) when that would pass the limit. */
  take(person: string, count: number): boolean;
  readonly limit: number;
}

export function createMailBudget(limit: number, now: () => number = Date.now): MailBudget {
  const sent = new LRUCache<string, number[]>({ max: 50_000, ttl: HOUR_MS });
  return {
    limit,
    take(person, count) {
      const since = now() - HOUR_MS;
      const times = (sent.get(person) ?? []).filter((time) => time > since);
      if (times.length + count > limit) {
        sent.set(person, times);
        return false;
      }
      const at = now();
      for (let index = 0; index < count; index++) times.push(at);
      sent.set(person, times);
      return true;
    },
  };
}
