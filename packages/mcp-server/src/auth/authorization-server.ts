/**
 * The authorization server's metadata (RFC 8414), fetched from it and cached: it names the
 * introspection endpoint and the server's ODOO_AUTH_MODE, and the MCP server mirrors it for clients
 * that look on the MCP host.
 */
import { AUTH_METADATA_MAX_AGE_MS, canonicalUrl } from "@odoo-mcp/shared";

export interface AuthorizationServerMetadata {
  issuer: string;
  introspection_endpoint?: string;
  /** How the authorization server expects the MCP server to call Odoo (its ODOO_AUTH_MODE). */
  odoo_auth_mode?: string;
  [key: string]: unknown;
}

export class AuthServerUnavailable extends Error {
  override name = "AuthServerUnavailable";
}

export class AuthorizationServer {
  private cached: { metadata: AuthorizationServerMetadata; fetchedAt: number } | undefined;
  private pending: Promise<AuthorizationServerMetadata> | undefined;

  readonly issuer: string;
  private readonly base: string;

  /**
   * @param issuer the public issuer URL
   * @param base where this server reaches it (an internal URL, or the issuer itself)
   */
  constructor(
    issuer: string,
    base: string,
    private readonly timeoutMs: number,
    private readonly maxAgeMs = AUTH_METADATA_MAX_AGE_MS,
  ) {
    this.issuer = canonicalUrl(issuer);
    this.base = canonicalUrl(base);
  }

  /** Rewrites an endpoint the metadata names under the public issuer to the internal base. */
  internal(endpoint: string): string {
    return endpoint.startsWith(this.issuer) ? `${this.base}${endpoint.slice(this.issuer.length)}` : endpoint;
  }

  /** The last metadata fetched, however old, without asking again (undefined before the first answer). */
  cachedMetadata(): AuthorizationServerMetadata | undefined {
    return this.cached?.metadata;
  }

  /** @param maxAgeMs how old a cached copy may be (shorter while a problem with it should clear soon) */
  async metadata(maxAgeMs = this.maxAgeMs): Promise<AuthorizationServerMetadata> {
    if (this.cached && Date.now() - this.cached.fetchedAt < maxAgeMs) return this.cached.metadata;
    this.pending ??= this.fetchMetadata().finally(() => {
      this.pending = undefined;
    });
    try {
      return await this.pending;
    } catch (error) {
      // A stale copy beats no answer while the authorization server restarts.
      if (this.cached) return this.cached.metadata;
      throw error;
    }
  }

  private async fetchMetadata(): Promise<AuthorizationServerMetadata> {
    const url = `${this.base}/.well-known/oauth-authorization-server`;
    let response: Response;
    try {
      response = await fetch(url, {
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: "application/json" },
      });
    } catch (error) {
      throw new AuthServerUnavailable(`the authorization server did not answer (${(error as Error).message})`);
    }
    if (!response.ok)
      throw new AuthServerUnavailable(`the authorization server answered ${response.status} for its metadata`);
    const metadata = (await response.json()) as AuthorizationServerMetadata;
    if (metadata.issuer !== this.issuer) {
      throw new AuthServerUnavailable(
        `the authorization server's issuer is ${metadata.issuer}, expected ${this.issuer}`,
      );
    }
    this.cached = { metadata, fetchedAt: Date.now() };
    return metadata;
  }
}
