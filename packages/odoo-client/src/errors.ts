/** The one error model for every way of talking to Odoo: a kind a program acts on, words a person reads. */
export type OdooErrorKind =
  /** Odoo refused the operation (AccessError). */
  | "access"
  /** Odoo no longer accepts the credentials the client signs in with (AccessDenied, failed login). */
  | "credentials"
  /** The record is gone (MissingError). */
  | "missing"
  /** Odoo said the request is wrong: UserError, ValidationError, bad domain, field or argument. */
  | "invalid"
  /** Odoo did not answer in time, could not be reached, or answered garbage. */
  | "unavailable"
  /** Odoo's login cooldown: no sign-in from this address for a while after repeated failures. */
  | "paused";

/** An Odoo failure with a message fit for a person: Odoo's own words, never a Python traceback. */
export class OdooError extends Error {
  constructor(
    readonly kind: OdooErrorKind,
    message: string,
  ) {
    super(message);
    this.name = "OdooError";
  }
}

/** Odoo's message without the traceback: the last line of a fault is `ValueError: message`. */
export function withoutTraceback(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith("Traceback")) return trimmed;
  const last = trimmed.split("\n").at(-1) ?? trimmed;
  return last.replace(/^[\w.]+(Error|Exception|Warning): /, "");
}

/** Odoo's exception classes (as JSON-2 and the web client name them) and the kind each means. */
export function kindOfException(name: string | undefined, message: string): OdooErrorKind {
  if (!name) return "invalid";
  // Odoo's login cooldown (res_users.py `_assert_can_auth`) refuses every sign-in from an address for a
  // while after repeated failures: a pause that says nothing about these credentials.
  if (/AccessDenied$/.test(name) && /^Too many login failures/.test(message)) return "paused";
  if (/AccessDenied$/.test(name) || /SessionExpired/.test(name)) return "credentials";
  if (/AccessError$/.test(name)) return "access";
  if (/MissingError$/.test(name) || /does not exist or has been deleted|has already been deleted/.test(message))
    return "missing";
  return "invalid";
}

/** Rejects with an "unavailable" OdooError when `promise` takes longer than `ms`. */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OdooError("unavailable", `Odoo did not answer within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

/** A network failure as a person reads it. */
export const unreachable = (error: unknown): OdooError =>
  error instanceof OdooError
    ? error
    : new OdooError(
        "unavailable",
        `Odoo could not be reached (${error instanceof Error ? error.message : String(error)}).`,
      );
