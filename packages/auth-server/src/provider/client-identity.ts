/**
 * How a client is named to people, and who stands behind that name. A registered client (RFC 7591) names
 * itself: anyone can register "ChatGPT", so its name is shown as unverified. A metadata-document client's
 * id is the https URL its document was fetched from: that host is a verified origin. The preconfigured
 * ChatGPT client is the operator's own.
 *
 * Re-registrations are one app: every new mcp-remote folder or Inspector profile registers again, with
 * the same name and redirect URIs. The connected-apps page and the admin console show them as one app,
 * and revoking it revokes all of them.
 */
import { CHATGPT_CLIENT_ID } from "@odoo-mcp/shared";

export type Vouching = { by: "operator" } | { by: "origin"; host: string } | { by: "nobody" };

export interface ClientIdentity {
  name: string;
  vouched: Vouching;
  /** Equal for the registrations a person would call the same app. */
  appKey: string;
}

/** What is known of a client: oidc-provider's client, or the fields of a stored one. */
export interface ClientFacts {
  clientId: string;
  clientName?: string | undefined;
  redirectUris?: readonly string[] | undefined;
}

export const isMetadataDocumentId = (id: string) => id.startsWith("https://");

export function clientIdentity({ clientId, clientName, redirectUris = [] }: ClientFacts): ClientIdentity {
  const name = clientName || clientId;
  if (clientId === CHATGPT_CLIENT_ID) return { name, vouched: { by: "operator" }, appKey: `id:${clientId}` };
  if (isMetadataDocumentId(clientId)) {
    const host = URL.parse(clientId)?.host ?? clientId;
    return { name, vouched: { by: "origin", host }, appKey: `id:${clientId}` };
  }
  // Only self-named clients are grouped: a registration can never join the operator's or a verified one.
  const redirects = [...new Set(redirectUris)].sort();
  return { name, vouched: { by: "nobody" }, appKey: `registered:${JSON.stringify([name, redirects])}` };
}

/** Items grouped by the app their client is, in the order each app first appears. */
export function groupByApp<T>(
  items: readonly T[],
  identityOf: (item: T) => ClientIdentity,
): { identity: ClientIdentity; items: T[] }[] {
  const apps = new Map<string, { identity: ClientIdentity; items: T[] }>();
  for (const item of items) {
    const identity = identityOf(item);
    const app = apps.get(identity.appKey);
    if (app) app.items.push(item);
    else apps.set(identity.appKey, { identity, items: [item] });
  }
  return [...apps.values()];
}
