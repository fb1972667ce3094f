/**
 * RFC 6749 §6: a refresh request without `scope` is "treated as equal to the scope originally granted by
 * the resource owner". oidc-provider reads that from the refresh token, whose scope was fixed at the code
 * exchange, so a scope the person allowed on the grant later (/account's "Let it also change data") would
 * never reach the app without a new authorization. The refresh token being rotated is widened here to the
 * resource scopes its grant holds now, so the new pair carries them. Only what the person granted is
 * added (rejected scopes are not held, and the token's resource server still filters by the person's
 * rights); a refresh that names a scope is still held to the refresh token's own (§6: no more than
 * granted), and a client that asks for `odoo:write` by name before refreshing once gets `invalid_scope`.
 */
import type { KoaContextWithOIDC } from "oidc-provider";

type Rotate = (ctx: KoaContextWithOIDC) => Promise<boolean>;

/** Wraps oidc-provider's `rotateRefreshToken`: the token that rotates first takes its grant's current scope. */
export function refreshWithGrantScope(rotate: Rotate): Rotate {
  return async (ctx) => {
    const rotating = await rotate(ctx);
    const { RefreshToken: token, Grant: grant } = ctx.oidc.entities;
    if (!rotating || !token || !grant || ctx.oidc.params?.scope) return rotating;
    const scopes = new Set(String(token.scope ?? "").split(" "));
    for (const resource of Object.keys(grant.resources ?? {}))
      for (const scope of grant.getResourceScope(resource).split(" ")) scopes.add(scope);
    token.scope = [...scopes].filter(Boolean).join(" ");
    return rotating;
  };
}
