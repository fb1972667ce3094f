/**
 * `/account`: a person signs in with Odoo credentials, sees every app they allowed (from the stored
 * grants) and the scopes each holds, lets an app only read from now on, lets a reading app also change
 * data (from its next refresh), or revokes it: grant and tokens end at once, and the MCP replicas are told.
 * Re-registrations of one client are one app (provider/client-identity.ts): what is done to the app is
 * done to each of its grants.
 */
import bodyParser from "@koa/bodyparser";
import Router from "@koa/router";
import { SCOPES } from "@odoo-mcp/shared";
import type { Context } from "koa";
import type { Provider } from "oidc-provider";
import type { Grants } from "../grants/revoke.js";
import { scopesOf, scopesRejected } from "../grants/scopes.js";
import type { AccountStore } from "../provider/accounts.js";
import { type ClientIdentity, clientIdentity, groupByApp } from "../provider/client-identity.js";
import type { IndexedStorage, StoredPayload } from "../storage/contract.js";
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

/** One app of the person: its grants (one per registration of the client, newest first). */
interface PersonsApp {
  identity: ClientIdentity;
  redirectUris: readonly string[];
  grants: StoredPayload[];
}

export function accountRoutes(deps: AccountDependencies): Router {
  const { provider, storage, logger } = deps;
  const router = new Router({ prefix: "/account" });
  const form = bodyParser({ enableTypes: ["form"], formLimit: "16kb" });
  const odooHost = new URL(deps.odooUrl).host;

  const sessions = pageSessions("account", "/account", deps.csrfSecret, storage);

  /** The sign-in page; after a failed sign-in, with the login typed kept. */
  function signInForm(ctx: Context, status: number, error?: (t: Strings) => string, login?: string) {
    const csrf = sessions.signInCsrf(ctx);
    renderPage(ctx, status, (t, styleNonce) =>
      accountSignInPage(t, styleNonce, {
        csrf,
        odooHost,
        ...(error ? { error: error(t) } : {}),
        ...(login ? { login } : {}),
      }),
    );
  }

  /** The person's apps: their grants grouped by the app each grant's client is, newest grant first. */
  async function appsOf(sub: string): Promise<PersonsApp[]> {
    const mine = await deps.grants.ofAccount(sub);
    const withClients = await Promise.all(
      mine.map(async (grant) => {
        const clientId = String(grant.clientId ?? "?");
        const client = grant.clientId ? await provider.Client.find(clientId) : undefined;
        const facts = { clientId, clientName: client?.clientName, redirectUris: client?.redirectUris };
        return { grant, redirectUris: client?.redirectUris ?? [], identity: clientIdentity(facts) };
      }),
    );
    withClients.sort((a, b) => (b.grant.iat ?? 0) - (a.grant.iat ?? 0));
    return groupByApp(withClients, (entry) => entry.identity).map(({ identity, items }) => ({
      identity,
      redirectUris: items[0]?.redirectUris ?? [],
      grants: items.map((entry) => entry.grant),
    }));
  }

  /** When a grant last got a token: the newest issued access or refresh token. */
  async function lastIssued(grantId: string): Promise<number> {
    const tokens = await Promise.all(
      ["AccessToken", "RefreshToken"].map((model) => storage.listByGrantId(model, grantId)),
    );
    return Math.max(0, ...tokens.flat().map((token) => token.iat ?? 0));
  }

  /** What the page shows of an app: what its grants hold together, first allowed, last used. */
  async function shown(app: PersonsApp, canWrite: boolean | undefined): Promise<ConnectedApp> {
    const scopes = [...new Set(app.grants.flatMap(scopesOf))];
    const lastUsed = Math.max(0, ...(await Promise.all(app.grants.map((grant) => lastIssued(grant.id)))));
    const firstAllowed = Math.min(...app.grants.map((grant) => grant.iat ?? Infinity));
    const redirect = app.redirectUris[0];
    const writeRejected = app.grants.some((grant) => scopesRejected(grant).includes(SCOPES.write));
    return {
      grantId: (app.grants[0] as StoredPayload).id,
      identity: app.identity,
      registrations: new Set(app.grants.map((grant) => grant.clientId)).size,
      redirectHost: redirect ? (URL.parse(redirect)?.host ?? redirect) : "—",
      scopes,
      mayAllowWrite: Boolean(canWrite) && !scopes.includes(SCOPES.write),
      writeLeftOut: scopes.includes(SCOPES.write) || !writeRejected ? undefined : canWrite ? "declined" : "withheld",
      grantedAt: Number.isFinite(firstAllowed) ? new Date(firstAllowed * 1000) : undefined,
      lastUsedAt: lastUsed ? new Date(lastUsed * 1000) : undefined,
    };
  }

  async function showApps(ctx: Context, session: PageSession, notice?: (t: Strings) => string) {
    const account = await deps.accounts.find(session.sub);
    const apps = await Promise.all((await appsOf(session.sub)).map((app) => shown(app, account?.canWrite)));
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
      signInForm(ctx, checked.status, checked.error, credentials.login);
      return;
    }
    const account = await deps.accounts.save(checked.identity);
    await sessions.start(ctx, account.sub);
    logger.info({ event: "account_signed_in", sub: account.sub });
    ctx.status = 303;
    ctx.redirect("/account");
  });

  /**
   * The person's own app holding the grant a form names, or undefined: another person's grant is
   * answered as if already gone.
   */
  async function ownApp(ctx: Context, session: PageSession): Promise<PersonsApp | undefined> {
    const grantId = (ctx.request.body as Record<string, unknown>).grant_id;
    if (typeof grantId !== "string") return undefined;
    return (await appsOf(session.sub)).find((app) => app.grants.some((grant) => grant.id === grantId));
  }

  router.post("/revoke", form, async (ctx) => {
    const session = await signedInPost(ctx);
    if (!session) return;
    const app = await ownApp(ctx, session);
    if (!app) {
      await showApps(ctx, session);
      return;
    }
    for (const grant of app.grants) {
      await deps.grants.revoke(grant.id);
      logger.warn({
        event: "oauth_grant_revoked",
        by: "account",
        sub: session.sub,
        grant_id: grant.id,
        client_id: grant.clientId,
      });
    }
    await showApps(ctx, session, (t) => t.revoked(app.identity.name));
  });

  /**
   * One change of an app's writing by its person: applied to each of their own grants of the app where
   * `applies` holds, logged, and told on the page; anything else (another person's app, nothing to
   * change) only shows the page.
   */
  const changeWriting =
    (change: {
      applies(held: string[], canWrite: boolean): boolean;
      apply(grantId: string): Promise<unknown>;
      event: string;
      notice(t: Strings, appName: string): string;
    }) =>
    async (ctx: Context) => {
      const session = await signedInPost(ctx);
      if (!session) return;
      const app = await ownApp(ctx, session);
      const canWrite = Boolean((await deps.accounts.find(session.sub))?.canWrite);
      const changing = app?.grants.filter((grant) => change.applies(scopesOf(grant), canWrite)) ?? [];
      if (!app || changing.length === 0) {
        await showApps(ctx, session);
        return;
      }
      for (const grant of changing) {
        await change.apply(grant.id);
        logger.warn({
          event: change.event,
          by: "account",
          sub: session.sub,
          grant_id: grant.id,
          client_id: grant.clientId,
          scope: SCOPES.write,
        });
      }
      await showApps(ctx, session, (t) => change.notice(t, app.identity.name));
    };

  // Reading only from now on: writing is taken back from the app's grants and their current access tokens.
  router.post(
    "/read-only",
    form,
    changeWriting({
      applies: (held) => held.includes(SCOPES.write),
      apply: (grantId) => deps.grants.withdrawScopes(grantId, [SCOPES.write]),
      event: "oauth_scope_withdrawn",
      notice: (t, name) => t.madeReadOnly(name),
    }),
  );

  // Changing data too, from the app's next refresh (provider/refresh-scope.ts): the person's own decision,
  // for people Odoo lets write; what the app holds now is unchanged, so nothing ends.
  router.post(
    "/allow-write",
    form,
    changeWriting({
      applies: (held, canWrite) => canWrite && !held.includes(SCOPES.write),
      apply: (grantId) => deps.grants.extendScopes(grantId, [SCOPES.write]),
      event: "oauth_scope_extended",
      notice: (t, name) => t.allowedWrite(name),
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
