/**
 * RFC 7662 token introspection response, as the auth server answers it and the MCP server reads it.
 * An inactive token carries `active: false` and nothing else (RFC 7662 §2.2).
 */
export type IntrospectionResponse = ActiveTokenInfo | { active: false };

export interface ActiveTokenInfo {
  active: true;
  /** Space-delimited scopes granted to the token. */
  scope?: string;
  client_id: string;
  /** The Odoo login the token acts for. */
  username?: string;
  /** The subject: a stable identifier of the person (their Odoo user id, as a string). */
  sub?: string;
  token_type?: string;
  /** Expiry, issue and not-before times in seconds since the epoch. */
  exp?: number;
  iat?: number;
  nbf?: number;
  /** The resource(s) (RFC 8707) the token is meant for. */
  aud?: string | string[];
  iss?: string;
  jti?: string;
  /** The grant the token was issued under (for revocation notices). */
  grant_id?: string;
  /** The Odoo identity the token acts for. */
  odoo_uid?: number;
  odoo_login?: string;
  /**
   * Whether the person's Odoo rights let them hold `odoo:write`: when false, consenting again cannot add
   * it (the MCP server then answers a write tool with a tool error, not a 403 step-up challenge).
   */
  odoo_can_write?: boolean;
  /** ODOO_AUTH_MODE=user: the person's Odoo credentials sealed to the MCP server (JWE). */
  odoo_credential?: string;
}

export function isActive(response: IntrospectionResponse): response is ActiveTokenInfo {
  return response.active === true;
}
