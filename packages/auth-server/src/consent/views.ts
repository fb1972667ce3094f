/** The consent flow's pages: sign-in for an authorization request, then the consent itself. */
import type { ClientIdentity } from "../provider/client-identity.js";
import { appName, vouchMark } from "../web/app-name.js";
import { html } from "../web/html.js";
import type { Strings } from "../web/i18n.js";
import { credentialsForm, layout } from "../web/layout.js";
import type { ScopeChoice } from "./choices.js";

export interface LoginView {
  nonce: string;
  uid: string;
  csrf: string;
  client: ClientIdentity;
  odooHost: string;
  /** The person's secret is used over JSON-2 afterwards: only an API key will do, and the page says so. */
  apiKeysOnly: boolean;
  login?: string;
  error?: string;
}

export function loginPage(t: Strings, view: LoginView): string {
  return layout(
    t,
    view.nonce,
    t.signInTitle,
    html`<h1>${t.signInTitle}</h1>
<p>${t.signInLead(view.client.name, view.odooHost)}${vouchMark(t, view.client)}</p>
${view.apiKeysOnly && !view.error ? html`<div class="notice" role="note">${t.apiKeysOnly}</div>` : ""}
${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ""}
${credentialsForm(t, `/interaction/${view.uid}/login`, view.csrf, view.login)}
<form method="post" action="/interaction/${view.uid}/abort">
  <input type="hidden" name="csrf" value="${view.csrf}">
  <div class="actions"><button class="secondary" type="submit">${t.cancel}</button></div>
</form>
<small>${t.internalOnly}</small>`,
  );
}

export interface ConsentView {
  nonce: string;
  uid: string;
  csrf: string;
  client: ClientIdentity;
  redirectHost: string;
  accountName: string;
  accountLogin: string;
  /** The resource scopes offered, in the order to show them: the required one given, the others checkboxes. */
  choices: ScopeChoice[];
  /** The app already reads and now asks to change data too. */
  stepUp: boolean;
  /** The other scopes asked for (sign-in, staying connected): listed, not choices. */
  otherScopes: string[];
  /**
   * Why `odoo:write`, asked for, is not offered: the person's Odoo rights, or a server that only reads
   * (service mode without ODOO_SERVICE_WRITES).
   */
  writeWithheld: "rights" | "server" | undefined;
}

export function consentPage(t: Strings, view: ConsentView): string {
  const title = t.consentTitle(view.client.name);
  return layout(
    t,
    view.nonce,
    title,
    html`<h1>${title}</h1>
<p>${t.signedInAs(view.accountName, view.accountLogin)}</p>
<p class="app">${appName(t, view.client)}</p>
<p>${t.redirectNote(view.redirectHost)}</p>
<form method="post" action="/interaction/${view.uid}/confirm">
  <input type="hidden" name="csrf" value="${view.csrf}">
  <input type="hidden" name="scope_choice" value="1">
  ${view.stepUp ? html`<div class="notice" role="status" data-step-up>${t.stepUp(view.client.name)}</div>` : ""}
  <p>${t.willBeAbleTo}</p>
  <ul class="scopes">${view.choices.map((choice) =>
    choice.required
      ? html`<li data-scope="${choice.scope}">${t.scopes[choice.scope] ?? choice.scope}<small>${t.scopeNeeded}</small></li>`
      : html`<li class="choice" data-scope="${choice.scope}"><label>
      <input type="checkbox" name="scope" value="${choice.scope}"${choice.checked ? html` checked` : ""}>
      <span>${t.scopes[choice.scope] ?? choice.scope}</span></label></li>`,
  )}${view.otherScopes.map((scope) => html`<li data-scope="${scope}">${t.scopes[scope] ?? scope}</li>`)}</ul>
  ${view.writeWithheld ? html`<div class="notice" role="note">${(view.writeWithheld === "server" ? t.serverReadOnly : t.withheld)(view.client.name)}</div>` : ""}
  <div class="actions">
    <button class="secondary" type="submit" formaction="/interaction/${view.uid}/abort" formnovalidate>${t.deny}</button>
    <button class="primary" type="submit">${t.allow}</button>
  </div>
</form>
<small>${view.choices.length > 1 ? t.chooseLater : t.revokeLater}</small>`,
  );
}
