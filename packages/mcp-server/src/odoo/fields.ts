import type { OdooClient } from "@odoo-mcp/odoo-client";
import { LRUCache } from "lru-cache";

export interface FieldInfo {
  type: string;
  string: string;
  required?: boolean;
  readonly?: boolean;
  store?: boolean;
  relation?: string;
  selection?: [string, string][];
  help?: string | false;
  /** The groups the field is restricted to (`groups=`), as XML ids joined by commas. */
  groups?: string;
}

const ATTRIBUTES = ["type", "string", "required", "readonly", "store", "relation", "selection", "help", "groups"];
/** Mail and activity plumbing that bloats every answer and helps no question. */
const NOISE = /^(message_|activity_|website_message_|__)/;

/**
 * Credential fields, by what their names say they are (the catalog also leaves out, in service mode, the
 * fields Odoo restricts to its administrators, whatever their names): passwords and pass phrases
 * (`password`, `new_password`, `smtp_pass`), secrets, PINs, salts and hashes, signature phrases
 * (`aps_sha_request`, `shasign`), keys (`api_key`, `api_key_ids`, `private_key`, `adyen_hmac_key`),
 * access and authorization codes, TOTP (`totp_*`), any token (`signup_token`, `access_token`,
 * `google_calendar_rtoken`, `microsoft_calendar_rtoken`; not a link to token records such as
 * `payment_token_id`), credentials, and the sign-up URL that carries one.
 */
const SECRET_FIELD = new RegExp(
  "(^|_)(password|passwords|passwd|pass|pwd|passphrase|secret|secrets|pin|hmac|shakey|shasign|salt|hash|" +
    "credential|credentials|sha_(request|response|in|out)|" +
    "(api|private|public|signature|transaction|encryption|signing|access|auth|session|client|app)_keys?|" +
    "(access|auth|authorization|verification|otp)_codes?)(_|$)" +
    // A token itself, not a link to token records (payment_token_id names a saved payment method).
    "|(^|_)r?tokens?(?!_ids?$)(_|$)|^totp_|^signup_url$",
);

/** Whether a field holds credentials: never read, searched on, grouped by, written or described by the tools. */
export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name.toLowerCase());
}

/**
 * Why a field path may not be used, when one of its segments is a credential field
 * (`user_id.password`, `partner_id.user_ids.api_key_ids`); undefined otherwise.
 */
export function secretFieldProblem(path: string): string | undefined {
  const secret = path.split(".").find(isSecretField);
  if (secret === undefined) return undefined;
  return (
    `"${path}" names a credential field ("${secret}"): passwords, API keys, tokens and TOTP secrets are never ` +
    `read, searched, grouped by or written through this server. Leave it out.`
  );
}

/**
 * `fields_get` per model, cached for a few minutes: tools validate fields and domains against it.
 * Credential fields are left out, so nothing built on the catalog can name them.
 */
export class FieldCatalog {
  private readonly cache = new LRUCache<string, Record<string, FieldInfo>>({ max: 500, ttl: 5 * 60_000 });

  /** `hidden`: which fields are left out besides credentials (service mode: those Odoo keeps for administrators). */
  constructor(
    private readonly odoo: OdooClient,
    private readonly hidden?: (info: FieldInfo) => boolean,
  ) {}

  async describe(model: string): Promise<Record<string, FieldInfo>> {
    const cached = this.cache.get(model);
    if (cached) return cached;
    const all = (await this.odoo.executeKw(model, "fields_get", [], { attributes: ATTRIBUTES })) as Record<
      string,
      FieldInfo
    >;
    const fields = Object.fromEntries(
      Object.entries(all).filter(([name, info]) => !isSecretField(name) && !this.hidden?.(info)),
    );
    this.cache.set(model, fields);
    return fields;
  }

  /** The fields a read returns when none are named: stored, not binary, not one2many, not mail plumbing. */
  async defaultFields(model: string): Promise<string[]> {
    const fields = await this.describe(model);
    return Object.entries(fields)
      .filter(
        ([name, info]) =>
          info.store !== false && info.type !== "binary" && info.type !== "one2many" && !NOISE.test(name),
      )
      .map(([name]) => name);
  }
}
