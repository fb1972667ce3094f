import { randomBytes } from "node:crypto";
import { type ClientMetadata, errors, type Provider } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import type { Storage } from "../storage/contract.js";

export const CHATGPT_CLIENT_ID = "chatgpt-odoo-mcp";
const CHATGPT_SECRET_SETTING = "chatgpt_client_secret";
/** ChatGPT's per-app callback, `https://chatgpt.com/connector/oauth/{callback_id}`; nothing wider. */
const CHATGPT_APP_CALLBACK = /^https:\/\/chatgpt\.com\/connector\/oauth\/[A-Za-z0-9_-]{1,128}$/;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export const newClientSecret = () => randomBytes(32).toString("base64url");

function chatgptClient(config: AuthConfig, secret: string): ClientMetadata {
  return {
    client_id: CHATGPT_CLIENT_ID,
    client_secret: secret,
    client_name: "ChatGPT",
    redirect_uris: config.CHATGPT_REDIRECT_URIS,
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
    scope: "odoo:read odoo:write offline_access openid profile email",
  };
}

/**
 * The preconfigured confidential client lives in storage like a registered one, so that a rotated
 * secret reaches every replica. Its secret is generated on first start and never by a restart.
 */
export async function ensureChatgptClient(
  config: AuthConfig,
  storage: Storage,
): Promise<{ secret: string; created: boolean }> {
  let secret = await storage.getSetting(CHATGPT_SECRET_SETTING);
  let created = false;
  if (!secret) {
    const candidate = newClientSecret();
    secret = await storage.setSettingIfAbsent(CHATGPT_SECRET_SETTING, candidate);
    created = secret === candidate;
  }
  await storage.adapter("Client").upsert(CHATGPT_CLIENT_ID, chatgptClient(config, secret), 0);
  return { secret, created };
}

export async function rotateChatgptSecret(config: AuthConfig, storage: Storage): Promise<string> {
  const secret = newClientSecret();
  await storage.setSetting(CHATGPT_SECRET_SETTING, secret);
  await storage.adapter("Client").upsert(CHATGPT_CLIENT_ID, chatgptClient(config, secret), 0);
  return secret;
}

export const chatgptSecret = (storage: Storage) => storage.getSetting(CHATGPT_SECRET_SETTING);

/** The MCP server's own client: it may only introspect, so it has no redirect URIs and no grants. */
export function introspectionClient(config: AuthConfig): ClientMetadata[] {
  if (!config.MCP_CLIENT_ID || !config.MCP_CLIENT_SECRET) return [];
  return [
    {
      client_id: config.MCP_CLIENT_ID,
      client_secret: config.MCP_CLIENT_SECRET,
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

/**
 * Redirect URIs a client may register: https anywhere, http only on loopback, private-use schemes only
 * for native apps (RFC 8252). Dynamically registered clients may further be held to a host allowlist.
 */
export function checkRedirectUris(
  metadata: ClientMetadata,
  allowedHosts: readonly string[],
  registering: boolean,
): void {
  for (const value of (metadata.redirect_uris as string[] | undefined) ?? []) {
    const uri = URL.parse(value);
    if (!uri) throw new errors.InvalidRedirectUri(`redirect_uris must contain valid URIs: ${value}`);
    if (uri.protocol === "http:" && !isLoopbackHttp(uri)) {
      throw new errors.InvalidRedirectUri(
        "redirect_uris must use https, or http on a loopback address (localhost, 127.0.0.1, [::1])",
      );
    }
    if (!["http:", "https:"].includes(uri.protocol) && metadata.application_type !== "native") {
      throw new errors.InvalidRedirectUri("redirect_uris with a private-use scheme need application_type native");
    }
    if (registering && allowedHosts.length > 0 && uri.protocol === "https:" && !allowedHosts.includes(uri.hostname)) {
      throw new errors.InvalidRedirectUri(`redirect_uris host ${uri.hostname} is not allowed on this server`);
    }
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
