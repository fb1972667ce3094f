/** oidc-provider's configuration, assembled from the concerns in this folder. */
import type { Logger } from "@odoo-mcp/shared";
import {
  ALL_SCOPES,
  BROWSER_SESSION_SECONDS,
  CONSENT_INTERACTION_SECONDS,
  CREDENTIAL_CLAIM,
  GRANT_LIFETIME_SECONDS,
  SIGN_IN_INTERACTION_SECONDS,
} from "@odoo-mcp/shared";
import { type Configuration, errors, Provider } from "oidc-provider";
import type { AuthConfig } from "../config.js";
import { interactionPolicyOf } from "../consent/policy.js";
import { SCOPE_DEFAULTED } from "../http/oauth-compat.js";
import type { Storage } from "../storage/contract.js";
import { errorPage, providerProblem } from "../web/error-page.js";
import { newNonce, setPageHeaders } from "../web/headers.js";
import { stringsFor } from "../web/i18n.js";
import { type AccountStore, findAccount } from "./accounts.js";
import { useHashedClientSecrets, withHashedClientSecrets } from "./client-secrets.js";
import { checkRedirectPolicy, extendRedirectMatching, introspectionClient } from "./clients.js";
import { logProviderEvents } from "./events.js";
import type { Keys } from "./keys.js";
import { withAllowedLocalHosts } from "./metadata-documents.js";
import { type CredentialVault, credentialForGrant } from "./odoo-credentials.js";
import { createRefreshRotations, withRefreshReuseGrace } from "./refresh-grace.js";
import { refreshWithGrantScope } from "./refresh-scope.js";
import { admitRegistration, type RegistrationPolicy, retainRegisteredClients } from "./registered-clients.js";
import type { RememberedGrants } from "./remembered-grants.js";
import { resourceIndicators } from "./resources.js";
import { confirmSignOutWithoutSession, endWithSignOut, signOutPages } from "./sign-out.js";
import { createWriteRights } from "./write-rights.js";

export const OIDC_SCOPES = ["openid", "offline_access", "profile", "email"];

export interface ProviderDependencies {
  config: AuthConfig;
  storage: Storage;
  keys: Keys;
  accounts: AccountStore;
  logger: Logger;
  remembered: RememberedGrants;
  /** Set in ODOO_AUTH_MODE=user: sealed Odoo credentials travel with the grant's tokens. */
  vault?: CredentialVault;
  /** Replaces `fetch` for Client ID Metadata Documents (tests serve them from loopback). */
  metadataDocumentFetch?: typeof fetch;
  /** Dynamic registration's per-address limit, cap and expiry of unused clients. */
  registration: RegistrationPolicy;
}

