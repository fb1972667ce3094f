import type { Adapter } from "oidc-provider";

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
