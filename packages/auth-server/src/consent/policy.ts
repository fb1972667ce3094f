/**
 * When oidc-provider shows the consent page: its own checks (a requested scope the grant has neither
 * granted nor rejected), plus one of ours. A scope the person declined is rejected on the grant, and
 * oidc-provider never asks for a rejected scope again; so a client stepping up (an MCP server's
 * `403 insufficient_scope`, then a new authorization request for `odoo:write`) would get the same
 * read-only token, and ask again, in a loop. Consent is asked again instead, when the client names the
 * scope in its request and the person may hold it; when they may not, asking would change nothing. A
 * request that named no scope (filled in by http/oauth-compat.ts) gets what was allowed, unasked.
 */
import { interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import { scopeWasDefaulted } from "../http/oauth-compat.js";
import type { AccountStore } from "../provider/accounts.js";
import { type CredentialVault, credentialMissingCheck } from "../provider/odoo-credentials.js";
import { mayHold } from "./choices.js";

const { Check, base } = interactionPolicy;

function declinedScopeRequested(accounts: AccountStore) {
  return new Check(
    "declined_scope_requested",
    "a scope the End-User declined was requested again",
    "consent_required",
    async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      // Decided in this very request: the person saw the page, whatever they chose stands.
      if (oidc.result?.consent || !oidc.session?.accountId || !oidc.grant) return Check.NO_NEED_TO_PROMPT;
      if (scopeWasDefaulted(oidc.params ?? {})) return Check.NO_NEED_TO_PROMPT;
      const grant = oidc.grant;
      const declined = Object.keys(oidc.resourceServers ?? {}).flatMap((resource) =>
        grant.getRejectedResourceScope(resource).split(" "),
      );
      const askedAgain = [...oidc.requestParamScopes].filter((scope) => declined.includes(scope));
      if (askedAgain.length === 0) return Check.NO_NEED_TO_PROMPT;
      const account = await accounts.find(oidc.session.accountId);
      return account && askedAgain.some((scope) => mayHold(account, scope))
        ? Check.REQUEST_PROMPT
        : Check.NO_NEED_TO_PROMPT;
    },
  );
}

/**
 * oidc-provider's default interaction policy, with consent asked again for declined scopes and, in user
 * mode, the sign-in asked again when the person's Odoo credentials are not at hand (odoo-credentials.ts).
 */
export function interactionPolicyOf(accounts: AccountStore, vault: CredentialVault | undefined) {
  const policy = base();
  if (vault) policy.get("login")?.checks.add(credentialMissingCheck(vault));
  policy.get("consent")?.checks.add(declinedScopeRequested(accounts));
  return policy;
}
