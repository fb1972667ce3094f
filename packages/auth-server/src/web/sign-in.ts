/**
 * One sign-in check for every page that asks for credentials (consent, /account, /admin): the shared
 * failure budget, the verification itself, and one log line and one failure record per refusal. The
 * page only renders what it is told.
 *
 * The failure budget: per address (20 in 15 minutes, whatever the logins: one source guessing many
 * people's passwords) and per login *from that address* (5: one source guessing one person's). A budget
 * per login alone let anyone lock a person out by typing five wrong passwords for their login; keyed by
 * login and address, a stranger only spends their own budget and the person signing in from elsewhere
 * is not affected. Guessing stays bounded: each address gets 5 tries per login and 20 in all, an IPv6
 * client counts as its whole /64 (throttle.ts `addressKey`), and Odoo adds its own cooldown (10 failures
 * per address, then 60 s), told the person's address (odoo-client sign-in.ts); when Odoo pauses, the
 * person is told to wait, not that their password is wrong.
 * Remembering the addresses a person signed in from would spare them only there (a new network would
 * still be lockable), and would keep a list of everyone's addresses.
 */

import type { OdooIdentity, OdooProtocolSetting, VerifyOdooLogin } from "@odoo-mcp/odoo-client";
import { type Logger, withoutUrlCredentials } from "@odoo-mcp/shared";
import type { Context } from "koa";
import { addressKey, type WindowCounter } from "../throttle.js";
import type { Strings } from "./i18n.js";
import type { SignInFailureLog, SignInFailureReason } from "./sign-in-failures.js";

export interface SignInGuards {
  throttles: { byAddress: WindowCounter; byLoginAndAddress: WindowCounter };
  /** The Odoo the sign-in is checked against, named to the person when it does not answer. */
  odooUrl: string;
  signInFailures?: SignInFailureLog | undefined;
  logger: Logger;
}

/** What every page with an Odoo sign-in form needs (app.ts builds it once for all of them). */
export interface SignInPageDependencies extends SignInGuards {
  verifyLogin: VerifyOdooLogin;
  csrfSecret: string;
}

/** What a verifier answers: the Odoo sign-in's outcome, or any other secret check in the same shape. */
export type Verification<Identity> =
  | { ok: true; identity: Identity }
  | { ok: false; reason: "rejected" }
  | { ok: false; reason: "paused" }
  | { ok: false; reason: "api_key_required" }
  | { ok: false; reason: "unavailable"; detail: string };

export type SignInResult<Identity> =
  | { ok: true; identity: Identity }
  | { ok: false; status: 400 | 401 | 403 | 429 | 503; error: (t: Strings) => string };

export interface SignInAttempt<Identity> {
  /** The login as typed (throttled case-insensitively), or a fixed name for a token form. */
  login: string;
  verify(): Promise<Verification<Identity>>;
  /** A further condition a verified identity must meet (e.g. being an administrator), refused with 403. */
  required?: { holds(identity: Identity): boolean; error(t: Strings): string };
  page: "consent" | "account" | "admin";
  /** More fields for the failure log lines (e.g. the client being authorized). */
  logFields?: Record<string, unknown>;
  /** A form with no login (the admin token): throttled per address only, so no one can lock others out. */
  throttleByAddressOnly?: boolean;
}

/** Odoo's default `base.login_cooldown_duration` (ir_config_parameter.py `_default_parameters`). */
const ODOO_COOLDOWN_SECONDS = 60;

export async function checkSignIn<Identity>(
  guards: SignInGuards,
  ctx: Context,
  attempt: SignInAttempt<Identity>,
): Promise<SignInResult<Identity>> {
  const { throttles, logger } = guards;
  const { login, page } = attempt;
  const address = addressKey(ctx.ip);
  const keys: [WindowCounter, string][] = [[throttles.byAddress, `ip:${address}`]];
  if (!attempt.throttleByAddressOnly) {
    keys.push([throttles.byLoginAndAddress, `login:${login.toLowerCase()}:ip:${address}`]);
  }
  const failed = (reason: SignInFailureReason, extra: Record<string, unknown> = {}) => {
    guards.signInFailures?.record({ reason, login, ip: ctx.ip, page });
    const line = { event: "oauth_login_failed", reason, login, ip: ctx.ip, page, ...attempt.logFields, ...extra };
    if (reason === "odoo_unavailable") logger.error(line);
    else logger.warn(line);
  };
  const giveBack = () => Promise.all(keys.map(([counter, key]) => counter.release(key)));

  // Counted before Odoo is asked, atomically: parallel guesses cannot all get through the budget.
  const wait = Math.max(...(await Promise.all(keys.map(([counter, key]) => counter.take(key)))));
  if (wait > 0) {
    failed("throttled", { retry_after: wait });
    ctx.set("Retry-After", String(wait));
    return { ok: false, status: 429, error: (t) => t.throttled(Math.ceil(wait / 60)) };
  }
  const outcome = await attempt.verify();
  if (!outcome.ok && outcome.reason === "unavailable") {
    await giveBack(); // Odoo's outage is not the person's failure
    failed("odoo_unavailable", { detail: outcome.detail });
    const odoo = withoutUrlCredentials(guards.odooUrl);
    return { ok: false, status: 503, error: (t) => t.odooUnreachable(odoo) };
  }
  if (!outcome.ok && outcome.reason === "api_key_required") {
    await giveBack(); // nothing was checked: Odoo was not asked
    failed("api_key_required");
    return { ok: false, status: 400, error: (t) => t.apiKeyRequired };
  }
  if (!outcome.ok && outcome.reason === "paused") {
    await giveBack(); // Odoo refused to check: nothing was guessed
    failed("odoo_paused");
    ctx.set("Retry-After", String(ODOO_COOLDOWN_SECONDS));
    return { ok: false, status: 429, error: (t) => t.odooPaused };
  }
  if (!outcome.ok) {
    failed("rejected");
    return { ok: false, status: 401, error: (t) => t.rejected };
  }
  if (attempt.required && !attempt.required.holds(outcome.identity)) {
    failed("rejected");
    return { ok: false, status: 403, error: attempt.required.error };
  }
  await giveBack();
  if (keys[1]) await keys[1][0].clear(keys[1][1]);
  return outcome;
}

/** The login and password of a posted sign-in form, bounded; an empty one is never sent to Odoo. */
export function postedCredentials(body: Record<string, unknown>): { login: string; password: string } {
  return {
    login: typeof body.login === "string" ? body.login.trim().slice(0, 256) : "",
    password: typeof body.password === "string" ? body.password.slice(0, 1024) : "",
  };
}

/**
 * Verifies posted credentials against Odoo, on behalf of the address they come from (Odoo's own
 * cooldown counts per address); empty ones are refused without asking it. `usedOver`: the protocol the
 * secret is used over afterwards, when it is kept (the consent flow in user mode).
 */
export const odooVerification =
  (
    verifyLogin: VerifyOdooLogin,
    { login, password }: { login: string; password: string },
    from: string,
    usedOver: OdooProtocolSetting = "auto",
  ) =>
  (): Promise<Verification<OdooIdentity>> =>
    login && password
      ? verifyLogin(login, password, from, usedOver)
      : Promise.resolve({ ok: false, reason: "rejected" });
