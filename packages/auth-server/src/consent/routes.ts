/** The login and consent steps of an authorization request (oidc-provider "interactions"). */

import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import type { OdooProtocolSetting } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import type { Context } from "koa";
import type { InteractionResults, Provider } from "oidc-provider";
import type { Grants } from "../grants/revoke.js";
import { scopeWasDefaulted } from "../http/oauth-compat.js";
import type { AccountStore } from "../provider/accounts.js";
import { clientIdentity } from "../provider/client-identity.js";
import { type CredentialVault, EncryptionKeyUnavailable } from "../provider/odoo-credentials.js";
import type { RememberedGrants } from "../provider/remembered-grants.js";
import { csrfToken, csrfValid } from "../web/csrf.js";
import { errorPage } from "../web/error-page.js";
import { renderPage } from "../web/headers.js";
import type { Strings } from "../web/i18n.js";
import { checkSignIn, odooVerification, postedCredentials, type SignInPageDependencies } from "../web/sign-in.js";
import { applyChoices, isResourceScope, requestedResources, scopeChoices } from "./choices.js";
import { consentPage, loginPage } from "./views.js";

export interface InteractionDependencies extends SignInPageDependencies {
  provider: Provider;
  /** The MCP resource (canonical URL) whose scopes the person chooses, when a request names none. */
  resource: string;
  /** Takes scopes back from a grant's tokens when a renewed consent gives less. */
  grants: Pick<Grants, "withdrawScopes">;
  accounts: AccountStore;
  remembered: RememberedGrants;
  /** ODOO_AUTH_MODE=user: seals the person's credentials; Odoo itself then decides what they may write. */
  vault?: CredentialVault;
  /** Service mode: whether the service account may write for people at all (ODOO_SERVICE_WRITES). */
  serviceWrites: boolean;
  /** User mode: the protocol the person's own secret is used over (ODOO_PROTOCOL; `json2` takes API keys only). */
  credentialProtocol: OdooProtocolSetting;
}

const SCOPE_ORDER = ["odoo:read", "odoo:write", "offline_access", "openid", "profile", "email"];

type Details = Awaited<ReturnType<Provider["interactionDetails"]>>;

