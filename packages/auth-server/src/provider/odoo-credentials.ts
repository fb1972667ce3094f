/**
 * ODOO_AUTH_MODE=user: the person's Odoo credentials, sealed at sign-in as a JWE to the MCP server's
 * public key (this server cannot open what it stores), kept per grant, handed to the MCP server through
 * introspection, and removed with the grant.
 *
 * A person signed in at this server allows a second app in the same browser without typing their
 * password again (oidc-provider's browser session), so the sealed credential is also kept for that
 * session, until it ends (sign-out or its lifetime), and every grant made in it gets a copy. When a
 * session has none (e.g. it began before this was kept), the person is asked to sign in again rather
 * than given a token the MCP server cannot use.
 */
import {
  BROWSER_SESSION_SECONDS,
  CREDENTIAL_JWE,
  GRANT_LIFETIME_SECONDS,
  type Logger,
  type OdooCredential,
} from "@odoo-mcp/shared";
import { CompactEncrypt, importJWK, type JWK } from "jose";
import { type AdapterPayload, interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

export const CREDENTIAL_MODEL = "OdooCredential";
/** The sealed credential of a browser session, by the session's stable `uid`. */
export const SESSION_CREDENTIAL_MODEL = "OdooSessionCredential";
const KEY_MAX_AGE_MS = 10 * 60_000;
const GRANT_SECONDS = GRANT_LIFETIME_SECONDS;

type Grant = InstanceType<KoaContextWithOIDC["oidc"]["provider"]["Grant"]>;

export class EncryptionKeyUnavailable extends Error {
  override name = "EncryptionKeyUnavailable";
}

export function createCredentialVault(storage: Storage, jwksUrl: string, logger: Logger) {
  const adapter = storage.adapter(CREDENTIAL_MODEL);
  const sessions = storage.adapter(SESSION_CREDENTIAL_MODEL);
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
    async keepForSession(sessionUid: string, accountId: string, sealed: string): Promise<void> {
      await sessions.upsert(sessionUid, { accountId, sealed } as AdapterPayload, BROWSER_SESSION_SECONDS);
    },
    /** The session's sealed credential, if it is this person's. */
    async forSession(sessionUid: string, accountId: string): Promise<string | undefined> {
      const entry = await sessions.find(sessionUid);
      return entry?.accountId === accountId ? (entry.sealed as string) : undefined;
    },
    async removeForSession(sessionUid: string): Promise<void> {
      await sessions.destroy(sessionUid);
    },
  };
}

export type CredentialVault = ReturnType<typeof createCredentialVault>;

/** A sign-in in this authorization request left the person's sealed credential in its result. */
const sealedAtSignIn = (ctx: KoaContextWithOIDC) => {
  const sealed = (ctx.oidc.result as { odooCredential?: unknown } | undefined)?.odooCredential;
  return typeof sealed === "string" ? sealed : undefined;
};

/**
 * Run as an authorization request loads the person's grant for the client (oidc-provider's
 * `loadExistingGrant`): a credential sealed at this sign-in is kept for the browser session and the
 * grant; a grant without one gets the session's.
 */
export async function credentialForGrant(
  vault: CredentialVault,
  ctx: KoaContextWithOIDC,
  grant: Grant | undefined,
): Promise<void> {
  const session = ctx.oidc.session;
  const accountId = session?.accountId;
  if (!session || !accountId) return;
  const sealed = sealedAtSignIn(ctx);
  if (sealed) await vault.keepForSession(session.uid, accountId, sealed);
  if (!grant || grant.accountId !== accountId) return;
  if (sealed) await vault.keep(grant.jti, accountId, sealed);
  else if (!(await vault.forGrant(grant.jti))) {
    const fromSession = await vault.forSession(session.uid, accountId);
    if (fromSession) await vault.keep(grant.jti, accountId, fromSession);
  }
}

/**
 * The sign-in step is shown again to a person signed in at this server when neither their browser
 * session nor the client's grant holds their sealed Odoo credential: a token without it is refused by
 * the MCP server ("carries no Odoo credentials").
 */
export function credentialMissingCheck(vault: CredentialVault) {
  const { Check } = interactionPolicy;
  return new Check(
    "odoo_credential_missing",
    "the Odoo credentials of the End-User are needed again",
    "login_required",
    async (ctx: KoaContextWithOIDC) => {
      const { session, grant } = ctx.oidc;
      const accountId = session?.accountId;
      if (!session || !accountId || sealedAtSignIn(ctx)) return Check.NO_NEED_TO_PROMPT;
      if (await vault.forSession(session.uid, accountId)) return Check.NO_NEED_TO_PROMPT;
      if (grant?.jti && (await vault.forGrant(grant.jti))) return Check.NO_NEED_TO_PROMPT;
      return Check.REQUEST_PROMPT;
    },
  );
}
