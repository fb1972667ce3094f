/**
 * ODOO_AUTH_MODE=user: the person's Odoo credentials, sealed at sign-in as a JWE to the MCP server's
 * public key (this server cannot open what it stores), kept per grant, handed to the MCP server through
 * introspection, and removed with the grant.
 */
import { CREDENTIAL_JWE, GRANT_LIFETIME_SECONDS, type Logger, type OdooCredential } from "@odoo-mcp/shared";
import { CompactEncrypt, importJWK, type JWK } from "jose";
import type { AdapterPayload } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

export const CREDENTIAL_MODEL = "OdooCredential";
const KEY_MAX_AGE_MS = 10 * 60_000;
const GRANT_SECONDS = GRANT_LIFETIME_SECONDS;

export class EncryptionKeyUnavailable extends Error {
  override name = "EncryptionKeyUnavailable";
}

export function createCredentialVault(storage: Storage, jwksUrl: string, logger: Logger) {
  const adapter = storage.adapter(CREDENTIAL_MODEL);
  let key: { jwk: JWK; fetchedAt: number } | undefined;

  async function encryptionKey(): Promise<JWK> {
    if (key && Date.now() - key.fetchedAt < KEY_MAX_AGE_MS) return key.jwk;
    try {
      const response = await fetch(jwksUrl, {
        signal: AbortSignal.timeout(5000),
        headers: { accept: "application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const { keys } = (await response.json()) as { keys?: JWK[] };
      const jwk = keys?.find((candidate) => candidate.use === "enc" && candidate.alg === CREDENTIAL_JWE.alg);
      if (!jwk) throw new Error(`no ${CREDENTIAL_JWE.alg} encryption key in the set`);
      key = { jwk, fetchedAt: Date.now() };
      return jwk;
    } catch (error) {
      logger.error({ event: "mcp_encryption_key_unavailable", url: jwksUrl, detail: (error as Error).message });
      if (key) return key.jwk;
      throw new EncryptionKeyUnavailable(`the MCP server's encryption key could not be fetched from ${jwksUrl}`);
    }
  }

  return {
    async seal(credential: OdooCredential): Promise<string> {
      const jwk = await encryptionKey();
      return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(credential)))
        .setProtectedHeader({ ...CREDENTIAL_JWE, kid: jwk.kid, cty: "odoo-credential" })
        .encrypt(await importJWK(jwk, CREDENTIAL_JWE.alg));
    },
    async keep(grantId: string, accountId: string, sealed: string): Promise<void> {
      await adapter.upsert(grantId, { grantId, accountId, sealed } as AdapterPayload, GRANT_SECONDS);
    },
    async forGrant(grantId: string): Promise<string | undefined> {
      return (await adapter.find(grantId))?.sealed as string | undefined;
    },
    async removeForGrant(grantId: string): Promise<void> {
      await adapter.destroy(grantId);
    },
    async removeForAccount(accountId: string): Promise<void> {
      for (const entry of await storage.list(CREDENTIAL_MODEL))
        if (entry.accountId === accountId) await adapter.destroy(entry.id);
    },
  };
}

export type CredentialVault = ReturnType<typeof createCredentialVault>;