export function createProvider(dependencies: ProviderDependencies): Provider {
  const { config, storage, keys, accounts, remembered, vault, logger, metadataDocumentFetch, registration } =
    dependencies;
  const retention = retainRegisteredClients(storage, registration);
  const writeRights = createWriteRights(config, accounts, logger);
  const documentFetch = withAllowedLocalHosts(config.CIMD_ALLOWED_LOCAL_HOSTS, metadataDocumentFetch);
  // One rotation per refresh token; a repeat within the grace period gets its answer (refresh-grace.ts).
  const rotations = createRefreshRotations(storage, config.REFRESH_TOKEN_REUSE_GRACE, logger);
  const configuration: Configuration = {
    adapter: (model: string) =>
      model === "Client"
        ? withHashedClientSecrets(retention.clientAdapter)
        : model === "RefreshToken"
          ? retention.touching(withRefreshReuseGrace(storage.adapter(model), config.REFRESH_TOKEN_REUSE_GRACE))
          : model === "AccessToken"
            ? retention.touching(storage.adapter(model))
            : storage.adapter(model),
    clients: introspectionClient(config),
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    // Browser-based MCP clients (MCP Inspector) call the token and registration endpoints cross-origin;
    // those endpoints authenticate with PKCE or client credentials, never with cookies.
    clientBasedCORS: () => true,
    cookies: {
      keys: keys.cookieKeys,
      long: { signed: true, httpOnly: true, sameSite: "lax" },
      short: { signed: true, httpOnly: true, sameSite: "lax" },
    },
    jwks: keys.jwks,
    scopes: [...OIDC_SCOPES, ...ALL_SCOPES],
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], email: ["email"] },
    findAccount: findAccount(accounts),
    extraTokenClaims: async (_ctx, token) => {
      const account = "accountId" in token && token.accountId ? await accounts.find(token.accountId) : undefined;
      if (!account) return undefined;
      const grantId = "grantId" in token ? token.grantId : undefined;
      const sealed = vault && grantId ? await vault.forGrant(grantId) : undefined;
      return {
        odoo_uid: account.uid,
        // Whether the person's Odoo rights let them hold odoo:write: a token without it can then get it by
        // a new consent (an MCP server may answer 403 insufficient_scope); otherwise only Odoo can change it.
        odoo_can_write: account.canWrite,
        odoo_login: account.login,
        username: account.login,
        ...(grantId ? { grant_id: grantId } : {}),
        ...(sealed ? { [CREDENTIAL_CLAIM]: sealed } : {}),
      };
    },
    extraParams: [SCOPE_DEFAULTED],
    pkce: { required: () => true },
    responseTypes: ["code"],
    routes: {
      authorization: "/oauth/authorize",
      token: "/oauth/token",
      registration: "/oauth/register",
      introspection: "/oauth/introspect",
      revocation: "/oauth/revoke",
      jwks: "/oauth/jwks",
      userinfo: "/oauth/userinfo",
      end_session: "/oauth/logout",
      pushed_authorization_request: "/oauth/par",
    },
    ttl: {
      AccessToken: config.ACCESS_TOKEN_TTL,
      AuthorizationCode: config.AUTHORIZATION_CODE_TTL,
      // Sliding: every rotation starts a full lifetime again, for public clients too.
      RefreshToken: config.REFRESH_TOKEN_TTL,
      IdToken: 3600,
      // A request nobody signs in to is forgotten in minutes: anyone can make the server store one.
      Interaction: (_ctx, interaction) =>
        interaction.prompt.name === "login" ? SIGN_IN_INTERACTION_SECONDS : CONSENT_INTERACTION_SECONDS,
      Session: BROWSER_SESSION_SECONDS,
      Grant: GRANT_LIFETIME_SECONDS,
    },
    // Refresh tokens for every client allowed the grant: oidc-provider otherwise wants offline_access,
    // which it drops unless prompt=consent, and ChatGPT sends neither reliably.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: refreshWithGrantScope(rotations.rotateRefreshToken),
    // Tokens outlive the browser session that created them: ChatGPT keeps working after the tab closes.
    expiresWithSession: async () => false,
    loadExistingGrant: async (ctx) => {
      const grant = await remembered.load(ctx);
      if (vault) await credentialForGrant(vault, ctx, grant);
      return grant;
    },
    interactions: {
      policy: interactionPolicyOf(accounts, vault),
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    extraClientMetadata: {
      // software_id/software_version are RFC 7591 fields oidc-provider does not know; listing them also
      // gives a hook that sees every client's metadata (registered, metadata document, preconfigured,
      // static; at registration and at every load), where the redirect policy is checked.
      properties: ["software_id", "software_version"],
      validator: (_ctx, key, _value, metadata) => {
        if (key === "software_id") checkRedirectPolicy(metadata, config);
      },
    },
    features: {
      devInteractions: { enabled: false },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client) => {
          if (client.clientId !== config.MCP_CLIENT_ID) {
            throw new errors.UnauthorizedClient("only the MCP resource server may introspect tokens");
          }
          return true;
        },
      },
      revocation: { enabled: true },
      registration: {
        enabled: true,
        initialAccessToken: false,
        // Called inside the registration route before the client exists: the limit and the cap apply
        // to every path the router maps there.
        issueRegistrationAccessToken: admitRegistration(registration, storage),
      },
      registrationManagement: { enabled: false },
      resourceIndicators: resourceIndicators(config, ALL_SCOPES.join(" "), writeRights),
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...signOutPages(accounts) },
      clientIdMetadataDocument: {
        enabled: config.CIMD_ENABLED,
        ack: "draft-02",
      },
    },
    // Extra discovery metadata: the MCP server refuses to start when its ODOO_AUTH_MODE differs.
    discovery: { odoo_auth_mode: config.ODOO_AUTH_MODE },
    ...(documentFetch ? { fetch: documentFetch } : {}),
    renderError: async (ctx, out) => {
      const nonce = newNonce();
      setPageHeaders(ctx, nonce);
      ctx.type = "html";
      ctx.body = errorPage(stringsFor(ctx.get("accept-language")), nonce, providerProblem(ctx, out));
    },
  };

  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.TRUST_PROXY;
  extendRedirectMatching(provider);
  useHashedClientSecrets(provider);
  confirmSignOutWithoutSession(provider, accounts);
  endWithSignOut(provider, storage, vault);
  provider.use(rotations.middleware);
  if (writeRights.enabled)
    provider.use(async (ctx, next) => {
      await next();
      if (ctx.oidc?.route === "introspection" && ctx.body && typeof ctx.body === "object")
        ctx.body = await writeRights.introspected(ctx.body as Record<string, unknown>);
    });
  logProviderEvents(provider, logger);
  return provider;
}
