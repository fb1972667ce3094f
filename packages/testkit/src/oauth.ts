/** openid-client set up against the auth server, for the flows the tests drive. */
import * as client from "openid-client";
import { MCP_CLIENT, MCP_RESOURCE } from "./auth.js";
import { type Decision, FormBrowser } from "./browser.js";

export const CHATGPT_REDIRECT = "https://chatgpt.com/connector_platform_oauth_redirect";

export async function discover(issuer: string, clientId: string, auth: client.ClientAuth = client.None()) {
  return client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

export const chatgptClient = (issuer: string, secret: string) =>
  discover(issuer, "chatgpt-odoo-mcp", client.ClientSecretPost(secret));
export const mcpIntrospector = (issuer: string) =>
  discover(issuer, MCP_CLIENT.id, client.ClientSecretBasic(MCP_CLIENT.secret));

export interface CodeFlowOptions extends Decision {
  redirectUri?: string;
  scope?: string;
  resource?: string | null;
  extra?: Record<string, string>;
  browser?: FormBrowser;
}

/** A complete authorization: PKCE S256, the browser's part, then the code exchange. */
export async function codeFlow(config: client.Configuration, options: CodeFlowOptions = {}) {
  const redirectUri = options.redirectUri ?? CHATGPT_REDIRECT;
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const parameters: Record<string, string> = {
    redirect_uri: redirectUri,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    ...(options.scope === undefined
      ? { scope: "odoo:read odoo:write" }
      : options.scope
        ? { scope: options.scope }
        : {}),
    ...(options.resource === null ? {} : { resource: options.resource ?? MCP_RESOURCE }),
    ...options.extra,
  };
  const browser = options.browser ?? new FormBrowser();
  const outcome = await browser.authorize(client.buildAuthorizationUrl(config, parameters), redirectUri, options);
  return { ...outcome, verifier, state, redirectUri, browser };
}

export async function exchange(config: client.Configuration, flow: Awaited<ReturnType<typeof codeFlow>>) {
  return client.authorizationCodeGrant(config, flow.callback, {
    pkceCodeVerifier: flow.verifier,
    expectedState: flow.state,
  });
}

export { client };
