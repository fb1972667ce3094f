import { randomBytes } from "node:crypto";
import { CHATGPT_CLIENT_ID } from "@odoo-mcp/shared";
import { type ClientMetadata, errors, type Provider } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { Storage } from "../storage/contract.js";
import {
  clientSecretMatches,
  hashClientSecret,
  hashStoredClientSecrets,
  isHashedClientSecret,
} from "./client-secrets.js";

export { CHATGPT_CLIENT_ID };

/** Holds the hash of the ChatGPT client's secret (`sha256:…`); before hashing it held the secret itself. */
const CHATGPT_SECRET_SETTING = "chatgpt_client_secret";
/** ChatGPT's per-app callback, `https://chatgpt.com/connector/oauth/{callback_id}`; nothing wider. */
const CHATGPT_APP_CALLBACK = /^https:\/\/chatgpt\.com\/connector\/oauth\/[A-Za-z0-9_-]{1,128}$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Schemes no redirect may use, whatever the kind of client (oidc-provider refuses them too). */
const FORBIDDEN_SCHEMES = new Set(["javascript:", "vbscript:", "data:", "blob:", "file:", "about:"]);

export const newClientSecret = () => randomBytes(32).toString("base64url");

function chatgptClient(config: AuthConfig, secretHash: string): ClientMetadata {
  return {
    client_id: CHATGPT_CLIENT_ID,
    client_secret: secretHash,
    client_name: "ChatGPT",
    redirect_uris: config.CHATGPT_REDIRECT_URIS,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
    scope: "odoo:read odoo:write offline_access openid profile email",
  };
}

export type EnsuredChatgptClient = { created: true; secret: string } | { created: false; secret?: undefined };

/**
 * The preconfigured confidential client lives in storage like a registered one, so that a rotated
 * secret reaches every replica. Its secret is generated on first start, returned that once to be shown,
 * and stored only as a hash; a restart never changes it. A secret stored in plain text by an earlier
 * version is replaced by its hash (it keeps working), and so are registered clients' plain secrets.
 */
export async function ensureChatgptClient(config: AuthConfig, storage: Storage): Promise<EnsuredChatgptClient> {
  await hashStoredClientSecrets(storage);
  let stored = await storage.getSetting(CHATGPT_SECRET_SETTING);
  let created: string | undefined;
  if (!stored) {
    const candidate = newClientSecret();
    const hash = hashClientSecret(candidate);
    stored = await storage.setSettingIfAbsent(CHATGPT_SECRET_SETTING, hash);
    if (stored === hash) created = candidate;
  }
  if (!isHashedClientSecret(stored)) {
    stored = hashClientSecret(stored);
    await storage.setSetting(CHATGPT_SECRET_SETTING, stored);
  }
  await storage.adapter("Client").upsert(CHATGPT_CLIENT_ID, chatgptClient(config, stored), 0);
  return created ? { created: true, secret: created } : { created: false };
}

/** A new secret for chatgpt-odoo-mcp: returned once, to be shown to the operator; only its hash is kept. */
export async function rotateChatgptSecret(config: AuthConfig, storage: Storage): Promise<string> {
  const secret = newClientSecret();
  const hash = hashClientSecret(secret);
  await storage.setSetting(CHATGPT_SECRET_SETTING, hash);
  await storage.adapter("Client").upsert(CHATGPT_CLIENT_ID, chatgptClient(config, hash), 0);
  return secret;
}

/** Whether `secret` is the ChatGPT client's current secret. */
export async function isChatgptSecret(storage: Storage, secret: string): Promise<boolean> {
  return clientSecretMatches(await storage.getSetting(CHATGPT_SECRET_SETTING), secret);
}

/** The MCP server's own client: it may only introspect, so it has no redirect URIs and no grants. */
export function introspectionClient(config: AuthConfig): ClientMetadata[] {
  if (!config.MCP_CLIENT_ID || !config.MCP_CLIENT_SECRET) return [];
  return [
    {
      client_id: config.MCP_CLIENT_ID,
      client_secret: hashClientSecret(config.MCP_CLIENT_SECRET),
      client_name: "odoo-mcp resource server",
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: "client_secret_basic",
    },
  ];
}

function isLoopbackHttp(uri: URL): boolean {
  return uri.protocol === "http:" && LOOPBACK_HOSTS.has(uri.hostname);
}

/** The same URI with the port of a loopback http URI removed (RFC 8252 §7.3), else undefined. */
function withoutLoopbackPort(value: string): string | undefined {
  const uri = URL.parse(value);
  if (!uri || !isLoopbackHttp(uri)) return undefined;
  uri.port = "";
  return uri.href;
}

