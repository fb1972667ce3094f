/**
 * Refresh-token rotation with one winner per refresh token, and a grace period for repeats.
 *
 * oidc-provider rotates a refresh token by checking that it is unused and then consuming it: refreshes
 * racing with one token all pass the check and all rotate, forking the chain (and a stolen token then
 * lives on beside the real one). Here a rotation first claims the token atomically in storage
 * (`StorageAdapter.claim`: of any number of claims, on any replica, exactly one wins), and only the
 * winner rotates. A loser:
 * - within the grace period (REFRESH_TOKEN_REUSE_GRACE, counted from the first use) is answered exactly
 *   the pair the winner got, when it asks the same (same client, same `scope` parameter) and that pair
 *   is still unused; otherwise it is refused with `invalid_grant` and nothing is issued;
 * - without a grace period is a replay: the grant is revoked (RFC 9700 §4.14.2), as oidc-provider does
 *   for a used token.
 * After the grace period oidc-provider itself sees the token used and revokes the grant.
 *
 * The winner's answer is remembered for the grace period (model `RefreshRotation`, under the digest of
 * the rotated token like every token: storage/hashed-ids.ts), sealed with a key derived from the rotated
 * token, so what storage holds opens only for someone who presents that token.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { fingerprint, type Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import { type Adapter, type AdapterPayload, errors, type KoaContextWithOIDC } from "oidc-provider";
import { endGrant } from "../grants/revoke.js";
import type { Storage } from "../storage/contract.js";

/**
 * oidc-provider revokes the whole grant when a used refresh token is presented again. For `graceSeconds`
 * after its first use, a rotated token is shown to oidc-provider as unused, so that the rotation hook
 * below decides (a repeat or a refusal); after that a replay revokes the grant as usual.
 * Relies on the storage contract: `consumed` holds the time of the first consumption.
 */
export function withRefreshReuseGrace(adapter: Adapter, graceSeconds: number): Adapter {
  if (graceSeconds <= 0) return adapter;
  return {
    ...adapter,
    upsert: adapter.upsert.bind(adapter),
    consume: adapter.consume.bind(adapter),
    destroy: adapter.destroy.bind(adapter),
    revokeByGrantId: adapter.revokeByGrantId.bind(adapter),
    findByUid: adapter.findByUid.bind(adapter),
    findByUserCode: adapter.findByUserCode.bind(adapter),
    async find(id) {
      const payload = await adapter.find(id);
      const consumed = payload?.consumed;
      if (typeof consumed !== "number" || Date.now() / 1000 - consumed > graceSeconds) return payload;
      const { consumed: _ignored, ...fresh } = payload as typeof payload & { consumed: number };
      return fresh;
    },
  };
}

export const ROTATION_MODEL = "RefreshRotation";
/** oidc-provider's answer is replaced by the remembered one: the error only stops it from rotating again. */
export const REPEATED_REFRESH = "refresh_token_repeated";
/** How long a loser waits for the winner's answer when the winner is another replica. */
const OTHER_REPLICA_WAIT_MS = 5000;
/** How long a loser waits for a winner on this replica, which says when it is done. */
const SAME_REPLICA_WAIT_MS = 10_000;
const POLL_MS = 50;

/** What the winner answered: the token response, and when its access token expires (epoch seconds). */
interface Answer {
  body: Record<string, unknown>;
  expiresAt: number;
}

/** What is stored for a rotation, under the rotated refresh token. */
interface Remembered {
  clientId: string;
  /** The `scope` parameter of the winner's request ("" when none): a repeat must ask the same. */
  scope: string;
  /** The Answer, sealed with a key derived from the rotated refresh token. */
  sealed: string;
}

interface Winner {
  key: string;
  clientId: string;
  scope: string;
  done(): void;
}

const keyFrom = (refreshToken: string) =>
  Buffer.from(hkdfSync("sha256", refreshToken, "", "odoo-mcp refresh rotation", 32));

function seal(answer: Answer, refreshToken: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(refreshToken), iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(answer)), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

