/** Reading stored grants for the pages that show them. */

/** The scopes a grant holds, for this server's resources and OpenID alike, without repeats. */
export function scopesOf(grant: object): string[] {
  const { openid, resources } = grant as { openid?: { scope?: string }; resources?: Record<string, string> };
  return [...new Set([openid?.scope ?? "", ...Object.values(resources ?? {})].join(" ").split(" ").filter(Boolean))];
}
