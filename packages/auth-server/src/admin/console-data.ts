/** What the admin console shows, read from storage: clients by kind, people and their grants, live tokens. */

import type { Provider } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import { scopesOf } from "../grants/scopes.js";
import type { AccountStore } from "../provider/accounts.js";
import { CHATGPT_CLIENT_ID } from "../provider/clients.js";
import type { Storage } from "../storage/contract.js";
import type { ClientRow, PersonRow } from "./console-views.js";

export interface ConsoleSources {
  config: AuthConfig;
  provider: Provider;
  storage: Storage;
  accounts: AccountStore;
}

const hostOf = (uri: string) => URL.parse(uri)?.host ?? uri;
export const isMetadataDocumentId = (id: string) => id.startsWith("https://");

export async function gatherConsoleData(deps: ConsoleSources): Promise<{
  clients: ClientRow[];
  people: PersonRow[];
  tokens: { access: number; refresh: number };
}> {
  const { storage } = deps;
  const [grants, clients, accessTokens, refreshTokens] = await Promise.all(
    ["Grant", "Client", "AccessToken", "RefreshToken"].map((model) => storage.list(model)),
  );
  const now = Date.now() / 1000;
  const active = (tokens: typeof grants) =>
    (tokens ?? []).filter((token) => !token.consumed && (token.exp ?? Infinity) > now).length;
  const grantsOf = (clientId: string) => (grants ?? []).filter((grant) => grant.clientId === clientId).length;
  const names = new Map<string, string>();
  const rows: ClientRow[] = [];
  for (const client of clients ?? []) {
    const id = client.id;
    const name = String(client.client_name ?? id);
    names.set(id, name);
    rows.push({
      id,
      name,
      kind: id === CHATGPT_CLIENT_ID ? "preconfigured" : isMetadataDocumentId(id) ? "metadata document" : "registered",
      redirectHosts: [...new Set(((client.redirect_uris as string[] | undefined) ?? []).map(hostOf))],
      grants: grantsOf(id),
    });
  }
  // Clients known only by their grants: metadata-document clients are fetched, not stored.
  for (const clientId of new Set((grants ?? []).map((grant) => grant.clientId as string))) {
    if (names.has(clientId)) continue;
    const client = await deps.provider.Client.find(clientId).catch(() => undefined);
    names.set(clientId, client?.clientName ?? clientId);
    rows.push({
      id: clientId,
      name: names.get(clientId) as string,
      kind: "metadata document",
      redirectHosts: (client?.redirectUris ?? []).map(hostOf),
      grants: grantsOf(clientId),
    });
  }
  if (deps.config.MCP_CLIENT_ID)
    rows.push({
      id: deps.config.MCP_CLIENT_ID,
      name: "odoo-mcp resource server",
      kind: "static",
      redirectHosts: [],
      grants: 0,
    });

  const bySub = new Map<string, PersonRow>();
  for (const grant of grants ?? []) {
    const sub = String(grant.accountId);
    let person = bySub.get(sub);
    if (!person) {
      const account = await deps.accounts.find(sub);
      person = { sub, name: account?.name ?? sub, login: account?.login ?? "", grants: [] };
      bySub.set(sub, person);
    }
    person.grants.push({
      clientName: names.get(String(grant.clientId)) ?? String(grant.clientId),
      scopes: scopesOf(grant),
      grantedAt: grant.iat ? new Date(grant.iat * 1000) : undefined,
    });
  }
  return {
    clients: rows,
    people: [...bySub.values()].sort((a, b) => a.name.localeCompare(b.name)),
    tokens: { access: active(accessTokens), refresh: active(refreshTokens) },
  };
}