function unseal(sealed: string, refreshToken: string): Answer | undefined {
  try {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", keyFrom(refreshToken), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString()) as Answer;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the promise, `ms` at most. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export function createRefreshRotations(storage: Storage, graceSeconds: number, logger: Logger) {
  const memory = storage.adapter(ROTATION_MODEL);
  const refreshTokens = storage.adapter("RefreshToken");
  const accessTokens = storage.adapter("AccessToken");
  /** This replica's winners still at work, by rotated token: a loser here waits for them, not for a poll. */
  const working = new Map<string, Promise<void>>();
  /** Each token request's part, from the hook to the middleware around it. */
  const requests = new WeakMap<object, { winner?: Winner; repeat?: Answer }>();

  const recall = async (key: string) => (await memory.find(key)) as unknown as Remembered | undefined;

  /** The winner's remembered answer: at once from this replica's winner, else polled for a while. */
  async function rememberedFor(ctx: KoaContextWithOIDC, key: string): Promise<Remembered | undefined> {
    const deadline = Date.now() + OTHER_REPLICA_WAIT_MS;
    for (;;) {
      const local = working.get(key);
      if (local) {
        await within(local, SAME_REPLICA_WAIT_MS);
        return recall(key);
      }
      const remembered = await recall(key);
      if (remembered || Date.now() >= deadline || ctx.req.destroyed) return remembered;
      await sleep(POLL_MS);
    }
  }

  /** The winner's answer, if this request asks the same and the pair is still unused; else undefined. */
  async function repeatable(ctx: KoaContextWithOIDC, key: string, clientId: string, scope: string) {
    const remembered = await rememberedFor(ctx, key);
    if (!remembered || remembered.clientId !== clientId || remembered.scope !== scope) return undefined;
    const answer = unseal(remembered.sealed, key);
    const { access_token: access, refresh_token: refresh } = answer?.body ?? {};
    if (typeof access !== "string" || typeof refresh !== "string") return undefined;
    const [successor, accessToken] = await Promise.all([refreshTokens.find(refresh), accessTokens.find(access)]);
    return successor && !successor.consumed && accessToken ? answer : undefined;
  }

  /** oidc-provider's `rotateRefreshToken`: true for the one winner; a repeat or a refusal for the others. */
  async function rotateRefreshToken(ctx: KoaContextWithOIDC): Promise<boolean> {
    const old = ctx.oidc.entities.RefreshToken;
    const clientId = ctx.oidc.client?.clientId;
    if (!old?.jti || !clientId) throw new errors.InvalidGrant("refresh token not found");
    const key = old.jti;
    const scope = String(ctx.oidc.params?.scope ?? "");
    if (await refreshTokens.claim(key)) {
      let done: () => void = () => undefined;
      working.set(
        key,
        new Promise<void>((resolve) => {
          done = resolve;
        }),
      );
      requests.set(ctx, { winner: { key, clientId, scope, done } });
      return true;
    }
    if (graceSeconds <= 0) {
      await endGrant(ctx.oidc.provider, old.grantId as string, ctx);
      throw new errors.InvalidGrant("refresh token already used");
    }
    const repeat = await repeatable(ctx, key, clientId, scope);
    if (!repeat) throw new errors.InvalidGrant("refresh token already used");
    requests.set(ctx, { repeat });
    throw new errors.CustomOIDCProviderError(REPEATED_REFRESH, "answered with the rotation already made");
  }

  /** Remembers the winner's answer for the grace period, when it rotated. */
  async function remember(ctx: KoaContextWithOIDC, winner: Winner): Promise<void> {
    const body = ctx.body as Record<string, unknown> | undefined;
    if (
      graceSeconds <= 0 ||
      ctx.status !== 200 ||
      ctx.oidc.entities.RotatedRefreshToken?.jti !== winner.key ||
      typeof body?.access_token !== "string" ||
      typeof body.refresh_token !== "string"
    )
      return;
    const answer: Answer = { body, expiresAt: Math.floor(Date.now() / 1000) + Number(body.expires_in ?? 0) };
    const remembered: Remembered = { clientId: winner.clientId, scope: winner.scope, sealed: seal(answer, winner.key) };
    await memory
      .upsert(winner.key, remembered as unknown as AdapterPayload, graceSeconds)
      .catch((error: Error) => logger.error({ event: "refresh_rotation_not_remembered", err: error }));
  }

  /** Around oidc-provider: remembers the winner's answer, or answers a repeat with it. */
  const middleware: Middleware = async (ctx, next) => {
    try {
      await next();
    } finally {
      const winner = requests.get(ctx)?.winner;
      if (winner) {
        await remember(ctx as unknown as KoaContextWithOIDC, winner).finally(() => {
          working.delete(winner.key);
          winner.done();
        });
      }
    }
    const repeat = requests.get(ctx)?.repeat;
    if (!repeat) return;
    ctx.status = 200;
    ctx.type = "application/json";
    ctx.body = { ...repeat.body, expires_in: Math.max(0, repeat.expiresAt - Math.floor(Date.now() / 1000)) };
    logger.info({
      event: "oauth_token_refresh_repeated",
      client_id: (ctx as unknown as KoaContextWithOIDC).oidc.client?.clientId,
      token_id: fingerprint(String(repeat.body.access_token)),
    });
  };

  return { rotateRefreshToken, middleware };
}