/** `com.example.app` names the domain `app.example.com` (RFC 8252 §7.1: reverse domain name schemes). */
function schemeDomain(protocol: string): string {
  return protocol.slice(0, -1).split(".").reverse().join(".");
}

/** Why one redirect URI breaks the policy, or undefined when it may be used. */
function redirectProblem(value: string, native: boolean, allowedHosts: readonly string[]): string | undefined {
  const uri = URL.parse(value);
  if (!uri) return `must contain valid URIs: ${value}`;
  if (uri.protocol === "http:") {
    return isLoopbackHttp(uri)
      ? undefined
      : "must use https, or http on a loopback address (localhost, 127.0.0.1, [::1])";
  }
  if (uri.protocol === "https:") {
    return allowedHosts.length > 0 && !allowedHosts.includes(uri.hostname)
      ? `host ${uri.hostname} is not allowed on this server`
      : undefined;
  }
  if (FORBIDDEN_SCHEMES.has(uri.protocol)) return `must not use the ${uri.protocol.slice(0, -1)} scheme`;
  if (!native) return "with a private-use scheme need application_type native";
  const domain = schemeDomain(uri.protocol);
  if (allowedHosts.length > 0 && !allowedHosts.some((host) => domain === host || domain.endsWith(`.${host}`))) {
    return `scheme ${uri.protocol.slice(0, -1)} does not name a host allowed on this server (reverse domain name, RFC 8252 §7.1)`;
  }
  return undefined;
}

/**
 * The one redirect policy, for every kind of client (registered, Client ID Metadata Document, preconfigured,
 * static), checked whenever oidc-provider builds a client (registration, and every load from storage, a
 * metadata document or configuration), for both `redirect_uris` and `post_logout_redirect_uris`:
 * - https anywhere, http only on a loopback address, private-use schemes only for native apps (RFC 8252);
 * - with DCR_ALLOWED_REDIRECT_HOSTS set, every client that describes itself (registered or metadata
 *   document) is held to it: an https host must be listed, and a private-use scheme must be the reverse
 *   domain name of a listed host or of a name under it (`com.example.app` under `example.com`). Loopback
 *   http stays allowed. The operator's own clients (ChatGPT's, whose URIs are CHATGPT_REDIRECT_URIS, and
 *   the MCP server's) are not held to the list.
 */
export function checkRedirectPolicy(
  metadata: ClientMetadata,
  config: Pick<AuthConfig, "DCR_ALLOWED_REDIRECT_HOSTS" | "MCP_CLIENT_ID">,
): void {
  const operatorClient = metadata.client_id === CHATGPT_CLIENT_ID || metadata.client_id === config.MCP_CLIENT_ID;
  const allowedHosts = operatorClient ? [] : config.DCR_ALLOWED_REDIRECT_HOSTS;
  const native = metadata.application_type === "native";
  for (const value of (metadata.redirect_uris as string[] | undefined) ?? []) {
    const problem = redirectProblem(String(value), native, allowedHosts);
    // oidc-provider answers `invalid_redirect_uri` for a description about redirect_uris (RFC 7591 §3.2.2).
    if (problem) throw new errors.InvalidClientMetadata(`redirect_uris ${problem}`);
  }
  for (const value of (metadata.post_logout_redirect_uris as string[] | undefined) ?? []) {
    const problem = redirectProblem(String(value), native, allowedHosts);
    if (problem) throw new errors.InvalidClientMetadata(`post_logout_redirect_uris ${problem}`);
  }
}

/**
 * Redirect URI matching beyond exact equality: ChatGPT's per-app callback pattern for its client, and
 * any port on a registered loopback http URI for every client (native apps pick a free port, RFC 8252).
 */
export function extendRedirectMatching(provider: Provider): void {
  const prototype = provider.Client.prototype as {
    redirectUriAllowed(this: { clientId: string; redirectUris: string[] }, uri: string): boolean;
  };
  const exact = prototype.redirectUriAllowed;
  prototype.redirectUriAllowed = function redirectUriAllowed(uri) {
    if (exact.call(this, uri)) return true;
    if (this.clientId === CHATGPT_CLIENT_ID && CHATGPT_APP_CALLBACK.test(uri)) return true;
    const portless = withoutLoopbackPort(uri);
    return (
      portless !== undefined && this.redirectUris.some((registered) => withoutLoopbackPort(registered) === portless)
    );
  };
}
