/** Reading stored grants for the pages that show them. */

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
