/**
 * Bearer token checks by RFC 7662 introspection, authenticated as the MCP server's own client, with a
 * bounded cache keyed by the token's SHA-256 (the token itself is never kept): positive answers at most
 * `ttl` and never past the token's `exp`, negative answers a few seconds. One introspection per token at a
 * time: concurrent checks of a token not in the cache share the one in flight (its answer, or its failure).
 */
import { createHash } from "node:crypto";
import { canonicalUrl, effectiveScopes, type IntrospectionResponse, isActive, SCOPES } from "@odoo-mcp/shared";
import { LRUCache } from "lru-cache";
import type { Counter } from "prom-client";
import type { Caller } from "../tools/index.js";
import { type AuthorizationServer, AuthServerUnavailable } from "./authorization-server.js";
import type { RevocationSubscriber } from "./revocation-listener.js";

export type Verdict =
  | { valid: true; caller: Caller; exp: number | undefined; grantId?: string | undefined }
  | { valid: false; reason: string };

export interface TokenVerifierOptions {
  authorizationServer: AuthorizationServer;
  clientId: string;
  clientSecret: string;
  /** The canonical resource URL tokens must be issued for (their `aud`). */
  resource: string;
  timeoutMs: number;
  cacheTtlSeconds: number;
  negativeTtlSeconds: number;
  cacheMax: number;
  /** Counts checks by outcome (cache_hit, active, inactive, unavailable). */
  tokenChecks?: Counter<"outcome">;
  /**
   * Service mode without ODOO_SERVICE_WRITES: the server changes nothing, so `odoo:write` is taken out of
   * every token's scopes here too, whatever the authorization server granted.
   */
  readOnly?: boolean;
}

/** What a caller is told when a write tool cannot be theirs, by the reason. */
export const WRITE_REFUSALS = {
  odoo:
    "your Odoo user may not change data: this connection is read-only. An Odoo administrator can give you the " +
    "rights; then connect again and allow changes.",
  server:
    "this server changes nothing in anyone's name: it reads Odoo with one service account (ODOO_AUTH_MODE=service " +
    "without ODOO_SERVICE_WRITES). Make the change in Odoo itself, or ask the operator for user mode, where changes " +
    "are made as you.",
} as const;

export class TokenVerifier implements RevocationSubscriber {
  private readonly cache: LRUCache<string, Verdict> | undefined;
  /** Cache keys by grant and by client, for revocation notices; kept in step with the cache. */
  private readonly byGrant = new Map<string, Set<string>>();
  private readonly byClient = new Map<string, Set<string>>();
  private readonly authorization: string;
  /** Introspections in flight, by cache key; each entry leaves when it settles. */
  private readonly inFlight = new Map<string, Promise<Verdict>>();
  /**
   * Bumped by every revocation notice: an introspection started before one neither caches its answer nor
   * is shared with checks arriving after it (it may predate the revocation).
   */
  private epoch = 0;

  constructor(private readonly options: TokenVerifierOptions) {
    this.cache =
      options.cacheMax > 0 && options.cacheTtlSeconds > 0
        ? new LRUCache({ max: options.cacheMax, dispose: (verdict, key) => this.unindex(key, verdict) })
        : undefined;
    // RFC 6749 §2.3.1: form-encode id and secret before Basic.
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
    this.authorization = `Basic ${Buffer.from(`${encode(options.clientId)}:${encode(options.clientSecret)}`).toString("base64")}`;
  }

  /** Throws AuthServerUnavailable when the answer cannot be known (never a 401 for our own outage). */
  async verify(token: string): Promise<Verdict> {
    const key = createHash("sha256").update(token).digest("base64url");
    const cached = this.cache?.get(key);
    const { tokenChecks } = this.options;
    if (cached && (!cached.valid || cached.exp === undefined || cached.exp > Date.now() / 1000)) {
      tokenChecks?.inc({ outcome: "cache_hit" });
      return cached;
    }
    let flight = this.inFlight.get(key);
    const shared = flight !== undefined;
    if (!flight) {
      const started = this.introspectAndCache(token, key);
      const settled = () => {
        if (this.inFlight.get(key) === started) this.inFlight.delete(key);
      };
      started.then(settled, settled);
      this.inFlight.set(key, started);
      flight = started;
    }
    let verdict: Verdict;
    try {
      verdict = await flight;
    } catch (error) {
      tokenChecks?.inc({ outcome: "unavailable" });
      throw error;
    }
    // A check answered by another's introspection cost none: it counts as a hit.
    tokenChecks?.inc({ outcome: shared ? "cache_hit" : verdict.valid ? "active" : "inactive" });
    return verdict;
  }

