/**
 * `/admin`: the operator's console, for Odoo administrators (the Settings group) or whoever holds the
 * admin token: clients, people and their grants, active tokens, recent sign-in failures; rotate the
 * ChatGPT secret, revoke a client, a person or everything. Server-rendered, no JavaScript.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import bodyParser from "@koa/bodyparser";
import Router from "@koa/router";
import type { Context } from "koa";
import type { AuthConfig } from "../config.js";
import type { GrantFilter, Grants } from "../grants/revoke.js";
import { CHATGPT_CLIENT_ID } from "../provider/clients.js";
import { unusedClientSeconds } from "../provider/registered-clients.js";
import { renderPage } from "../web/headers.js";
import type { Strings } from "../web/i18n.js";
import { type PageSession, pageSessions } from "../web/session.js";
import { checkSignIn, odooVerification, postedCredentials, type SignInPageDependencies } from "../web/sign-in.js";
import type { SignInFailureLog } from "../web/sign-in-failures.js";
import { type ConsoleSources, gatherConsoleData } from "./console-data.js";
import { consolePage, consoleSignInPage } from "./console-views.js";

export interface ConsoleDependencies extends SignInPageDependencies, ConsoleSources {
  config: AuthConfig;
  grants: Grants;
  adminDigest: Buffer;
  signInFailures: SignInFailureLog;
}

/** The subject of a console session opened with the admin token rather than an Odoo account. */
const TOKEN_HOLDER = "admin-token";

export function consoleRoutes(deps: ConsoleDependencies): Router {
  const { grants, logger } = deps;
  const router = new Router({ prefix: "/admin" });
  const form = bodyParser({ enableTypes: ["form"], formLimit: "16kb" });
  const sessions = pageSessions("admin", "/admin", deps.csrfSecret, deps.storage);
  const odooHost = new URL(deps.odooUrl).host;

  /** The sign-in page; after a failed Odoo sign-in, with the login typed kept. */
  function signInForm(ctx: Context, status: number, error?: (t: Strings) => string, login?: string) {
    const csrf = sessions.signInCsrf(ctx);
    renderPage(ctx, status, (t, nonce) =>
      consoleSignInPage(t, nonce, {
        csrf,
        odooHost,
        ...(error ? { error: error(t) } : {}),
        ...(login ? { login } : {}),
      }),
    );
  }

  async function overview(
    ctx: Context,
    session: PageSession,
    said: { notice?: (t: Strings) => string; newSecret?: string } = {},
  ) {
    const { clients, people, tokens } = await gatherConsoleData(deps);
    const csrf = sessions.csrfFor(session);
    renderPage(ctx, 200, (t, nonce) =>
      consolePage(t, nonce, {
        csrf,
        clients,
        people,
        tokens,
        registration: {
          count: clients.filter((client) => client.kind === "registered").flatMap((client) => client.ids).length,
          max: deps.config.DCR_MAX_CLIENTS,
          ttlDays: Math.round(deps.config.DCR_CLIENT_TTL / 86_400),
          unusedHours: Math.round(unusedClientSeconds(deps.config) / 3600),
        },
        failures: deps.signInFailures.recent(),
        ...(said.notice ? { notice: said.notice(t) } : {}),
        ...(said.newSecret ? { newSecret: said.newSecret } : {}),
      }),
    );
  }

  /** A console form: its session when the CSRF token matches, else back to the console. */
  async function posted(ctx: Context): Promise<PageSession | undefined> {
    const session = await sessions.posted(ctx);
    if (!session) {
      ctx.status = 303;
      ctx.redirect("/admin");
    }
    return session;
  }

  async function opened(ctx: Context, sub: string) {
    await sessions.start(ctx, sub);
    logger.warn({ event: "admin_signed_in", sub, ip: ctx.ip });
    ctx.status = 303;
    ctx.redirect("/admin");
  }

  router.get("/", async (ctx) => {
    const session = await sessions.read(ctx);
    if (session) await overview(ctx, session);
    else signInForm(ctx, 200);
  });

  router.post("/login", form, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!sessions.signInCsrfValid(ctx, body.csrf)) return signInForm(ctx, 403, (t) => t.errorLead);
    const credentials = postedCredentials(body);
    const checked = await checkSignIn(deps, ctx, {
      login: credentials.login,
      verify: odooVerification(deps.verifyLogin, credentials, ctx.ip),
      required: { holds: (identity) => identity.isAdmin, error: (t) => t.notAdmin },
      page: "admin",
    });
    if (!checked.ok) return signInForm(ctx, checked.status, checked.error, credentials.login);
    const account = await deps.accounts.save(checked.identity);
    await opened(ctx, account.sub);
  });

  router.post("/token", form, async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    if (!sessions.signInCsrfValid(ctx, body.csrf)) return signInForm(ctx, 403, (t) => t.errorLead);
    const token = typeof body.token === "string" ? body.token : "";
    const checked = await checkSignIn(deps, ctx, {
      login: TOKEN_HOLDER,
      verify: async () =>
        timingSafeEqual(createHash("sha256").update(token).digest(), deps.adminDigest)
          ? { ok: true, identity: TOKEN_HOLDER }
          : { ok: false, reason: "rejected" },
      page: "admin",
      throttleByAddressOnly: true,
    });
    if (!checked.ok) return signInForm(ctx, checked.status, checked.error);
    await opened(ctx, TOKEN_HOLDER);
  });

  router.post("/rotate-secret", form, async (ctx) => {
    const session = await posted(ctx);
    if (!session) return;
    const secret = await grants.rotateChatgptSecret();
    logger.warn({ event: "oauth_client_secret_rotated", client_id: CHATGPT_CLIENT_ID, by: session.sub });
    await overview(ctx, session, { newSecret: secret });
  });

  const revoke = (path: string, filterOf: (body: Record<string, unknown>) => GrantFilter | undefined) =>
    router.post(`/${path}`, form, async (ctx) => {
      const session = await posted(ctx);
      if (!session) return;
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      const filter = filterOf(body);
      let count = 0;
      if (filter && "client_id" in filter) {
        // The whole app: every registration of a client that registered again. A registered client is
        // also unregistered: it would otherwise just ask again.
        const { clients } = await gatherConsoleData(deps);
        const posted = filter.client_id as string;
        const app = clients.find((client) => client.ids.includes(posted));
        for (const id of app?.ids ?? [posted]) count += await grants.revokeClient(id, app?.kind === "registered");
      } else if (filter) count = await grants.revokeMatching(filter);
      logger.warn({ event: "oauth_grant_revoked", by: session.sub, via: "admin console", grants: count, ...filter });
      await overview(ctx, session, { notice: (t) => t.revokedCount(count) });
    });
  const field = (body: Record<string, unknown>, name: string) =>
    typeof body[name] === "string" && body[name] ? (body[name] as string) : undefined;
  revoke("revoke-client", (body) =>
    field(body, "client_id") ? { client_id: field(body, "client_id") as string } : undefined,
  );
  revoke("revoke-user", (body) => (field(body, "sub") ? { sub: field(body, "sub") as string } : undefined));
  revoke("revoke-all", () => ({ all: true }));

  router.post("/logout", form, async (ctx) => {
    const session = await posted(ctx);
    if (!session) return;
    await sessions.end(ctx, session);
    ctx.status = 303;
    ctx.redirect("/admin");
  });

  return router;
}
