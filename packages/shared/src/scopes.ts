/** The OAuth scopes the MCP server understands; tools that only read need `odoo:read`, the others `odoo:write`. */
export const SCOPES = {
  read: "odoo:read",
  write: "odoo:write",
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

export const ALL_SCOPES: readonly Scope[] = [SCOPES.read, SCOPES.write];

/** Splits an OAuth `scope` string (space-delimited, RFC 6749 §3.3) into a set. */
export function parseScope(scope: string | undefined | null): Set<string> {
  return new Set((scope ?? "").split(" ").filter(Boolean));
}

/** Narrower scopes each scope implies: one who may change data may read it (MCP authorization: scope hierarchies). */
const IMPLIED: Readonly<Record<string, readonly Scope[]>> = { [SCOPES.write]: [SCOPES.read] };

/** The scopes a token's `scope` grants in effect: those named and every narrower one they imply. */
export function effectiveScopes(scope: string | undefined | null): Set<string> {
  const scopes = parseScope(scope);
  for (const granted of [...scopes]) for (const implied of IMPLIED[granted] ?? []) scopes.add(implied);
  return scopes;
}
