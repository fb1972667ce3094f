/** The sign-out pages (RP-initiated logout): a confirmation a person must click, and the page after it. */
import type { ClientIdentity } from "../provider/client-identity.js";
import { vouchMark } from "./app-name.js";
import { html } from "./html.js";
import type { Strings } from "./i18n.js";
import { layout } from "./layout.js";

export interface SignOutView {
  nonce: string;
  /** oidc-provider's confirmation endpoint and the anti-forgery value it checks. */
  action: string;
  xsrf: string;
  /** The person signed in in this browser; none when nobody is. */
  account?: { name: string; login: string };
  /** The client that asked for the sign-out, when it named itself. */
  client?: ClientIdentity;
  /** Where the browser goes afterwards (a registered post-logout URI's host or scheme). */
  destination?: string;
}

/**
 * Asks before anything happens. Signed in: "Sign out" ends the sign-in; when a client asked, "Stay signed
 * in" keeps it and only ends that client's part, as RP-initiated logout says (without a client there is
 * nothing to end but the sign-in, and leaving the page is staying). Signed out: the only thing to do is
 * to continue to the client, by a click too. No script: nothing submits by itself.
 */
export function signOutPage(t: Strings, view: SignOutView): string {
  const destination = view.destination ? html`<p>${t.redirectNote(view.destination)}</p>` : "";
  if (!view.account) {
    return layout(
      t,
      view.nonce,
      t.notSignedInTitle,
      html`<h1>${t.notSignedInTitle}</h1>
<p>${t.notSignedInLead}</p>
${
  view.destination
    ? html`<form method="post" action="${view.action}">
  <input type="hidden" name="xsrf" value="${view.xsrf}">
  <input type="hidden" name="logout" value="yes">
  <div class="actions"><button class="primary" type="submit">${t.continueTo(view.destination)}</button></div>
</form>`
    : ""
}`,
    );
  }
  return layout(
    t,
    view.nonce,
    t.signOutTitle,
    html`<h1>${t.signOutTitle}</h1>
<p>${t.signedInAs(view.account.name, view.account.login)}</p>
${view.client ? html`<p>${t.signOutAsked(view.client.name)}${vouchMark(t, view.client)}</p>` : ""}
${destination}
<div class="notice" role="note">${t.signOutKeepsApps}</div>
<form method="post" action="${view.action}">
  <input type="hidden" name="xsrf" value="${view.xsrf}">
  <div class="actions">
    ${view.client ? html`<button class="secondary" type="submit">${t.staySignedIn}</button>` : ""}
    <button class="primary" type="submit" name="logout" value="yes">${t.signOut}</button>
  </div>
</form>
<small><a href="/account">${t.appsTitle}</a></small>`,
  );
}

/** After the sign-out, when the client gave no URI to return to; `stayedFor` when the person stayed signed in. */
export function signedOutPage(t: Strings, nonce: string, stayedFor?: string): string {
  const title = stayedFor ? t.stillSignedInTitle : t.signedOutTitle;
  return layout(
    t,
    nonce,
    title,
    html`<h1>${title}</h1>
<p>${stayedFor ? t.stillSignedInLead(stayedFor) : t.signedOutLead}</p>
<small><a href="/account">${t.appsTitle}</a></small>`,
  );
}
