/** The admin console's pages: sign-in (Odoo administrator or admin token) and the overview with its actions. */
import type { ClientIdentity } from "../provider/client-identity.js";
import { appName } from "../web/app-name.js";
import { html, type SafeHtml } from "../web/html.js";
import type { Strings } from "../web/i18n.js";
import { credentialsForm, layout } from "../web/layout.js";
import type { SignInFailure } from "../web/sign-in-failures.js";

/** One app: a client, or every registration of a client that registered again. */
export interface ClientRow {
  ids: string[];
  identity: ClientIdentity;
  kind: "preconfigured" | "registered" | "metadata document" | "static";
  redirectHosts: string[];
  grants: number;
  lastUsedAt: Date | undefined;
}

export interface PersonRow {
  sub: string;
  name: string;
  login: string;
  apps: { identity: ClientIdentity; registrations: number; scopes: string[]; grantedAt: Date | undefined }[];
}

export interface ConsoleView {
  csrf: string;
  clients: ClientRow[];
  people: PersonRow[];
  tokens: { access: number; refresh: number };
  /** Dynamic registration: how many registered clients exist, the cap, how long clients live without tokens. */
  registration: { count: number; max: number; ttlDays: number; unusedHours: number };
  failures: readonly SignInFailure[];
  notice?: string;
  newSecret?: string;
}

const stamp = (date: Date | undefined) => (date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—");

/**
 * A client id as a person can scan it on any screen: a metadata-document URL without its scheme, and a
 * long id cut in the middle (its start and end tell ids apart); the whole id is in the title.
 */
const SHOWN_ID = 22;
function shortId(id: string): SafeHtml {
  const bare = id.replace(/^https:\/\//, "");
  const shown = bare.length > SHOWN_ID ? `${bare.slice(0, SHOWN_ID - 8)}…${bare.slice(-7)}` : bare;
  return html`<code title="${id}">${shown}</code>`;
}

function clientIds(t: Strings, ids: string[]): SafeHtml {
  return ids.length === 1
    ? shortId(ids[0] as string)
    : html`${shortId(ids[0] as string)}<small>${t.registrations(ids.length)}</small>`;
}

/** A one-button form posting to the console, with the CSRF token and hidden fields. */
function action(csrf: string, path: string, label: string, fields: Record<string, string> = {}): SafeHtml {
  return html`<form method="post" action="/admin/${path}">
  <input type="hidden" name="csrf" value="${csrf}">
  ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <div class="actions"><button class="secondary" type="submit">${label}</button></div>
</form>`;
}

export function consoleSignInPage(
  t: Strings,
  nonce: string,
  view: { csrf: string; odooHost: string; login?: string; error?: string },
) {
  return layout(
    t,
    nonce,
    t.adminTitle,
    html`<h1>${t.adminTitle}</h1>
<p>${t.adminSignInLead(view.odooHost)}</p>
${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ""}
${credentialsForm(t, "/admin/login", view.csrf, view.login)}
<form method="post" action="/admin/token">
  <input type="hidden" name="csrf" value="${view.csrf}">
  <label for="token">${t.adminToken}</label>
  <input type="password" id="token" name="token" autocomplete="off" required>
  <div class="actions"><button class="secondary" type="submit">${t.useAdminToken}</button></div>
</form>`,
  );
}

export function consolePage(t: Strings, nonce: string, view: ConsoleView) {
  const { csrf } = view;
  return layout(
    t,
    nonce,
    t.adminTitle,
    html`<h1>${t.adminTitle}</h1>
${view.notice ? html`<div class="notice" role="status">${view.notice}</div>` : ""}
${view.newSecret ? html`<div class="notice" role="status">${t.rotated} <code data-secret>${view.newSecret}</code></div>` : ""}
<p>${t.activeTokens(view.tokens.access, view.tokens.refresh)}</p>

<h2>${t.clients}</h2>
<p data-registration>${t.registrationLimits(view.registration.count, view.registration.max, view.registration.ttlDays, view.registration.unusedHours)}</p>
<p>${t.revokeClientExplained}</p>
<table class="stack">
<thead><tr><th>${t.name}</th><th>${t.clientId}</th><th>${t.kind}</th><th>${t.returnsTo}</th><th>${t.grants}</th><th>${t.lastUsed}</th><th></th></tr></thead>
<tbody>${view.clients.map(
      (client) => html`<tr data-client="${client.ids[0]}" data-registrations="${client.ids.length}">
  <td>${appName(t, client.identity)}</td>
  <td data-label="${t.clientId}">${clientIds(t, client.ids)}</td>
  <td data-label="${t.kind}">${t.clientKinds[client.kind] ?? client.kind}</td>
  <td data-label="${t.returnsTo}">${client.redirectHosts.join(", ") || "—"}</td>
  <td data-label="${t.grants}" data-grants>${client.grants}</td>
  <td data-label="${t.lastUsed}">${stamp(client.lastUsedAt)}</td>
  <td>${client.kind === "static" ? "" : action(csrf, "revoke-client", t.revokeClient, { client_id: client.ids[0] as string })}</td>
</tr>`,
    )}</tbody>
</table>
${action(csrf, "rotate-secret", t.rotateSecret)}

<h2>${t.people}</h2>
${
  view.people.length === 0
    ? html`<p>${t.noGrants}</p>`
    : html`<p>${t.revokeUserExplained}</p>
<table class="stack">
<thead><tr><th>${t.name}</th><th>${t.grants}</th><th></th></tr></thead>
<tbody>${view.people.map(
        (person) => html`<tr data-sub="${person.sub}">
  <td><span class="client">${person.name}</span><small>${person.login}</small></td>
  <td>${person.apps.map(
    (app) =>
      html`<div class="grant">${appName(t, app.identity)}<small>${app.registrations > 1 ? `${t.registrations(app.registrations)} · ` : ""}${app.scopes.join(" ")} · ${stamp(app.grantedAt)}</small></div>`,
  )}</td>
  <td>${action(csrf, "revoke-user", t.revokeUser, { sub: person.sub })}</td>
</tr>`,
      )}</tbody>
</table>`
}

<h2>${t.failures}</h2>
${
  view.failures.length === 0
    ? html`<p>${t.noFailures}</p>`
    : html`<table class="stack">
<thead><tr><th>${t.when}</th><th>${t.login}</th><th>${t.address}</th><th>${t.reason}</th><th>${t.where}</th></tr></thead>
<tbody>${view.failures.map(
        (failure) =>
          html`<tr class="failure"><td data-label="${t.when}">${stamp(failure.at)}</td><td class="typed" data-label="${t.login}">${failure.login}</td><td data-label="${t.address}">${failure.ip}</td><td data-label="${t.reason}">${failure.reason}</td><td data-label="${t.where}">${failure.page}</td></tr>`,
      )}</tbody>
</table>`
}

<h2>${t.revokeAll}</h2>
${action(csrf, "revoke-all", t.revokeAll)}
${action(csrf, "logout", t.signOut)}`,
    true,
  );
}
