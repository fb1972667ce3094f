/**
 * An app's name as every page shows it: the name in `.client`, then who stands behind it. A name the app
 * gave itself is marked unverified; a metadata-document client shows its verified address; the operator's
 * own client needs no mark.
 */
import type { ClientIdentity } from "../provider/client-identity.js";
import { html, type SafeHtml } from "./html.js";
import type { Strings } from "./i18n.js";

export function appName(t: Strings, identity: ClientIdentity): SafeHtml {
  return html`<span class="client">${identity.name}</span>${vouchMark(t, identity)}`;
}

/** The mark alone, for a sentence that already names the app. */
export function vouchMark(t: Strings, { vouched }: ClientIdentity): SafeHtml | "" {
  if (vouched.by === "nobody") return html`<small class="vouch" data-vouched="nobody">${t.unverifiedName}</small>`;
  if (vouched.by === "origin")
    return html`<small class="vouch" data-vouched="origin">${t.verifiedOrigin(vouched.host)}</small>`;
  return "";
}
