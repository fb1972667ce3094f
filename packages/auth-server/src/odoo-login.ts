/** Verifying a person against Odoo with their own credentials (password or API key), through odoo-await. */
import Odoo from "odoo-await";

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
  | { ok: false; reason: "unavailable"; detail: string };

export interface OdooLoginSettings {
  url: string;
  db: string;
  /** XML id of the group whose members may write; unset: whoever may create `writeCheckModel` records. */
  writeGroup?: string | undefined;
  writeCheckModel: string;
  timeoutMs?: number;
}

class Timeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout(`Odoo did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** odoo-await rejects bad credentials with a plain string; network and protocol failures are Errors. */
const isCredentialRejection = (error: unknown) => typeof error === "string";
const isAccessError = (error: unknown) => (error as { faultCode?: number } | undefined)?.faultCode === 4;

export function createOdooLogin(settings: OdooLoginSettings) {
  const timeoutMs = settings.timeoutMs ?? 10_000;
  return async function verify(login: string, password: string): Promise<LoginOutcome> {
    const odoo = new Odoo({ baseUrl: settings.url, db: settings.db, username: login, password });
    try {
      const uid = (await withTimeout(odoo.connect(), timeoutMs)) as number;
      let user: { name: string; email: string | false; share: boolean; login: string } | undefined;
      try {
        const users = (await withTimeout(
          odoo.execute_kw("res.users", "read", [[[uid], ["name", "email", "share", "login"]]]),
          timeoutMs,
        )) as { name: string; email: string | false; share: boolean; login: string }[];
        user = users[0];
      } catch (error) {
        if (isAccessError(error)) return { ok: false, reason: "rejected" };
        throw error;
      }
      if (!user || user.share) return { ok: false, reason: "rejected" };
      const inGroup = (group: string) =>
        withTimeout(odoo.execute_kw("res.users", "has_group", [[[uid], group]]), timeoutMs);
      const [canWrite, isAdmin] = await Promise.all([
        settings.writeGroup
          ? inGroup(settings.writeGroup)
          : withTimeout(
              odoo.execute_kw(settings.writeCheckModel, "check_access_rights", [
                ["create"],
                { raise_exception: false },
              ]),
              timeoutMs,
            ),
        inGroup("base.group_system"),
      ]);
      return {
        ok: true,
        identity: {
          db: settings.db,
          uid,
          login: user.login,
          name: user.name,
          email: user.email || undefined,
          canWrite: canWrite === true,
          isAdmin: isAdmin === true,
        },
      };
    } catch (error) {
      if (isCredentialRejection(error)) return { ok: false, reason: "rejected" };
      const detail = error instanceof Error ? error.message : String(error);
      return { ok: false, reason: "unavailable", detail };
    }
  };
}

export type VerifyOdooLogin = ReturnType<typeof createOdooLogin>;
