/**
 * The authorization server's metadata (RFC 8414), fetched from it and cached: it names the
 * introspection endpoint, and the MCP server mirrors it for clients that look on the MCP host.
 */
export interface AuthorizationServerMetadata {
  issuer: string;
  introspection_endpoint?: string;
  [key: string]: unknown;
}

export class AuthServerUnavailable extends Error {
  override name = "AuthServerUnavailable";
}

export class AuthorizationServer {
  private cached: { metadata: AuthorizationServerMetadata; fetchedAt: number } | undefined;
  private pending: Promise<AuthorizationServerMetadata> | undefined;

  /**
   * @param issuer the public issuer URL
   * @param base where this server reaches it (an internal URL, or the issuer itself)
   */
  constructor(
    readonly issuer: string,
    private readonly base: string,
    private readonly timeoutMs: number,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  /** Rewrites an endpoint the metadata names under the public issuer to the internal base. */
  internal(endpoint: string): string {
    const issuer = this.issuer.replace(/\/$/, "");
    return endpoint.startsWith(issuer) ? `${this.base.replace(/\/$/, "")}${endpoint.slice(issuer.length)}` : endpoint;
  }

  async metadata(): Promise<AuthorizationServerMetadata> {
    if (this.cached && Date.now() - this.cached.fetchedAt < this.maxAgeMs) return this.cached.metadata;
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
    const url = `${this.base.replace(/\/$/, "")}/.well-known/oauth-authorization-server`;
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
