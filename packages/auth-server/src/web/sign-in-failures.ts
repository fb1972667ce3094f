/**
 * Failed sign-ins, for the metrics page (a counter by reason) and the admin console (the last ones, with
 * login and address). The list is this replica's own, in memory: enough to spot an attack in progress.
 */
import { Counter, type Registry } from "prom-client";

export type SignInFailureReason = "rejected" | "throttled" | "odoo_paused" | "odoo_unavailable" | "api_key_required";

export interface SignInFailure {
  at: Date;
  reason: SignInFailureReason;
  login: string;
  ip: string;
  /** Where the attempt was made: the consent flow, the connected-apps page or the admin console. */
  page: string;
}

const KEPT = 50;

export class SignInFailureLog {
  private readonly entries: SignInFailure[] = [];
  private readonly counter: Counter<"reason">;

  constructor(registry: Registry) {
    this.counter = new Counter({
      name: "oauth_signin_failures_total",
      help: "Failed sign-ins on the login pages, by reason (rejected, throttled, odoo_paused, odoo_unavailable, api_key_required)",
      labelNames: ["reason"] as const,
      registers: [registry],
    });
  }

  record(failure: Omit<SignInFailure, "at">): void {
    this.counter.inc({ reason: failure.reason });
    this.entries.unshift({ ...failure, login: failure.login.slice(0, 128), at: new Date() });
    this.entries.length = Math.min(this.entries.length, KEPT);
  }

  /** Newest first. */
  recent(): readonly SignInFailure[] {
    return this.entries;
  }
}
