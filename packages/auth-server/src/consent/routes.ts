/** The login and consent steps of an authorization request (oidc-provider "interactions"). */

import { bodyParser } from "@koa/bodyparser";
import Router from "@koa/router";
import type { Context } from "koa";
import type { InteractionResults, Provider } from "oidc-provider";
import type { AccountStore } from "../provider/accounts.js";
import { type CredentialVault, EncryptionKeyUnavailable } from "../provider/odoo-credentials.js";
import type { RememberedGrants } from "../provider/remembered-grants.js";
import { csrfToken, csrfValid } from "../web/csrf.js";
import { renderPage } from "../web/headers.js";
import type { Strings } from "../web/i18n.js";
import { errorPage } from "../web/layout.js";
import { checkSignIn, odooVerification, postedCredentials, type SignInPageDependencies } from "../web/sign-in.js";
import { consentPage, loginPage } from "./views.js";

export interface InteractionDependencies extends SignInPageDependencies {
  provider: Provider;
  accounts: AccountStore;
  remembered: RememberedGrants;
  /** ODOO_AUTH_MODE=user: seals the person's credentials; Odoo itself then decides what they may write. */
  vault?: CredentialVault;
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
      name: client?.clientName ?? String(details.params.client_id),
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
          clientName: client.name,
          odooHost: new URL(deps.odooUrl).host,
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
        errorPage(t, nonce, (error as { error_description?: string }).error_description),
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
    const writeWithheld = requested.includes("odoo:write") && !account.canWrite;
    renderPage(
      ctx,
      200,
      (t, nonce) =>
        consentPage(t, {
          nonce,
          uid: details.uid,
          csrf,
          clientName: client.name,
          redirectHost: client.redirectHost,
          accountName: account.name,
          accountLogin: account.login,
          scopes: requested.filter((scope) => !(writeWithheld && scope === "odoo:write")),
          writeWithheld,
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
      verify: odooVerification(deps.verifyLogin, { login, password }),
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
    // With per-user identity Odoo enforces each person's rights itself, so odoo:write is not withheld.
    const account = await accounts.save(deps.vault ? { ...checked.identity, canWrite: true } : checked.identity);
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
    const promptDetails = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    // oidc-provider also counts the odoo scopes among the OpenID ones: a withheld odoo:write is rejected
    // there too, or the grant would still hold it.
    const mayHave = (scope: string) => scope !== "odoo:write" || account.canWrite;
    const oidcScopes = promptDetails.missingOIDCScope ?? [];
    if (oidcScopes.some(mayHave)) grant.addOIDCScope(oidcScopes.filter(mayHave).join(" "));
    if (!oidcScopes.every(mayHave)) grant.rejectOIDCScope(oidcScopes.filter((scope) => !mayHave(scope)).join(" "));
    if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    const withheld: string[] = [];
    for (const [resource, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) {
      const allowed = scopes.filter(mayHave);
      const refused = scopes.filter((scope) => !allowed.includes(scope));
      if (allowed.length) grant.addResourceScope(resource, allowed.join(" "));
      // Rejected, not merely missing: oidc-provider then stops asking for it on this grant.
      if (refused.length) grant.rejectResourceScope(resource, refused.join(" "));
      withheld.push(...refused);
    }
    const grantId = await grant.save();
    await deps.remembered.remember(accountId, clientId, grantId);
    logger.info({
      event: "oauth_consent_granted",
      sub: accountId,
      client_id: clientId,
      // What the grant now holds, not what was asked: oidc-provider may have left scopes out.
      scope: grantedScopes(grant).join(" "),
      withheld: withheld.join(" ") || undefined,
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

/** Every scope the request asks for that this server knows, in a stable order. */
function requestedScopes(details: Details): string[] {
  const asked = new Set(
    String(details.params.scope ?? "")
      .split(" ")
      .filter(Boolean),
  );
  return SCOPE_ORDER.filter((scope) => asked.has(scope));
}
