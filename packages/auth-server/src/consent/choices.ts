/**
 * The MCP resource's scopes as choices at consent: which a person is offered, and how their decision
 * lands on the grant, the way oidc-provider models consent. A ticked scope is granted; an unticked one
 * is rejected: oidc-provider then leaves it out of every token issued under the grant (at the code
 * exchange and at each refresh, which filters by the grant) and does not ask for it again by itself. The
 * consent policy (policy.ts) asks again when a client requests a rejected scope the person may hold.
 */
import { ALL_SCOPES, SCOPES } from "@odoo-mcp/shared";
import type { Provider } from "oidc-provider";
import { allowScopes } from "../grants/scopes.js";
import type { StoredAccount } from "../provider/accounts.js";

type Grant = InstanceType<Provider["Grant"]>;

/** The scope every tool needs: it cannot be left out, only the whole request denied. */
export const REQUIRED_SCOPE: string = SCOPES.read;

const RESOURCE_SCOPES: readonly string[] = ALL_SCOPES;

export const isResourceScope = (scope: string) => RESOURCE_SCOPES.includes(scope);

/**
 * Whether the person may hold `scope`: `odoo:write` only for those Odoo lets create records (asked at
 * their sign-in, in both modes) on a server that gives writing at all (accounts.ts).
 */
export const mayHold = (account: Pick<StoredAccount, "canWrite">, scope: string) =>
  scope !== SCOPES.write || account.canWrite;

export interface ScopeChoice {
  scope: string;
  /** Given with any access (a line with a mark, not a checkbox): only the whole request can be denied. */
  required: boolean;
  /** Ticked, unless the person declined it on this grant before and the client did not name it now. */
  checked: boolean;
}

export interface OfferedScopes {
  choices: ScopeChoice[];
  /** Requested, but not offered: Odoo does not let the person hold them (or the server gives no writing). */
  withheld: string[];
  /** The grant already holds reading and the client now asks to write too (step-up). */
  stepUp: boolean;
}

/**
 * The requested resource scopes the person is offered. A scope they declined on this grant is ticked
 * again when the client names it in its request (a step-up after `403 insufficient_scope`, or the person
 * asking the app for it): that request is why the page is shown. Only a scope the server filled in for a
 * request that named none (`scopeDefaulted`, http/oauth-compat.ts) keeps the person's earlier "no".
 */
export function scopeChoices(
  requested: readonly string[],
  account: Pick<StoredAccount, "canWrite">,
  grant: Grant | undefined,
  resources: readonly string[],
  scopeDefaulted: boolean,
): OfferedScopes {
  const scopesOn = (read: (resource: string) => string | undefined) =>
    new Set(resources.flatMap((resource) => (read(resource) ?? "").split(" ")));
  const declined = scopesOn((resource) => grant?.getRejectedResourceScope(resource));
  const held = scopesOn((resource) => grant?.getResourceScope(resource));
  const asked = requested.filter(isResourceScope);
  const choices = asked
    .filter((scope) => mayHold(account, scope))
    .map((scope) => ({
      scope,
      required: scope === REQUIRED_SCOPE,
      checked: scope === REQUIRED_SCOPE || !scopeDefaulted || !declined.has(scope),
    }));
  return {
    choices,
    withheld: asked.filter((scope) => !mayHold(account, scope)),
    stepUp:
      held.has(REQUIRED_SCOPE) && choices.some((choice) => choice.scope === SCOPES.write && !held.has(choice.scope)),
  };
}

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
  allowScopes(grant, resources, decision.allowed);
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
