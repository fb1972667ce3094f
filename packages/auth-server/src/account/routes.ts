/**
 * `/account`: a person signs in with Odoo credentials, sees every app they allowed (from the stored
 * grants) and the scopes each holds, lets an app only read from now on, lets a reading app also change
 * data (from its next refresh), or revokes it: grant and tokens end at once, and the MCP replicas are told.
 */
import bodyParser from "@koa/bodyparser";
import Router from "@koa/router";
import { SCOPES } from "@odoo-mcp/shared";
import type { Context } from "koa";
import type { Provider } from "oidc-provider";
import type { Grants } from "../grants/revoke.js";
import { scopesOf, scopesRejected } from "../grants/scopes.js";
import type { AccountStore, StoredAccount } from "../provider/accounts.js";
import type { IndexedStorage } from "../storage/contract.js";
import { renderPage } from "../web/headers.js";
import type { Strings } from "../web/i18n.js";
import { type PageSession, pageSessions } from "../web/session.js";
import { checkSignIn, odooVerification, postedCredentials, type SignInPageDependencies } from "../web/sign-in.js";
import { accountSignInPage, type ConnectedApp, connectedAppsPage } from "./views.js";

/** The page's own needs beside the sign-in's: grants to read and revoke, their tokens, accounts. */
export interface AccountDependencies extends SignInPageDependencies {
  provider: Provider;
  storage: IndexedStorage;
  accounts: AccountStore;
  grants: Grants;
}

