import { GRANT_LIFETIME_SECONDS } from "@odoo-mcp/shared";
import type { AdapterPayload, KoaContextWithOIDC } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

const REMEMBER_SECONDS = GRANT_LIFETIME_SECONDS;

/**
 * Consent is remembered per person and client, across browser sessions: a person who already allowed
 * a client the same scopes is not asked again. The grant itself still decides what is covered, and a
 * revoked grant (admin, refresh-token replay) is gone, so consent is asked afresh.
 */
export function createRememberedGrants(storage: Storage) {
  const adapter = storage.adapter("RememberedGrant");
  const key = (accountId: string, clientId: string) => `${accountId} ${clientId}`;
  return {
    async remember(accountId: string, clientId: string, grantId: string): Promise<void> {
      await adapter.upsert(key(accountId, clientId), { grantId } as AdapterPayload, REMEMBER_SECONDS);
    },
    /** oidc-provider's `loadExistingGrant`. */
    load: async (ctx: KoaContextWithOIDC) => {
      const clientId = ctx.oidc.client?.clientId as string;
      const accountId = ctx.oidc.session?.accountId;
      const grantId =
        ctx.oidc.result?.consent?.grantId ??
        ctx.oidc.session?.grantIdFor(clientId) ??
        (accountId ? (await adapter.find(key(accountId, clientId)))?.grantId : undefined);
      return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
    },
  };
}

export type RememberedGrants = ReturnType<typeof createRememberedGrants>;
