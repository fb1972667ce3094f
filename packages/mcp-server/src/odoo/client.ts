/** What the tools need from Odoo, whatever the protocol underneath. */
export interface OdooClient {
  /** `execute_kw(model, method, args, kwargs)`; rejects with OdooError only. */
  executeKw(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
  /** Signs in unless already signed in; rejects with OdooError ("credentials" when refused). */
  signIn(): Promise<void>;
  /** `common.version()`: proves Odoo answers. */
  version(): Promise<{ server_version: string }>;
}

export type OdooErrorKind =
  /** Odoo refused the operation (AccessError). */
  | "access"
  /** Odoo no longer accepts the credentials the client signs in with (AccessDenied, failed login). */
  | "credentials"
  /** The record is gone (MissingError). */
  | "missing"
  /** Odoo said the request is wrong: UserError, ValidationError, bad domain or field (fault 1/2). */
  | "invalid"
  /** Odoo did not answer in time, could not be reached, or answered garbage. */
  | "unavailable";

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
