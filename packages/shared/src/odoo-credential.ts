/**
 * Per-user Odoo identity (ODOO_AUTH_MODE=user): at sign-in the authorization server seals the person's
 * Odoo credentials as a JWE to the MCP server's public key. Only the MCP server can open it.
 */
export type OdooAuthMode = "service" | "user";

export interface OdooCredential {
  db: string;
  uid: number;
  login: string;
  /** Password or API key, exactly as the person typed it. */
  secret: string;
}

/** Key agreement and content encryption of the sealed credential (JWE compact serialization). */
export const CREDENTIAL_JWE = { alg: "ECDH-ES+A256KW", enc: "A256GCM" } as const;

/** The introspection field that carries the sealed credential, answered only to the MCP server. */
export const CREDENTIAL_CLAIM = "odoo_credential";