  private async introspectAndCache(token: string, key: string): Promise<Verdict> {
    const epoch = this.epoch;
    const verdict = this.judge(await this.introspect(token));
    if (this.cache && epoch === this.epoch) {
      const now = Date.now() / 1000;
      const ttl = verdict.valid
        ? Math.min(this.options.cacheTtlSeconds, (verdict.exp ?? now + this.options.cacheTtlSeconds) - now)
        : this.options.negativeTtlSeconds;
      if (ttl > 0) {
        this.cache.set(key, verdict, { ttl: Math.floor(ttl * 1000) });
        this.index(key, verdict);
      }
    }
    return verdict;
  }

  /** Introspections already under way may predate a revocation: later checks start their own. */
  private forgetInFlight(): void {
    this.epoch++;
    this.inFlight.clear();
  }

  /** Drops the cached answer for a token, by the SHA-256 (base64url) of its value. */
  forgetToken(tokenSha256: string): void {
    this.forgetInFlight();
    this.cache?.delete(tokenSha256);
  }

  forgetGrant(grantId: string): void {
    this.forgetInFlight();
    for (const key of [...(this.byGrant.get(grantId) ?? [])]) this.cache?.delete(key);
  }

  forgetClient(clientId: string): void {
    this.forgetInFlight();
    for (const key of [...(this.byClient.get(clientId) ?? [])]) this.cache?.delete(key);
  }

  /** Everything: for when revocation notices may have been missed (the channel was down). */
  forgetAll(): void {
    this.forgetInFlight();
    this.cache?.clear();
  }

  private index(key: string, verdict: Verdict): void {
    if (!verdict.valid) return;
    for (const [map, value] of [
      [this.byGrant, verdict.grantId],
      [this.byClient, verdict.caller.clientId],
    ] as const) {
      if (!value) continue;
      const keys = map.get(value) ?? new Set<string>();
      keys.add(key);
      map.set(value, keys);
    }
  }

  private unindex(key: string, verdict: Verdict): void {
    if (!verdict.valid) return;
    for (const [map, value] of [
      [this.byGrant, verdict.grantId],
      [this.byClient, verdict.caller.clientId],
    ] as const) {
      const keys = value ? map.get(value) : undefined;
      keys?.delete(key);
      if (value && keys?.size === 0) map.delete(value);
    }
  }

  private judge(response: IntrospectionResponse): Verdict {
    if (!isActive(response)) return { valid: false, reason: "The access token is invalid, expired or revoked." };
    const audiences = (Array.isArray(response.aud) ? response.aud : [response.aud])
      .filter(Boolean)
      .map((aud) => canonicalUrl(String(aud)));
    if (!audiences.includes(canonicalUrl(this.options.resource))) {
      return { valid: false, reason: "The access token was not issued for this MCP server (wrong audience)." };
    }
    if (response.exp !== undefined && response.exp <= Date.now() / 1000)
      return { valid: false, reason: "The access token has expired." };
    return {
      valid: true,
      caller: {
        sub: response.sub,
        ...((response.username ?? response.odoo_login) ? { login: response.username ?? response.odoo_login } : {}),
        clientId: response.client_id,
        scopes: this.scopesOf(response.scope),
        ...(this.options.readOnly
          ? { writeRefusal: WRITE_REFUSALS.server }
          : response.odoo_can_write === false
            ? { writeRefusal: WRITE_REFUSALS.odoo }
            : {}),
        ...(response.odoo_credential ? { odooCredential: response.odoo_credential } : {}),
        ...(response.grant_id ? { grantId: response.grant_id } : {}),
      },
      exp: response.exp,
      grantId: response.grant_id,
    };
  }

  private scopesOf(scope: string | undefined): Set<string> {
    const scopes = effectiveScopes(scope);
    if (this.options.readOnly) scopes.delete(SCOPES.write);
    return scopes;
  }

  private async introspect(token: string): Promise<IntrospectionResponse> {
    const { authorizationServer, timeoutMs } = this.options;
    const metadata = await authorizationServer.metadata();
    if (!metadata.introspection_endpoint)
      throw new AuthServerUnavailable("the authorization server offers no introspection endpoint");
    let response: Response;
    try {
      response = await fetch(authorizationServer.internal(metadata.introspection_endpoint), {
        method: "POST",
        headers: {
          authorization: this.authorization,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
        },
        body: new URLSearchParams({ token, token_type_hint: "access_token" }).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new AuthServerUnavailable(`introspection failed: ${(error as Error).message}`);
    }
    if (!response.ok) {
      // A refused client is a configuration problem, not the caller's: report it as unavailability.
      throw new AuthServerUnavailable(`introspection answered ${response.status}`);
    }
    return (await response.json()) as IntrospectionResponse;
  }
}
