/** Ending grants with everything issued under them, and telling the MCP replicas. */
import type { AuthConfig } from "../config.js";
import { CHATGPT_CLIENT_ID, rotateChatgptSecret } from "../provider/clients.js";
import { CREDENTIAL_MODEL } from "../provider/odoo-credentials.js";
import type { RevocationBroadcast } from "../revocation-broadcast.js";
import type { Storage } from "../storage/contract.js";

/** Every model that can hold something issued under a grant. */
const GRANT_MODELS = [
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
  CREDENTIAL_MODEL,
];

export async function revokeGrant(storage: Storage, broadcast: RevocationBroadcast, grantId: string): Promise<void> {
  await Promise.all(GRANT_MODELS.map((model) => storage.adapter(model).revokeByGrantId(grantId)));
  await storage.adapter("Grant").destroy(grantId);
  await broadcast.publish({ type: "grant", grant_id: grantId });
}

/** Which grants to end: those matching every given field, or all of them with `{ all: true }`. */
export type GrantFilter = { all: true } | { grant_id?: string; client_id?: string; sub?: string };

export async function revokeGrants(
  storage: Storage,
  broadcast: RevocationBroadcast,
  filter: GrantFilter,
): Promise<number> {
  const grants = await storage.list("Grant");
  const matching =
    "all" in filter
      ? grants
      : grants.filter(
          (grant) =>
            (!filter.grant_id || grant.id === filter.grant_id) &&
            (!filter.client_id || grant.clientId === filter.client_id) &&
            (!filter.sub || grant.accountId === filter.sub),
        );
  for (const grant of matching) await revokeGrant(storage, broadcast, grant.id);
  return matching.length;
}

/** A new secret for chatgpt-odoo-mcp; the MCP replicas drop what they cached for the client. */
export async function rotateChatgptSecretEverywhere(
  config: AuthConfig,
  storage: Storage,
  broadcast: RevocationBroadcast,
): Promise<string> {
  const secret = await rotateChatgptSecret(config, storage);
  await broadcast.publish({ type: "client", client_id: CHATGPT_CLIENT_ID });
  return secret;
}
