/**
 * The MCP resource's scopes as choices at consent: which a person is offered, and how their decision
 * lands on the grant, the way oidc-provider models consent. A ticked scope is granted; an unticked one
 * is rejected: oidc-provider then leaves it out of every token issued under the grant (at the code
 * exchange and at each refresh, which filters by the grant) and does not ask for it again by itself. The
 * consent policy (policy.ts) asks again when a client requests a rejected scope the person may hold.
 */
import { ALL_SCOPES, SCOPES } from "@odoo-mcp/shared";
import type { Provider } from "oidc-provider";
import type { StoredAccount } from "../provider/accounts.js";

type Grant = InstanceType<Provider["Grant"]>;

/** The scope every tool needs: it cannot be left out, only the whole request denied. */
export const REQUIRED_SCOPE: string = SCOPES.read;

const RESOURCE_SCOPES: readonly string[] = ALL_SCOPES;

export const isResourceScope = (scope: string) => RESOURCE_SCOPES.includes(scope);

/**
 * Whether the person's Odoo rights let them hold `scope`: `odoo:write` only for those Odoo lets create
 * records (service mode; in user mode Odoo decides each call, so everyone may hold it).
 */
export const mayHold = (account: Pick<StoredAccount, "canWrite">, scope: string) =>
  scope !== SCOPES.write || account.canWrite;

export interface ScopeChoice {
  scope: string;
  required: boolean;
  /** Ticked unless the person declined it on this grant before. */
  checked: boolean;
}

/** The requested resource scopes the person is offered, and those withheld because Odoo does not allow them. */
export function scopeChoices(
  requested: readonly string[],
  account: Pick<StoredAccount, "canWrite">,
  grant: Grant | undefined,
  resources: readonly string[],
): { choices: ScopeChoice[]; withheld: string[] } {
  const declined = new Set(
    resources.flatMap((resource) => (grant?.getRejectedResourceScope(resource) ?? "").split(" ")),
  );
  const asked = requested.filter(isResourceScope);
  return {
    choices: asked
      .filter((scope) => mayHold(account, scope))
      .map((scope) => ({ scope, required: scope === REQUIRED_SCOPE, checked: !declined.has(scope) })),
    withheld: asked.filter((scope) => !mayHold(account, scope)),
  };
}

/** `scope` taken out of a space-separated list. */
const without = (list: string | undefined, scope: string) =>
  (list ?? "")
    .split(" ")
    .filter((item) => item && item !== scope)
    .join(" ");

/**
 * The person's decision on the grant: offered scopes they ticked are granted (and no longer rejected, if
 * they had declined them before), the rest rejected, with the withheld ones. oidc-provider counts the
 * odoo scopes among the OpenID scopes too, so both sets get the same decision.
 */
export function applyChoices(
  grant: Grant,
  resources: readonly string[],
  decision: { allowed: readonly string[]; refused: readonly string[] },
): void {
  for (const scope of decision.allowed) {
    grant.addOIDCScope(scope);
    // oidc-provider has no way to take a rejection back: it keeps rejected scopes in `grant.rejected`.
    if (grant.rejected?.openid?.scope) grant.rejected.openid.scope = without(grant.rejected.openid.scope, scope);
    for (const resource of resources) {
      grant.addResourceScope(resource, scope);
      const rejected = grant.rejected?.resources;
      if (rejected?.[resource]) rejected[resource] = without(rejected[resource], scope);
    }
  }
  for (const scope of decision.refused) {
    grant.rejectOIDCScope(scope);
    for (const resource of resources) grant.rejectResourceScope(resource, scope);
  }
}

/**
 * The resource indicators an authorization request names (RFC 8707), as oidc-provider keys the grant by
 * them (`/mcp/` is kept as sent); `fallback`, the MCP resource, when it names none.
 */
export function requestedResources(params: Record<string, unknown>, fallback: string): string[] {
  const named = [params.resource].flat().filter((value): value is string => typeof value === "string" && value !== "");
  return named.length ? named : [fallback];
}
