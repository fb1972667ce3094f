/**
 * What ends download links before they expire: the revocation notices the MCP server already listens to
 * (auth/revocation-listener.ts). A link names the grant and the client it was made under, and when; a
 * link made before its grant was revoked (the app disconnected at /account or /admin, a token revoked at
 * the revocation endpoint, a replayed refresh token) or before all its client's tokens were revoked no
 * longer opens. By time, not for ever: a person who connects the app again may get the same grant back,
 * and links made from then on work. Revocations are remembered as long as a link lives (MCP_DOWNLOAD_TTL).
 * Notices missed while the channel was down, or forgotten because too many arrived at once, cannot be
 * told apart: then every link made before is ended. Replicas compare their clocks' times (keep them in
 * step, as for token expiry).
 */
import { LRUCache } from "lru-cache";
import type { RevocationSubscriber } from "../auth/revocation-listener.js";

/** What a link says about where it came from. */
export interface LinkOrigin {
  grantId: string | undefined;
  clientId: string;
  /** When the link was made (milliseconds since the epoch). */
  issuedAt: number;
}

/** Revocations remembered at most; past this many within a link's lifetime, older links all end. */
const REMEMBERED_MAX = 100_000;

export class LinkRevocations implements RevocationSubscriber {
  /** `grant <id>` or `client <id>` -> when it was revoked (milliseconds since the epoch). */
  private readonly revokedAt: LRUCache<string, number>;
  /** Links made before this moment end (notices may have been missed). */
  private notBefore = 0;

  constructor(
    ttlSeconds: number,
    private readonly now: () => number = Date.now,
    max = REMEMBERED_MAX,
  ) {
    this.revokedAt = new LRUCache<string, number>({
      max,
      ttl: ttlSeconds * 1000,
      // A revocation pushed out while links it ended may still be alive would let them open again.
      dispose: (_value, _key, reason) => {
        if (reason === "evict") this.notBefore = this.now();
      },
    });
  }

  forgetGrant(grantId: string): void {
    this.revokedAt.set(`grant ${grantId}`, this.now());
  }

  forgetClient(clientId: string): void {
    this.revokedAt.set(`client ${clientId}`, this.now());
  }

  /** One access token revoked: the authorization server sends its grant's notice with it. */
  forgetToken(): void {}

  forgetAll(): void {
    this.notBefore = this.now();
  }

  /** Whether a link made under this grant and client, at that time, has been revoked since. */
  revoked({ grantId, clientId, issuedAt }: LinkOrigin): boolean {
    const since = (key: string) => {
      const at = this.revokedAt.get(key);
      return at !== undefined && issuedAt <= at;
    };
    return (
      issuedAt < this.notBefore || (grantId !== undefined && since(`grant ${grantId}`)) || since(`client ${clientId}`)
    );
  }
}
