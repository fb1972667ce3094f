/**
 * Revocation notices from the authorization server to every MCP replica, so cached introspection
 * answers die at once instead of at the end of the cache TTL. Carried by Redis pub/sub when Redis is
 * configured, else PostgreSQL LISTEN/NOTIFY.
 */
export const REVOCATION_CHANNEL = "odoo_mcp_revocations";

export type RevocationNotice =
  /** Every token issued under the grant. */
  | { type: "grant"; grant_id: string }
  /** One token, by the SHA-256 (base64url) of its value: the token itself never travels. */
  | { type: "token"; token_sha256: string }
  /** Every token of a client (its secret was rotated, or it was revoked). */
  | { type: "client"; client_id: string };

export function parseRevocationNotice(text: string): RevocationNotice | undefined {
  try {
    const notice = JSON.parse(text) as RevocationNotice;
    if (notice.type === "grant" && typeof notice.grant_id === "string") return notice;
    if (notice.type === "token" && typeof notice.token_sha256 === "string") return notice;
    if (notice.type === "client" && typeof notice.client_id === "string") return notice;
  } catch {}
  return undefined;
}
