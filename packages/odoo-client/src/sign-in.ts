/**
 * Signing a person in against Odoo with their own credentials, and what Odoo lets them do. The route
 * follows the credential and the release, so it works on an Odoo without XML-RPC:
 * - a password goes where Odoo's own web client sends it (`/web/session/authenticate`);
 * - an API key (Odoo's are 40 hexadecimal characters) goes over JSON-2 from 19.0, over XML-RPC before
 *   (the only programmatic route those releases have; interactive sign-in refuses API keys by design).
 * Whichever route fails on a credential of the other shape, the other is tried once.
 * Where the person's own secret will be used over JSON-2 afterwards (user mode with ODOO_PROTOCOL=json2),
 * only an API key will do, so only an API key is verified, over JSON-2: a password is answered
 * "api_key_required" without asking Odoo, since no token made from it could work.
 * Odoo's login cooldown (10 failures from one address, then 60 s of refusals: res_users.py
 * `_assert_can_auth`) is a "paused" outcome, not a rejection, and is never routed around over
 * XML-RPC, which Odoo does not count. The person's address is forwarded so that an Odoo in proxy mode
 * pauses the guesser's address, not every sign-in this server makes.
 */
import type { OdooTransport } from "./client.js";
import { detectRelease, looksLikeApiKey, type OdooProtocolSetting, once } from "./connect.js";
import { OdooError } from "./errors.js";
import { createJson2Transport } from "./transports/json2.js";
import { createWebSessionTransport } from "./transports/web-session.js";
import { createXmlRpcTransport } from "./transports/xmlrpc.js";
import type { OdooCapabilities } from "./version.js";

export interface OdooIdentity {
  db: string;
  uid: number;
  login: string;
  name: string;
  email: string | undefined;
  /** Whether the person may be given `odoo:write` (Odoo rights, checked with their own credentials). */
  canWrite: boolean;
  /** Member of Odoo's Settings group (base.group_system): may use the admin console. */
  isAdmin: boolean;
}

export type LoginOutcome =
  | { ok: true; identity: OdooIdentity }
  /** Wrong login or password, archived, portal or otherwise not an internal user: one answer for all. */
  | { ok: false; reason: "rejected" }
  /** Odoo's login cooldown holds the address the person signs in from: wait, then try again. */
  | { ok: false; reason: "paused" }
  /** Not an API key, where the secret is to be used over JSON-2, which takes nothing else. */
  | { ok: false; reason: "api_key_required" }
  | { ok: false; reason: "unavailable"; detail: string };

export interface OdooSignInSettings {
  url: string;
  db: string;
  /** XML id of the group whose members may write; unset: whoever may create `writeCheckModel` records. */
  writeGroup?: string | undefined;
  writeCheckModel: string;
  timeoutMs?: number;
}

const REJECTED = "rejected";

interface SignedIn {
  transport: OdooTransport;
  uid: number;
}

/** `from`: the address of the person signing in, forwarded where Odoo counts failures per address. */
type Route = (login: string, secret: string, from: string | undefined) => Promise<SignedIn>;

export function createOdooSignIn(settings: OdooSignInSettings) {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  const url = settings.url.replace(/\/$/, "");
  const release = once(() => detectRelease(url, timeoutMs));
  const common = { url, db: settings.db, timeoutMs, rejectedMessage: REJECTED };

  const password: Route = async (login, secret, from) => {
    const transport = createWebSessionTransport({ ...common, login, password: secret, forwardedFor: from });
    return { transport, uid: (await transport.authenticate()).uid };
  };
  const overJson2: Route = async (_login, secret) => {
    const transport = createJson2Transport({ ...common, apiKey: secret });
    // JSON-2 knows the key, not the login: the key's user must be the one who typed the login (identify).
    const context = (await transport.executeKw("res.users", "context_get", [], {})) as { uid?: unknown };
    if (typeof context.uid !== "number") throw new OdooError("unavailable", "Odoo's context_get named no user.");
    return { transport, uid: context.uid };
  };
  const apiKey: Route = async (login, secret, from) => {
    if ((await release()).json2) return overJson2(login, secret, from);
    const transport = createXmlRpcTransport({ ...common, login, secret });
    return { transport, uid: await transport.uid() };
  };

  const signIn = async (login: string, secret: string, from: string | undefined): Promise<SignedIn> => {
    const [first, second] = looksLikeApiKey(secret) ? [apiKey, password] : [password, apiKey];
    try {
      return await first(login, secret, from);
    } catch (error) {
      if (!(error instanceof OdooError) || error.kind !== "credentials") throw error;
      return second(login, secret, from);
    }
  };

  /**
   * `from`: the address the person signs in from (see the web session's `forwardedFor`). `usedOver`: the
   * protocol the secret will be used over afterwards, when it is kept (user mode); `auto` takes either kind.
   */
  return async function verify(
    login: string,
    secret: string,
    from?: string,
    usedOver: OdooProtocolSetting = "auto",
  ): Promise<LoginOutcome> {
    // No route takes an empty secret, and from 18.0 Odoo's XML-RPC fails on one with an assertion.
    if (!secret) return { ok: false, reason: "rejected" };
    if (usedOver === "json2" && !looksLikeApiKey(secret)) return { ok: false, reason: "api_key_required" };
    try {
      const server = await release();
      const { transport, uid } = await (usedOver === "json2" ? overJson2 : signIn)(login, secret, from);
      const identity = await identify(transport, server, settings, uid, login);
      return identity ? { ok: true, identity } : { ok: false, reason: "rejected" };
    } catch (error) {
      if (error instanceof OdooError && (error.kind === "credentials" || error.kind === "access"))
        return { ok: false, reason: "rejected" };
      if (error instanceof OdooError && error.kind === "paused") return { ok: false, reason: "paused" };
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: "unavailable", detail };
    }
  };
}

interface UserRow {
  name: string;
  email: string | false;
  share: boolean;
  login: string;
}

/** The person behind `uid` and their rights, asked with their own credentials; undefined: not an internal user. */
async function identify(
  odoo: OdooTransport,
  server: OdooCapabilities,
  settings: OdooSignInSettings,
  uid: number,
  login: string,
): Promise<OdooIdentity | undefined> {
  const [user] = (await odoo.executeKw("res.users", "read", [[uid], ["name", "email", "share", "login"]], {})) as (
    | UserRow
    | undefined
  )[];
  // Odoo logins are case-sensitive; an API key belongs to one user, who must be the one named.
  if (!user || user.share || user.login !== login) return undefined;
  // has_group asks about the caller: @api.model up to 17, on the user's own record from 18.0.
  const inGroup = (group: string) =>
    odoo.executeKw("res.users", "has_group", server.hasGroupOnRecords ? [[uid], group] : [group], {});
  const mayCreate = () =>
    server.hasAccess
      ? odoo.executeKw(settings.writeCheckModel, "has_access", [[], "create"], {})
      : odoo.executeKw(settings.writeCheckModel, "check_access_rights", ["create"], { raise_exception: false });
  const [canWrite, isAdmin] = await Promise.all([
    settings.writeGroup ? inGroup(settings.writeGroup) : mayCreate(),
    inGroup("base.group_system"),
  ]);
  return {
    db: settings.db,
    uid,
    login: user.login,
    name: user.name,
    email: user.email || undefined,
    canWrite: canWrite === true,
    isAdmin: isAdmin === true,
  };
}

export type VerifyOdooLogin = ReturnType<typeof createOdooSignIn>;
