/**
 * Odoo's login cooldown, as 17.0-19.0 have it (odoo/addons/base/models/res_users.py `_assert_can_auth`
 * and `_on_login_cooldown`; the defaults from ir_config_parameter.py `_default_parameters`):
 * - interactive sign-ins (/web/session/authenticate) are counted per source address, in each database;
 * - once 10 (`base.login_cooldown_after`) have failed since the last success, every attempt from that
 *   address is refused, whoever it names, until 60 s (`base.login_cooldown_duration`) have passed since
 *   the last failure; a refused attempt is not counted, a success forgets the address;
 * - XML-RPC sign-ins run without a request (Odoo logs them "from n/a"): neither counted nor refused.
 * The source is the socket's address or, in proxy mode (`--proxy-mode`) with an X-Forwarded-Host header,
 * the last X-Forwarded-For entry (odoo/http.py applies werkzeug's ProxyFix, x_for=1, only then).
 */
import type { IncomingMessage } from "node:http";
import { AccessDenied } from "../faults.js";
import type { Database } from "../orm/database.js";

/** Odoo's defaults for `base.login_cooldown_after` and `base.login_cooldown_duration` (seconds). */
export const LOGIN_COOLDOWN_DEFAULTS = { after: 10, durationSeconds: 60 };

/** What Odoo answers an attempt during a cooldown (res_users.py). */
const COOLDOWN_MESSAGE = "Too many login failures, please wait a bit before trying again.";

interface Failures {
  count: number;
  last: number;
}

/** The address Odoo counts a request's sign-in against. */
export function sourceAddress(request: IncomingMessage, proxyMode: boolean): string {
  const forwardedFor = request.headers["x-forwarded-for"];
  if (proxyMode && request.headers["x-forwarded-host"] && typeof forwardedFor === "string") {
    const last = forwardedFor.split(",").at(-1)?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? "";
}

export class LoginCooldowns {
  private readonly failures = new WeakMap<Database, Map<string, Failures>>();

  /** `after` 0 turns the cooldown off, as `base.login_cooldown_after = 0` does. */
  constructor(private readonly settings = LOGIN_COOLDOWN_DEFAULTS) {}

  /** Runs one sign-in attempt from `source` under the cooldown: refused during one, counted when it fails. */
  attempt<T>(db: Database, source: string, signIn: () => T | undefined): T {
    const bySource = this.failures.get(db) ?? new Map<string, Failures>();
    this.failures.set(db, bySource);
    const previous = bySource.get(source);
    const { after, durationSeconds } = this.settings;
    if (after > 0 && previous && previous.count >= after && Date.now() - previous.last < durationSeconds * 1000)
      throw new AccessDenied(COOLDOWN_MESSAGE);
    const signedIn = signIn();
    if (signedIn === undefined) {
      bySource.set(source, { count: (previous?.count ?? 0) + 1, last: Date.now() });
      throw new AccessDenied();
    }
    bySource.delete(source);
    return signedIn;
  }
}
