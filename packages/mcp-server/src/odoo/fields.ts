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
}

const ATTRIBUTES = ["type", "string", "required", "readonly", "store", "relation", "selection", "help"];
/** Mail and activity plumbing that bloats every answer and helps no question. */
const NOISE = /^(message_|activity_|website_message_|__)/;

/**
 * Credential fields, by name: passwords (`password`, `new_password`, `smtp_pass`), API keys (`api_key`,
 * `api_key_ids`, `google_api_key`), other keys and secrets (`private_key`, `client_secret`,
 * `adyen_hmac_key`), TOTP (`totp_*`), tokens (`signup_token`, `access_token`, `oauth_access_token`),
 * the sign-up URL that carries one, and PINs.
 */
const SECRET_FIELD = new RegExp(
  "(^|_)(password|passwords|passwd|pass|secret|secrets|pin|hmac|shakey|" +
    "(api|private|signature|transaction|encryption|signing|access|auth|session)_keys?)(_|$)" +
    "|^totp_|(^|_)tokens?$|^signup_url$",
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

  constructor(private readonly odoo: OdooClient) {}

  async describe(model: string): Promise<Record<string, FieldInfo>> {
    const cached = this.cache.get(model);
    if (cached) return cached;
    const all = (await this.odoo.executeKw(model, "fields_get", [], { attributes: ATTRIBUTES })) as Record<
      string,
      FieldInfo
    >;
    const fields = Object.fromEntries(Object.entries(all).filter(([name]) => !isSecretField(name)));
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
