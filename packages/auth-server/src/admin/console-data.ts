/**
 * What the admin console shows, read from storage: clients by kind, people and their grants, live tokens.
 * Re-registrations of one client are one app (provider/client-identity.ts), listed by name.
 */

import type { Provider } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import { scopesOf } from "../grants/scopes.js";
import type { AccountStore } from "../provider/accounts.js";
import { type ClientIdentity, clientIdentity, groupByApp, isMetadataDocumentId } from "../provider/client-identity.js";
import { CHATGPT_CLIENT_ID } from "../provider/clients.js";
import type { Storage, StoredPayload } from "../storage/contract.js";
import type { ClientRow, PersonRow } from "./console-views.js";

export interface ConsoleSources {
  config: AuthConfig;
  provider: Provider;
  storage: Storage;
  accounts: AccountStore;
}

const hostOf = (uri: string) => URL.parse(uri)?.host ?? uri;
const dateOf = (seconds: number) => (seconds > 0 ? new Date(seconds * 1000) : undefined);

/** One client as stored or fetched, before re-registrations are put together. */
interface KnownClient {
  id: string;
  identity: ClientIdentity;
  kind: ClientRow["kind"];
  redirectUris: string[];
}

export async function gatherConsoleData(deps: ConsoleSources): Promise<{
  clients: ClientRow[];
  people: PersonRow[];
  tokens: { access: number; refresh: number };
}> {
  const { storage } = deps;
  const [grants = [], stored = [], accessTokens = [], refreshTokens = []] = await Promise.all(
    ["Grant", "Client", "AccessToken", "RefreshToken"].map((model) => storage.list(model)),
  );
  const now = Date.now() / 1000;
  const active = (tokens: StoredPayload[]) =>
    tokens.filter((token) => !token.consumed && (token.exp ?? Infinity) > now).length;

  const known = new Map<string, KnownClient>();
  for (const client of stored) {
    const redirectUris = (client.redirect_uris as string[] | undefined) ?? [];
    const facts = { clientId: client.id, clientName: client.client_name as string | undefined, redirectUris };
    const kind =
      client.id === CHATGPT_CLIENT_ID
        ? "preconfigured"
        : isMetadataDocumentId(client.id)
          ? "metadata document"
          : "registered";
    known.set(client.id, { id: client.id, identity: clientIdentity(facts), kind, redirectUris });
  }
  // Clients known only by their grants: metadata-document clients are fetched, not stored.
  for (const clientId of new Set(grants.map((grant) => String(grant.clientId)))) {
    if (known.has(clientId)) continue;
    const client = await deps.provider.Client.find(clientId).catch(() => undefined);
    const redirectUris = [...(client?.redirectUris ?? [])];
    const identity = clientIdentity({ clientId, clientName: client?.clientName, redirectUris });
    known.set(clientId, { id: clientId, identity, kind: "metadata document", redirectUris });
  }
  if (deps.config.MCP_CLIENT_ID) {
    const id = deps.config.MCP_CLIENT_ID;
    const identity = { name: "odoo-mcp resource server", vouched: { by: "operator" }, appKey: `id:${id}` } as const;
    known.set(id, { id, identity, kind: "static", redirectUris: [] });
  }

  /** When each client last got a token: the newest access or refresh token issued to it. */
  const lastIssued = new Map<string, number>();
  for (const token of [...accessTokens, ...refreshTokens]) {
    const clientId = String(token.clientId);
    lastIssued.set(clientId, Math.max(lastIssued.get(clientId) ?? 0, token.iat ?? 0));
  }
  // Most recently used registration first: the one whose id the row shows.
  const byLastUse = [...known.values()].sort((a, b) => (lastIssued.get(b.id) ?? 0) - (lastIssued.get(a.id) ?? 0));
  const clients = groupByApp(byLastUse, (client) => client.identity).map(({ identity, items }) => {
    const ids = items.map((client) => client.id);
    return {
      ids,
      identity,
      kind: (items[0] as KnownClient).kind,
      redirectHosts: [...new Set(items.flatMap((client) => client.redirectUris.map(hostOf)))],
      grants: grants.filter((grant) => ids.includes(String(grant.clientId))).length,
      lastUsedAt: dateOf(Math.max(0, ...ids.map((id) => lastIssued.get(id) ?? 0))),
    };
  });
  clients.sort(
    (a, b) =>
      a.identity.name.localeCompare(b.identity.name) || (b.lastUsedAt?.getTime() ?? 0) - (a.lastUsedAt?.getTime() ?? 0),
  );

  const bySub = new Map<string, { person: PersonRow; grants: StoredPayload[] }>();
  for (const grant of grants) {
    const sub = String(grant.accountId);
    let entry = bySub.get(sub);
    if (!entry) {
      const account = await deps.accounts.find(sub);
      entry = { person: { sub, name: account?.name ?? sub, login: account?.login ?? "", apps: [] }, grants: [] };
      bySub.set(sub, entry);
    }
    entry.grants.push(grant);
  }
  const identityOf = (grant: StoredPayload) =>
    known.get(String(grant.clientId))?.identity ?? clientIdentity({ clientId: String(grant.clientId) });
  for (const { person, grants: theirs } of bySub.values()) {
    person.apps = groupByApp(theirs, identityOf).map(({ identity, items }) => ({
      identity,
      registrations: new Set(items.map((grant) => grant.clientId)).size,
      scopes: [...new Set(items.flatMap(scopesOf))],
      grantedAt: dateOf(Math.max(0, ...items.map((grant) => grant.iat ?? 0))),
    }));
    person.apps.sort((a, b) => a.identity.name.localeCompare(b.identity.name));
  }
  return {
    clients,
    people: [...bySub.values()].map(({ person }) => person).sort((a, b) => a.name.localeCompare(b.name)),
    tokens: { access: active(accessTokens), refresh: active(refreshTokens) },
  };
}