export function accountRoutes(deps: AccountDependencies): Router {
  const { provider, storage, logger } = deps;
  const router = new Router({ prefix: "/account" });
  const form = bodyParser({ enableTypes: ["form"], formLimit: "16kb" });
  const odooHost = new URL(deps.odooUrl).host;

  const sessions = pageSessions("account", "/account", deps.csrfSecret, storage);

  function signInForm(ctx: Context, status: number, error?: (t: Strings) => string) {
    const csrf = sessions.signInCsrf(ctx);
    renderPage(ctx, status, (t, styleNonce) =>
      accountSignInPage(t, styleNonce, { csrf, odooHost, ...(error ? { error: error(t) } : {}) }),
    );
  }

  async function appsOf(sub: string): Promise<ConnectedApp[]> {
    const [mine, account] = await Promise.all([deps.grants.ofAccount(sub), deps.accounts.find(sub)]);
    /** When the app last got a token under the grant: the newest issued access or refresh token. */
    const lastIssued = async (grantId: string) => {
      const tokens = await Promise.all(
        ["AccessToken", "RefreshToken"].map((model) => storage.listByGrantId(model, grantId)),
      );
      return Math.max(0, ...tokens.flat().map((token) => token.iat ?? 0));
    };
    const apps = await Promise.all(
      mine.map(async (grant) => {
        const client = grant.clientId ? await provider.Client.find(grant.clientId) : undefined;
        const redirect = client?.redirectUris?.[0];
        const last = await lastIssued(grant.id);
        return {
          grantId: grant.id,
          clientName: client?.clientName ?? grant.clientId ?? "?",
          redirectHost: redirect ? (URL.parse(redirect)?.host ?? redirect) : "—",
          scopes: scopesOf(grant),
          mayAllowWrite: Boolean(account?.canWrite) && !scopesOf(grant).includes(SCOPES.write),
          writeLeftOut: !scopesRejected(grant).includes(SCOPES.write)
            ? undefined
            : account?.canWrite
              ? ("declined" as const)
              : ("withheld" as const),
          grantedAt: grant.iat ? new Date(grant.iat * 1000) : undefined,
          lastUsedAt: last ? new Date(last * 1000) : undefined,
        };
      }),
    );
    return apps.sort((a, b) => (b.grantedAt?.getTime() ?? 0) - (a.grantedAt?.getTime() ?? 0));
  }

  async function showApps(ctx: Context, session: PageSession, notice?: (t: Strings) => string) {
    const account = await deps.accounts.find(session.sub);
    const apps = await appsOf(session.sub);
    const csrf = sessions.csrfFor(session);
    renderPage(ctx, 200, (t, nonce) =>
      connectedAppsPage(t, nonce, {
        csrf,
        name: account?.name ?? session.sub,
        login: account?.login ?? "",
        apps,
        ...(notice ? { notice: notice(t) } : {}),
      }),
    );
  }

  /** A form posted from a signed-in page: the session, or undefined after answering the request. */
  async function signedInPost(ctx: Context): Promise<PageSession | undefined> {
    const session = await sessions.posted(ctx);
    if (session) return session;
    ctx.redirect("/account");
    ctx.status = 303;
    return undefined;
  }

  router.get("/", async (ctx) => {
    const session = await sessions.read(ctx);
    if (session) await showApps(ctx, session);
    else signInForm(ctx, 200);
  });

  router.post("/login", form, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!sessions.signInCsrfValid(ctx, body.csrf)) {
      signInForm(ctx, 403, (t) => t.errorLead);
      return;
    }
    const credentials = postedCredentials(body);
    const checked = await checkSignIn(deps, ctx, {
      login: credentials.login,
      verify: odooVerification(deps.verifyLogin, credentials, ctx.ip),
      page: "account",
    });
    if (!checked.ok) {
      signInForm(ctx, checked.status, checked.error);
      return;
    }
    const account = await deps.accounts.save(checked.identity);
    await sessions.start(ctx, account.sub);
    logger.info({ event: "account_signed_in", sub: account.sub });
    ctx.status = 303;
    ctx.redirect("/account");
  });

  /** The person's own grant a form names, or undefined (anything else is answered as if already gone). */
  async function ownGrant(ctx: Context, session: PageSession) {
    const grantId = (ctx.request.body as Record<string, unknown>).grant_id;
    const grant = typeof grantId === "string" ? await storage.adapter("Grant").find(grantId) : undefined;
    if (!grant || grant.accountId !== session.sub) return undefined;
    const client = grant.clientId ? await provider.Client.find(grant.clientId) : undefined;
    return { grantId: grantId as string, grant, clientName: client?.clientName ?? String(grant.clientId) };
  }

  router.post("/revoke", form, async (ctx) => {
    const session = await signedInPost(ctx);
    if (!session) return;
    const own = await ownGrant(ctx, session);
    if (!own) {
      await showApps(ctx, session);
      return;
    }
    const { grantId, grant, clientName } = own;
    await deps.grants.revoke(grantId);
    logger.warn({
      event: "oauth_grant_revoked",
      by: "account",
      sub: session.sub,
      grant_id: grantId,
      client_id: grant.clientId,
    });
    await showApps(ctx, session, (t) => t.revoked(clientName));
  });

  /**
   * One change of an app's writing by its person: applied when `applies` holds for their own grant, logged,
   * and told on the page; anything else (another person's grant, nothing to change) only shows the page.
   */
  const changeWriting =
    (change: {
      applies(held: string[], account: StoredAccount | undefined): boolean;
      apply(grantId: string): Promise<unknown>;
      event: string;
      notice(t: Strings, clientName: string): string;
    }) =>
    async (ctx: Context) => {
      const session = await signedInPost(ctx);
      if (!session) return;
      const own = await ownGrant(ctx, session);
      if (!own || !change.applies(scopesOf(own.grant), await deps.accounts.find(session.sub))) {
        await showApps(ctx, session);
        return;
      }
      await change.apply(own.grantId);
      logger.warn({
        event: change.event,
        by: "account",
        sub: session.sub,
        grant_id: own.grantId,
        client_id: own.grant.clientId,
        scope: SCOPES.write,
      });
      await showApps(ctx, session, (t) => change.notice(t, own.clientName));
    };

  // Reading only from now on: writing is taken back from the grant and its current access tokens.
  router.post(
    "/read-only",
    form,
    changeWriting({
      applies: (held) => held.includes(SCOPES.write),
      apply: (grantId) => deps.grants.withdrawScopes(grantId, [SCOPES.write]),
      event: "oauth_scope_withdrawn",
      notice: (t, clientName) => t.madeReadOnly(clientName),
    }),
  );

  // Changing data too, from the app's next refresh (provider/refresh-scope.ts): the person's own decision,
  // for people Odoo lets write; what the app holds now is unchanged, so nothing ends.
  router.post(
    "/allow-write",
    form,
    changeWriting({
      applies: (held, account) => Boolean(account?.canWrite) && !held.includes(SCOPES.write),
      apply: (grantId) => deps.grants.extendScopes(grantId, [SCOPES.write]),
      event: "oauth_scope_extended",
      notice: (t, clientName) => t.allowedWrite(clientName),
    }),
  );

  router.post("/logout", form, async (ctx) => {
    const session = await signedInPost(ctx);
    if (!session) return;
    await sessions.end(ctx, session);
    ctx.status = 303;
    ctx.redirect("/account");
  });

  return router;
}
