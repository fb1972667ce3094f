/**
 * An MCP client application's OAuth state, as a desktop app keeps it, for the SDK clients' `authProvider`:
 * it registers itself (or is given a client), keeps tokens and the PKCE verifier, and records each
 * authorization URL it is sent to instead of opening a browser; the test plays the person there.
 */
import type { OAuthClientProvider, OAuthDiscoveryState } from "@modelcontextprotocol/sdk/client/auth.js";
import type {
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from "@modelcontextprotocol/sdk/shared/auth.js";

export class OAuthApp implements OAuthClientProvider {
  client?: OAuthClientInformationMixed;
  saved?: OAuthTokens;
  verifier = "";
  discovery?: OAuthDiscoveryState;
  /** Where the app was sent to authorize, oldest first. */
  authorizationUrls: URL[] = [];
  /** Tokens saved over earlier ones: refreshes and new authorizations. */
  refreshes = 0;

  constructor(
    readonly callback: string,
    private readonly options: { name?: string; keepRefreshToken?: boolean } = {},
  ) {}

  get redirectUrl() {
    return this.callback;
  }
  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: this.options.name ?? "E2E MCP Client",
      redirect_uris: [this.callback],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.client = info;
  }
  /** The saved tokens; without their refresh token when the app keeps none (`keepRefreshToken: false`). */
  tokens() {
    if (!this.saved || this.options.keepRefreshToken !== false) return this.saved;
    const { refresh_token: _dropped, ...rest } = this.saved;
    return rest;
  }
  saveTokens(tokens: OAuthTokens) {
    if (this.saved) this.refreshes++;
    this.saved = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrls.push(url);
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier;
  }
  saveDiscoveryState(state: OAuthDiscoveryState) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
}
