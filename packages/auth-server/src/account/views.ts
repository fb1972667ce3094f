/**
 * The connected-apps pages: sign in, then each app the person allowed, its scopes, and buttons to let it
 * only read, let it also change data, or revoke it.
 */
import type { ClientIdentity } from "../provider/client-identity.js";
import { appName } from "../web/app-name.js";
import { html } from "../web/html.js";
import type { Strings } from "../web/i18n.js";
import { credentialsForm, layout } from "../web/layout.js";

export interface ConnectedApp {
  /** The app's newest grant: a form naming it acts on every grant of the app. */
  grantId: string;
  identity: ClientIdentity;
  /** How many registrations of the client the person allowed (a client registers again per folder or profile). */
  registrations: number;
  redirectHost: string;
  scopes: string[];
  /** The app only reads and the person may let it write: "Let it also change and delete data" is offered. */
  mayAllowWrite: boolean;
  /**
   * Why the grant lacks odoo:write, when it does: the person declined it (at consent or here), or Odoo
   * does not let them change records (refused at consent, or withdrawn since).
   */
  writeLeftOut: "declined" | "withheld" | undefined;
  grantedAt: Date | undefined;
  lastUsedAt: Date | undefined;
}

const when = (t: Strings, date: Date | undefined) =>
  date ? `${date.toLocaleString(t.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC` : "—";

/** A button acting on one app's grants (`/account/<action>`), with a note above it when it needs saying. */
const appForm = (csrf: string, app: ConnectedApp, action: string, label: string, note?: string) =>
  html`<form method="post" action="/account/${action}">
    <input type="hidden" name="csrf" value="${csrf}">
    <input type="hidden" name="grant_id" value="${app.grantId}">
    ${note ? html`<p class="note">${note}</p>` : ""}
    <div class="actions"><button class="secondary" type="submit">${label}</button></div>
  </form>`;

export function accountSignInPage(
  t: Strings,
  nonce: string,
  view: { csrf: string; odooHost: string; login?: string; error?: string },
) {
  return layout(
    t,
    nonce,
    t.accountSignInTitle,
    html`<h1>${t.accountSignInTitle}</h1>
<p>${t.accountSignInLead(view.odooHost)}</p>
${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ""}
${credentialsForm(t, "/account/login", view.csrf, view.login)}`,
  );
}

export function connectedAppsPage(
  t: Strings,
  nonce: string,
  view: { csrf: string; name: string; login: string; apps: ConnectedApp[]; notice?: string },
) {
  return layout(
    t,
    nonce,
    t.appsTitle,
    html`<h1>${t.appsTitle}</h1>
<p>${t.appsLead(view.name, view.login)}</p>
${view.notice ? html`<div class="notice" role="status">${view.notice}</div>` : ""}
${
  view.apps.length === 0
    ? html`<p>${t.noApps}</p>`
    : html`<ul class="apps">${view.apps.map(
        (app) => html`<li data-grant="${app.grantId}">
  ${appName(t, app.identity)}
  ${app.registrations > 1 ? html`<p class="note" data-registrations="${app.registrations}">${t.registeredTimes(app.registrations)}</p>` : ""}
  <dl>
    <dt>${t.returnsTo}</dt><dd>${app.redirectHost}</dd>
    <dt>${t.grantedOn}</dt><dd>${when(t, app.grantedAt)}</dd>
    <dt>${t.lastUsed}</dt><dd>${when(t, app.lastUsedAt)}</dd>
  </dl>
  <ul class="scopes">${app.scopes.map((scope) => html`<li data-scope="${scope}">${t.scopes[scope] ?? scope}</li>`)}</ul>
  ${
    app.writeLeftOut === "withheld"
      ? html`<p class="note" data-withheld="odoo:write">${t.withheld(app.identity.name)}</p>`
      : app.writeLeftOut === "declined"
        ? html`<p class="note" data-declined="odoo:write">${t.declinedWrite(app.identity.name)}</p>`
        : ""
  }
  ${app.scopes.includes("odoo:write") ? appForm(view.csrf, app, "read-only", t.makeReadOnly, t.readOnlyExplained) : ""}
  ${app.mayAllowWrite ? appForm(view.csrf, app, "allow-write", t.allowWrite, t.allowWriteExplained) : ""}
  ${appForm(view.csrf, app, "revoke", t.revoke)}
</li>`,
      )}</ul>`
}
<form method="post" action="/account/logout">
  <input type="hidden" name="csrf" value="${view.csrf}">
  <div class="actions"><button class="secondary" type="submit">${t.signOut}</button></div>
</form>`,
  );
}
