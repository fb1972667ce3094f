/**
 * RP-initiated logout (`/oauth/logout`) with our own pages. A link to it can no longer sign a person
 * out or send them anywhere by itself:
 * - the post-logout URI must be registered by the client and pass the redirect policy (clients.ts);
 * - signed in, oidc-provider's `logoutSource` shows our confirmation page; signed out, oidc-provider would
 *   answer a page that submits itself with a script, which is replaced here by a page with a button;
 * - every page carries the strict CSP of the other pages (no script at all, no framing), so even a page
 *   that slipped through could not submit itself; its `form-action` allows the post-logout URI's origin
 *   only, for the redirect that follows the click.
 * Signing out ends the browser session, and the person's /account and /admin sessions with it (on the
 * server: a copied cookie stops working), and in user mode the Odoo credentials kept for the browser
 * session. Grants, their tokens and, in user mode, each grant's sealed Odoo credentials stay, since
 * tokens outlive the session by design (`expiresWithSession` is false) and other apps keep working.
 * Access is taken back per app (its revocation, /account, the admin console).
 */
import type { Context } from "koa";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import type { Storage } from "../storage/contract.js";
import { newNonce, setPageHeaders } from "../web/headers.js";
import { stringsFor } from "../web/i18n.js";
import { endPageSessionsOf } from "../web/session.js";
import { signedOutPage, signOutPage } from "../web/sign-out-pages.js";
import type { AccountStore } from "./accounts.js";
import { clientIdentity } from "./client-identity.js";
import type { CredentialVault } from "./odoo-credentials.js";

/** What a person is told they will reach: the host of a web URI, else the private-use scheme. */
function destinationOf(uri: URL): string {
  return uri.protocol === "http:" || uri.protocol === "https:" ? uri.host : uri.protocol;
}

/** The CSP source that lets the confirmation's redirect reach the post-logout URI. */
function formTargetOf(uri: URL): string {
  return uri.protocol === "http:" || uri.protocol === "https:" ? uri.origin : uri.protocol;
}

async function renderSignOut(ctx: KoaContextWithOIDC, accounts: AccountStore): Promise<void> {
  const { oidc } = ctx;
  const xsrf = String((oidc.session?.state as { secret?: unknown } | undefined)?.secret ?? "");
  const accountId = oidc.session?.accountId;
  const account = accountId ? await accounts.find(accountId) : undefined;
  const returnTo = URL.parse(String(oidc.params?.post_logout_redirect_uri ?? ""));
  const nonce = newNonce();
  setPageHeaders(ctx as unknown as Context, nonce, returnTo ? [formTargetOf(returnTo)] : []);
  ctx.type = "html";
  ctx.body = signOutPage(stringsFor(ctx.get("accept-language")), {
    nonce,
    action: oidc.urlFor("end_session_confirm"),
    xsrf,
    ...(accountId ? { account: { name: account?.name ?? accountId, login: account?.login ?? accountId } } : {}),
    ...(oidc.client ? { client: clientIdentity(oidc.client) } : {}),
    ...(returnTo ? { destination: destinationOf(returnTo) } : {}),
  });
}

/** `features.rpInitiatedLogout`: our confirmation page and our page after the sign-out. */
export function signOutPages(accounts: AccountStore) {
  return {
    logoutSource: async (ctx: KoaContextWithOIDC, _form: string) => renderSignOut(ctx, accounts),
    postLogoutSuccessSource: async (ctx: KoaContextWithOIDC) => {
      const nonce = newNonce();
      setPageHeaders(ctx as unknown as Context, nonce);
      ctx.type = "html";
      // oidc-provider names the client here only when the person stayed signed in.
      const client = ctx.oidc.client;
      ctx.body = signedOutPage(
        stringsFor(ctx.get("accept-language")),
        nonce,
        client ? (client.clientName ?? client.clientId) : undefined,
      );
    },
  };
}

/**
 * Nobody signed in: oidc-provider answers `/oauth/logout` with a form that a script submits at once,
 * straight on to the post-logout URI. That answer is replaced with our page, where a click continues.
 */
export function confirmSignOutWithoutSession(provider: Provider, accounts: AccountStore): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
    if (oidc?.route !== "end_session" || ctx.status !== 200 || oidc.session?.accountId) return;
    await renderSignOut(ctx as KoaContextWithOIDC, accounts);
  });
}

/**
 * What else ends when a person signs out of the authorization server (`logout=yes`): their /account and
 * /admin sessions, and in user mode the Odoo credentials sealed for the browser session (odoo-credentials.ts).
 */
export function endWithSignOut(provider: Provider, storage: Storage, vault: CredentialVault | undefined): void {
  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as Partial<KoaContextWithOIDC>).oidc;
    const session = oidc?.session as (KoaContextWithOIDC["oidc"]["session"] & { destroyed?: boolean }) | undefined;
    if (oidc?.route !== "end_session_confirm" || !session?.destroyed || !session.accountId) return;
    await endPageSessionsOf(storage, session.accountId);
    await vault?.removeForSession(session.uid);
  });
}
