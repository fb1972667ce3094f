/**
 * The one way grants end, for /account, /admin, the operator endpoints and oidc-provider itself
 * (revocation endpoint, refresh-token replay): oidc-provider's models remove what was issued under the
 * grant and the grant, and its `grant.revoked` event is the single place the MCP replicas are told and
 * sealed Odoo credentials are forgotten. `revoke` returns once the notice has been handed to the bus.
 * Grants also shrink here (`withdrawScopes`: /account's "read only", a renewed consent giving less) and
 * grow (`extendScopes`: /account's "Let it also change data").
 */
import type { Logger } from "@odoo-mcp/shared";
import type { AdapterPayload, KoaContextWithOIDC, Provider } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import { CHATGPT_CLIENT_ID, rotateChatgptSecret } from "../provider/clients.js";
import type { CredentialVault } from "../provider/odoo-credentials.js";
import type { IndexedStorage } from "../storage/contract.js";
import { broadcastProviderRevocations, type RevocationBroadcast } from "./broadcast.js";
import { allowScopes } from "./scopes.js";

/** Which grants to end: those matching every given field, or all of them with `{ all: true }`. */
export type GrantFilter = { all: true } | { grant_id?: string; client_id?: string; sub?: string };

export type StoredGrant = AdapterPayload & { id: string };

/** oidc-provider's models that hold something issued under a grant. */
const ISSUED_UNDER_GRANT = [
  "AccessToken",
  "RefreshToken",
  "AuthorizationCode",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
] as const;

/**
 * Ends a grant and everything issued under it, and emits oidc-provider's `grant.revoked` (where the MCP
 * replicas are told and sealed credentials forgotten). `ctx`: the request that ended it, if any.
 */
export async function endGrant(provider: Provider, grantId: string, ctx?: KoaContextWithOIDC): Promise<void> {
  await Promise.all(ISSUED_UNDER_GRANT.map((model) => provider[model].revokeByGrantId(grantId)));
  const grant = await provider.Grant.find(grantId);
  if (grant) await grant.destroy();
  provider.emit("grant.revoked", ctx, grantId);
}

export interface GrantsDependencies {
  config: AuthConfig;
  provider: Provider;
  storage: IndexedStorage;
  broadcast: RevocationBroadcast;
  logger: Logger;
  /** ODOO_AUTH_MODE=user: the sealed credentials that go with their grant. */
  vault?: CredentialVault | undefined;
}

export function createGrants(deps: GrantsDependencies) {
  const { provider, storage, broadcast } = deps;
  const told = broadcastProviderRevocations(provider, broadcast);
  if (deps.vault) forgetCredentialsWithGrants(provider, deps.vault, deps.logger, told.track);

  /** Ends a grant and everything issued under it; the replicas are told through oidc-provider's event. */
  async function revoke(grantId: string): Promise<void> {
    await endGrant(provider, grantId);
    await told.settled();
  }

  /**
   * Takes scopes back from a grant and keeps the rest: they are rejected on the grant, so every token
   * issued under it from now on (a refresh included) lacks them, and its access tokens end at once (the
   * replicas are told, and drop what they cached) since they were issued with them. Refresh tokens stay:
   * the client refreshes and goes on with what is left. False when the grant is gone.
   */
  async function withdrawScopes(grantId: string, scopes: readonly string[]): Promise<boolean> {
    const grant = await provider.Grant.find(grantId);
    if (!grant) return false;
    for (const resource of Object.keys(grant.resources ?? {})) grant.rejectResourceScope(resource, scopes.join(" "));
    grant.rejectOIDCScope(scopes.join(" "));
    await grant.save();
    await provider.AccessToken.revokeByGrantId(grantId);
    await broadcast.publish({ type: "grant", grant_id: grantId });
    return true;
  }

  /**
   * Adds scopes to a grant, by the person's decision (/account's "Let it also change data"): tokens issued
   * from now on may carry them, the app's next refresh included (refresh-scope.ts); what it holds now is
   * unchanged. False when the grant is gone.
   */
  async function extendScopes(grantId: string, scopes: readonly string[]): Promise<boolean> {
    const grant = await provider.Grant.find(grantId);
    if (!grant) return false;
    allowScopes(grant, Object.keys(grant.resources ?? {}), scopes);
    await grant.save();
    return true;
  }

  /** The stored grants a filter names, found through the storage's indexes. */
  async function matching(filter: GrantFilter): Promise<StoredGrant[]> {
    if ("all" in filter) return storage.list("Grant");
    let candidates: StoredGrant[];
    if (filter.grant_id) {
      const grant = await storage.adapter("Grant").find(filter.grant_id);
      candidates = grant ? [{ ...grant, id: filter.grant_id }] : [];
    } else if (filter.client_id) candidates = await storage.grantsOfClient(filter.client_id);
    else if (filter.sub) candidates = await storage.grantsOfAccount(filter.sub);
    else candidates = [];
    return candidates.filter(
      (grant) =>
        (!filter.client_id || grant.clientId === filter.client_id) && (!filter.sub || grant.accountId === filter.sub),
    );
  }

  /** Ends every grant the filter names; returns how many. */
  async function revokeMatching(filter: GrantFilter): Promise<number> {
    const grants = await matching(filter);
    for (const grant of grants) await revoke(grant.id);
    return grants.length;
  }

  return {
    revoke,
    revokeMatching,
    withdrawScopes,
    extendScopes,
    /** A person's grants (the connected apps of /account). */
    ofAccount: (accountId: string) => storage.grantsOfAccount(accountId),
    /**
     * Ends a client's grants, tells the replicas to drop what they cached for the client, and unregisters
     * a registered client (it would otherwise just ask again).
     */
    async revokeClient(clientId: string, unregister: boolean): Promise<number> {
      const count = await revokeMatching({ client_id: clientId });
      await broadcast.publish({ type: "client", client_id: clientId });
      if (unregister) await storage.adapter("Client").destroy(clientId);
      return count;
    },
    /** A new secret for chatgpt-odoo-mcp; the MCP replicas drop what they cached for the client. */
    async rotateChatgptSecret(): Promise<string> {
      const secret = await rotateChatgptSecret(deps.config, storage);
      await broadcast.publish({ type: "client", client_id: CHATGPT_CLIENT_ID });
      return secret;
    },
  };
}

export type Grants = ReturnType<typeof createGrants>;

/**
 * Sealed credentials go when their grant goes (revocation, refresh-token replay, or a grant oidc-provider
 * ends at sign-out because nothing was issued under it yet). Signing out alone keeps them: it ends the
 * browser session, not the apps' grants, whose tokens outlive it by design (provider/sign-out.ts).
 */
function forgetCredentialsWithGrants(
  provider: Provider,
  vault: CredentialVault,
  logger: Logger,
  track: (work: Promise<unknown>) => void,
): void {
  // biome-ignore lint/suspicious/noExplicitAny: event listeners receive event-specific arguments
  const on = provider.on.bind(provider) as (event: string, listener: (...args: any[]) => void) => void;
  const failed = (error: Error) => logger.error({ event: "odoo_credential_cleanup_failed", err: error });
  on("grant.revoked", (_ctx: unknown, grantId: string) => track(vault.removeForGrant(grantId).catch(failed)));
}