export function interactionRoutes(deps: InteractionDependencies): Router {
  const { provider, accounts, logger } = deps;
  const router = new Router({ prefix: "/interaction/:uid" });
  const form = bodyParser({ enableTypes: ["form"], formLimit: "16kb" });

  /** Loads the interaction of this browser and checks it is the one in the URL. */
  async function load(ctx: Context): Promise<Details> {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== ctx.params.uid) throw new Error("interaction mismatch");
    return details;
  }

  async function clientOf(details: Details) {
    const client = await provider.Client.find(String(details.params.client_id));
    const redirect = URL.parse(String(details.params.redirect_uri ?? ""));
    return {
      identity: clientIdentity({
        clientId: String(details.params.client_id),
        clientName: client?.clientName,
        redirectUris: client?.redirectUris,
      }),
      redirectHost: redirect?.host ?? "",
      redirectOrigin: redirect && redirect.protocol !== "javascript:" ? redirect.origin : undefined,
    };
  }

  /** The sign-in page of an interaction, again with the login typed and an error after a failure. */
  function showLogin(
    ctx: Context,
    details: Details,
    client: Awaited<ReturnType<typeof clientOf>>,
    status: number,
    failed?: { login: string; error: (t: Strings) => string },
  ) {
    const csrf = csrfToken(deps.csrfSecret, details.uid);
    renderPage(
      ctx,
      status,
      (t, nonce) =>
        loginPage(t, {
          nonce,
          uid: details.uid,
          csrf,
          client: client.identity,
          odooHost: new URL(deps.odooUrl).host,
          apiKeysOnly: deps.credentialProtocol === "json2",
          ...(failed ? { login: failed.login, error: failed.error(t) } : {}),
        }),
      client.redirectOrigin ? [client.redirectOrigin] : [],
    );
  }

  async function finish(ctx: Context, result: InteractionResults, merge: boolean) {
    const target = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    ctx.status = 303;
    ctx.redirect(target);
  }

  // Any failure here (no interaction cookie, expired interaction, tampered form) is shown as a page.
  router.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      logger.info({ event: "oauth_interaction_failed", reason: (error as Error).message });
      renderPage(ctx, 400, (t, nonce) =>
        errorPage(t, nonce, {
          error: "page_expired",
          description: (error as { error_description?: string }).error_description,
        }),
      );
    }
  });

  router.get("/", async (ctx) => {
    const details = await load(ctx);
    const client = await clientOf(details);
    const csrf = csrfToken(deps.csrfSecret, details.uid);
    const targets = client.redirectOrigin ? [client.redirectOrigin] : [];
    if (details.prompt.name === "login") {
      showLogin(ctx, details, client, 200);
      return;
    }
    const account = await accounts.find(String(details.session?.accountId));
    if (!account) throw new Error("account not found");
    const requested = requestedScopes(details);
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
    const resources = requestedResources(details.params, deps.resource);
    const { choices, withheld, stepUp } = scopeChoices(
      requested,
      account,
      grant,
      resources,
      scopeWasDefaulted(details.params),
    );
    renderPage(
      ctx,
      200,
      (t, nonce) =>
        consentPage(t, {
          nonce,
          uid: details.uid,
          csrf,
          client: client.identity,
          redirectHost: client.redirectHost,
          accountName: account.name,
          accountLogin: account.login,
          choices,
          stepUp,
          otherScopes: requested.filter((scope) => !isResourceScope(scope)),
          writeWithheld: !withheld.includes(SCOPES.write)
            ? undefined
            : deps.vault || deps.serviceWrites
              ? "rights"
              : "server",
        }),
      targets,
    );
  });

  router.post("/login", form, async (ctx) => {
    const details = await load(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!csrfValid(deps.csrfSecret, details.uid, body.csrf)) throw new Error("invalid CSRF token");
    const { login, password } = postedCredentials(body);
    const client = await clientOf(details);
    const again = (status: number, error: (t: Strings) => string) =>
      showLogin(ctx, details, client, status, { login, error });

    const checked = await checkSignIn(deps, ctx, {
      login,
      verify: odooVerification(deps.verifyLogin, { login, password }, ctx.ip, deps.credentialProtocol),
      page: "consent",
      logFields: { client_id: details.params.client_id },
    });
    if (!checked.ok) {
      again(checked.status, checked.error);
      return;
    }
    let odooCredential: string | undefined;
    if (deps.vault) {
      const { db, uid, login: odooLogin } = checked.identity;
      try {
        odooCredential = await deps.vault.seal({ db, uid, login: odooLogin, secret: password });
      } catch (error) {
        if (!(error instanceof EncryptionKeyUnavailable)) throw error;
        again(503, (t) => t.unavailable);
        return;
      }
    }
    // odoo:write only for people Odoo lets create records, asked with their own credentials just now.
    const account = await accounts.save(checked.identity);
    logger.info({
      event: "oauth_authenticated",
      sub: account.sub,
      login: account.login,
      can_write: account.canWrite,
      client_id: details.params.client_id,
    });
    await finish(ctx, { login: { accountId: account.sub }, ...(odooCredential ? { odooCredential } : {}) }, false);
  });

  router.post("/confirm", form, async (ctx) => {
    const details = await load(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!csrfValid(deps.csrfSecret, details.uid, body.csrf)) throw new Error("invalid CSRF token");
    if (details.prompt.name !== "consent") throw new Error("no consent is pending");
    const accountId = String(details.session?.accountId);
    const clientId = String(details.params.client_id);
    const account = await accounts.find(accountId);
    if (!account) throw new Error("account not found");

    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId, clientId });
    if (!grant) throw new Error("grant not found");
    const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    // The OpenID scopes (openid, profile, email, offline_access) are not choices: granted as asked.
    const oidcScopes = (promptDetails.missingOIDCScope ?? []).filter((scope) => !isResourceScope(scope));
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(" "));
    if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);

    const resources = requestedResources(details.params, deps.resource);
    const { choices, withheld } = scopeChoices(
      requestedScopes(details),
      account,
      grant,
      resources,
      scopeWasDefaulted(details.params),
    );
    const ticked = chosenScopes(body);
    // A form from a script written before the choices existed (the guide's curl) allows what is offered;
    // the required scope is given with any access, not a choice.
    const allowed = choices
      .filter((choice) => choice.required || !ticked || ticked.has(choice.scope))
      .map((choice) => choice.scope);
    const declined = choices.map((choice) => choice.scope).filter((scope) => !allowed.includes(scope));
    const heldBefore = resources.flatMap((resource) => grant.getResourceScope(resource).split(" "));
    applyChoices(grant, resources, { allowed, refused: [...declined, ...withheld] });
    const grantId = await grant.save();
    await deps.remembered.remember(accountId, clientId, grantId);
    // Consent asked again (prompt=consent) may take back what the grant held: its tokens must lose it too.
    const takenBack = declined.filter((scope) => heldBefore.includes(scope));
    if (takenBack.length) await deps.grants.withdrawScopes(grantId, takenBack);
    logger.info({
      event: "oauth_consent_granted",
      sub: accountId,
      client_id: clientId,
      // What the grant now holds, not what was asked: oidc-provider may have left scopes out.
      scope: grantedScopes(grant).join(" "),
      withheld: withheld.join(" ") || undefined,
      declined: declined.join(" ") || undefined,
    });
    await finish(ctx, { consent: { grantId } }, true);
  });

  router.post("/abort", form, async (ctx) => {
    const details = await load(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!csrfValid(deps.csrfSecret, details.uid, body.csrf)) throw new Error("invalid CSRF token");
    logger.info({
      event: "oauth_consent_denied",
      sub: details.session?.accountId,
      client_id: details.params.client_id,
    });
    await finish(ctx, { error: "access_denied", error_description: "The user denied the request" }, false);
  });

  return router;
}

/** The scopes a grant holds (OpenID scopes and every resource's), in a stable order. */
function grantedScopes(grant: InstanceType<Provider["Grant"]>): string[] {
  const held = new Set((grant.getOIDCScope() ?? "").split(" "));
  for (const resource of Object.keys(grant.resources ?? {}))
    for (const scope of (grant.getResourceScope(resource) ?? "").split(" ")) held.add(scope);
  return [
    ...SCOPE_ORDER.filter((scope) => held.has(scope)),
    ...[...held].filter((scope) => scope && !SCOPE_ORDER.includes(scope)),
  ];
}

/**
 * The resource scopes the person ticked, or undefined for a form without the choices (`scope_choice`
 * marks a form that offered them: a browser posts no `scope` at all when every box is unticked).
 */
function chosenScopes(body: Record<string, unknown>): Set<string> | undefined {
  if (body.scope_choice === undefined) return undefined;
  const ticked = Array.isArray(body.scope) ? body.scope : [body.scope];
  return new Set(ticked.filter((scope): scope is string => typeof scope === "string"));
}

/** Every scope the request asks for that this server knows, in a stable order. */
function requestedScopes(details: Details): string[] {
  const asked = new Set(
    String(details.params.scope ?? "")
      .split(" ")
      .filter(Boolean),
  );
  return SCOPE_ORDER.filter((scope) => asked.has(scope));
}
