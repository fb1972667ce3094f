import { fingerprint, type Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import { type Adapter, type AdapterPayload, errors, type KoaContextWithOIDC } from "oidc-provider";
import type { Storage } from "../storage/contract.js";

/**
 * Refresh-token reuse detection with a grace period. oidc-provider revokes the whole grant when a
 * rotated (consumed) refresh token is presented again. Two refreshes racing from the same client
 * would sign the person out, so for `graceSeconds` after its first use a rotated token is presented
 * to oidc-provider as unused; after that a replay revokes the grant as usual.
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
/** How long a refresh waits for another replica's rotation of the same token, seen half done. */
const OTHER_REPLICA_WAIT_MS = 1500;
const SAME_REPLICA_WAIT_MS = 10_000;

/** What a rotation answered, kept for the grace period under the rotated (old) refresh token's id. */
interface Rotation {
  clientId: string;
  /** The `scope` parameter of the refresh request ("" when none): a repeat asks the same. */
  scope: string;
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (epoch seconds): a repeat answers the time left. */
  expiresAt: number;
  body: Record<string, unknown>;
}

interface InFlight {
  promise: Promise<Rotation | undefined>;
  settle(rotation: Rotation | undefined): void;
}

interface RequestState {
  key: string;
  scope: string;
  clientId: string;
  inFlight?: InFlight;
  replay?: Rotation;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's value, or undefined after `ms`. */
async function within<T>(promise: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function inFlight(): InFlight {
  let settle: (rotation: Rotation | undefined) => void = () => undefined;
  const promise = new Promise<Rotation | undefined>((resolve) => {
    settle = resolve;
  });
  return { promise, settle };
}

/**
 * Within the grace period a repeated refresh with the same (just rotated) refresh token answers the same
 * rotated pair as the first refresh, instead of starting a second chain of tokens:
 * - the first rotation's answer is remembered in storage (model `RefreshRotation`, keyed by the old
 *   token's id, expiring with the grace period), so every replica gives the same answer;
 * - oidc-provider's `rotateRefreshToken` hook is the decision point: it runs after the client has
 *   authenticated and the token, its client, grant and account were checked. A repeat stops there (no
 *   token is consumed, saved or minted) and the remembered answer is sent, with `expires_in` counted down;
 * - refreshes racing on one replica wait for the first; on another replica, a token seen consumed but
 *   not yet remembered is waited for briefly. Two replicas that both start before either consumes the
 *   token still rotate twice (the storage contract has no atomic claim), as before this change.
 * A remembered pair is only answered while both its tokens are still there and the new refresh token is
 * unused; otherwise the refresh proceeds as an ordinary one would.
 */
export function createRefreshRotations(storage: Storage, graceSeconds: number, logger: Logger) {
  const memory = storage.adapter(ROTATION_MODEL);
  const refreshTokens = storage.adapter("RefreshToken");
  const accessTokens = storage.adapter("AccessToken");
  const pending = new Map<string, InFlight>();
  /** Each token request's part, from the hook to the middleware around it. */
  const requests = new WeakMap<object, RequestState>();

  const recall = async (key: string) => (await memory.find(key)) as unknown as Rotation | undefined;

  /** The remembered rotation, if this request repeats it and both its tokens are still good. */
  async function usable(rotation: Rotation | undefined, request: RequestState): Promise<Rotation | undefined> {
    if (!rotation || rotation.clientId !== request.clientId || rotation.scope !== request.scope) return undefined;
    const [refresh, access] = await Promise.all([
      refreshTokens.find(rotation.refreshToken),
      accessTokens.find(rotation.accessToken),
    ]);
    return refresh && !refresh.consumed && access ? rotation : undefined;
  }

  async function remembered(ctx: KoaContextWithOIDC, state: RequestState): Promise<Rotation | undefined> {
    const rotation = await recall(state.key);
    if (rotation) return usable(rotation, state);
    // Consumed but not remembered yet: another replica is rotating it right now.
    if (!(await refreshTokens.find(state.key))?.consumed) return undefined;
    for (let waited = 0; waited < OTHER_REPLICA_WAIT_MS && !ctx.req.destroyed; waited += 50) {
      await sleep(50);
      const later = await recall(state.key);
      if (later) return usable(later, state);
    }
    return undefined;
  }

  /** oidc-provider's `rotateRefreshToken`: true to rotate, or a repeat answered from memory. */
  async function rotateRefreshToken(ctx: KoaContextWithOIDC): Promise<boolean> {
    const old = ctx.oidc.entities.RefreshToken;
    const clientId = ctx.oidc.client?.clientId;
    if (!old?.jti || !clientId) return true;
    const state: RequestState = { key: old.jti, clientId, scope: String(ctx.oidc.params?.scope ?? "") };
    requests.set(ctx, state);
    const earlier = pending.get(state.key);
    if (earlier) {
      // The first one's answer, read back from storage like any other replica would.
      const rotation = await within(earlier.promise, SAME_REPLICA_WAIT_MS);
      state.replay = rotation && (await usable(await recall(state.key), state));
    } else {
      // Claimed before the first await: a refresh racing on this replica waits for this one.
      state.inFlight = inFlight();
      pending.set(state.key, state.inFlight);
      state.replay = await remembered(ctx, state);
    }
    if (!state.replay) return true;
    throw new errors.CustomOIDCProviderError(REPEATED_REFRESH, "answered with the rotation already made");
  }

  /** Around oidc-provider: remembers a rotation, or answers a repeat with the remembered one. */
  const middleware: Middleware = async (ctx, next) => {
    await next();
    const state = requests.get(ctx);
    if (!state) return;
    let rotation: Rotation | undefined;
    try {
      if (state.replay) {
        rotation = state.replay;
        const { body, expiresAt } = state.replay;
        ctx.status = 200;
        ctx.type = "application/json";
        ctx.body = { ...body, expires_in: Math.max(0, expiresAt - Math.floor(Date.now() / 1000)) };
        logger.info({
          event: "oauth_token_refresh_repeated",
          client_id: state.clientId,
          token_id: fingerprint(state.replay.accessToken),
        });
        return;
      }
      const oidc = (ctx as unknown as KoaContextWithOIDC).oidc;
      const body = ctx.body as Record<string, unknown> | undefined;
      if (
        ctx.status === 200 &&
        oidc.entities.RotatedRefreshToken?.jti === state.key &&
        typeof body?.access_token === "string" &&
        typeof body.refresh_token === "string"
      ) {
        rotation = {
          clientId: state.clientId,
          scope: state.scope,
          accessToken: body.access_token,
          refreshToken: body.refresh_token,
          expiresAt: Math.floor(Date.now() / 1000) + Number(body.expires_in ?? 0),
          body,
        };
        await memory
          .upsert(state.key, rotation as unknown as AdapterPayload, graceSeconds)
          .catch((error: Error) => logger.error({ event: "refresh_rotation_not_remembered", err: error }));
      }
    } finally {
      if (state.inFlight) {
        if (pending.get(state.key) === state.inFlight) pending.delete(state.key);
        state.inFlight.settle(rotation);
      }
    }
  };

  return { rotateRefreshToken, middleware };
}
