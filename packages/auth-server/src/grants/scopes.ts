/** Reading stored grants for the pages that show them, and adding scopes to a grant. */
import type { Provider } from "oidc-provider";

type Grant = InstanceType<Provider["Grant"]>;

interface StoredGrant {
  openid?: { scope?: string };
  resources?: Record<string, string>;
  rejected?: { openid?: { scope?: string }; resources?: Record<string, string> };
}

const scopeSet = (part: StoredGrant["rejected"]) =>
  new Set([part?.openid?.scope ?? "", ...Object.values(part?.resources ?? {})].join(" ").split(" ").filter(Boolean));

/** The scopes a grant holds, for this server's resources and OpenID alike, without repeats or rejected ones. */
export function scopesOf(grant: object): string[] {
  const rejected = scopesRejected(grant);
  return [...scopeSet(grant as StoredGrant)].filter((scope) => !rejected.includes(scope));
}

/** The scopes withheld on a grant: refused at consent, or withdrawn since (Odoo rights lost). */
export function scopesRejected(grant: object): string[] {
  return [...scopeSet((grant as StoredGrant).rejected)];
}

/** `scope` taken out of a space-separated list. */
const without = (list: string | undefined, scope: string) =>
  (list ?? "")
    .split(" ")
    .filter((item) => item && item !== scope)
    .join(" ");

/**
 * Grants `scopes` for `resources` and as OpenID scopes (oidc-provider counts the odoo scopes among both),
 * taking back an earlier rejection: oidc-provider has no way to, it keeps rejected scopes in `grant.rejected`.
 */
export function allowScopes(grant: Grant, resources: readonly string[], scopes: readonly string[]): void {
  for (const scope of scopes) {
    grant.addOIDCScope(scope);
    if (grant.rejected?.openid?.scope) grant.rejected.openid.scope = without(grant.rejected.openid.scope, scope);
    for (const resource of resources) {
      grant.addResourceScope(resource, scope);
      const rejected = grant.rejected?.resources;
      if (rejected?.[resource]) rejected[resource] = without(rejected[resource], scope);
    }
  }
}
