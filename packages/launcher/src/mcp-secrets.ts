import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LOCAL_MCP_CLIENT_ID } from "@odoo-mcp/shared";

export interface LocalMcpSecrets {
  clientId: string;
  clientSecret: string;
  /** Private EC P-256 JWK (JSON) the MCP server opens sealed Odoo credentials with (ODOO_AUTH_MODE=user). */
  encryptionKey: string;
  /** The key download links are signed with: kept, so a link outlives a restart of this one process. */
  downloadSecret: string;
}

function newEncryptionKey(): string {
  const jwk = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "jwk" });
  return JSON.stringify({ ...jwk, kid: randomBytes(8).toString("base64url") });
}

/**
 * The secrets of a local run: the MCP server's introspection client, which both servers must share, its
 * encryption key and its download-link key. From the environment when set, else generated once and kept
 * beside the SQLite file (owner-only), so both servers agree and links keep working across restarts.
 */
export function localMcpSecrets(env: Record<string, string | undefined>, path: string): LocalMcpSecrets {
  const stored = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Partial<LocalMcpSecrets>) : {};
  const secrets: LocalMcpSecrets = {
    clientId: stored.clientId ?? LOCAL_MCP_CLIENT_ID,
    clientSecret: stored.clientSecret ?? randomBytes(32).toString("base64url"),
    encryptionKey: stored.encryptionKey ?? newEncryptionKey(),
    downloadSecret: stored.downloadSecret ?? randomBytes(32).toString("base64url"),
  };
  if (JSON.stringify(stored) !== JSON.stringify(secrets)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, JSON.stringify(secrets), { mode: 0o600 });
  }
  return {
    clientId: env.MCP_CLIENT_ID ?? secrets.clientId,
    clientSecret: env.MCP_CLIENT_SECRET ?? secrets.clientSecret,
    encryptionKey: env.MCP_ENCRYPTION_KEY ?? secrets.encryptionKey,
    downloadSecret: env.MCP_DOWNLOAD_SECRET ?? secrets.downloadSecret,
  };
}
