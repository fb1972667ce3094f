/** The admin console's pages: sign-in (Odoo administrator or admin token) and the overview with its actions. */
import { html, type SafeHtml } from "../web/html.js";
import type { Strings } from "../web/i18n.js";
import { credentialsForm, layout } from "../web/layout.js";
import type { SignInFailure } from "../web/sign-in-failures.js";

export interface ClientRow {
  id: string;
  name: string;
  kind: "preconfigured" | "registered" | "metadata document" | "static";
  redirectHosts: string[];
  grants: number;
}

export interface PersonRow {
  sub: string;
  name: string;
  login: string;
  grants: { clientName: string; scopes: string[]; grantedAt: Date | undefined }[];
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

/** A one-button form posting to the console, with the CSRF token and hidden fields. */
function action(csrf: string, path: string, label: string, fields: Record<string, string> = {}): SafeHtml {
  return html`<form method="post" action="/admin/${path}">
  <input type="hidden" name="csrf" value="${csrf}">
  ${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
  <div class="actions"><button class="secondary" type="submit">${label}</button></div>
</form>`;
}

export function consoleSignInPage(t: Strings, nonce: string, view: { csrf: string; odooHost: string; error?: string }) {
  return layout(
    t,
    nonce,
    t.adminTitle,
    html`<h1>${t.adminTitle}</h1>
<p>${t.adminSignInLead(view.odooHost)}</p>
${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ""}
${credentialsForm(t, "/admin/login", view.csrf)}
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
<table>
<thead><tr><th>${t.clientId}</th><th>${t.name}</th><th>${t.kind}</th><th>${t.returnsTo}</th><th>${t.grants}</th><th></th></tr></thead>
<tbody>${view.clients.map(
      (client) => html`<tr data-client="${client.id}">
  <td><code>${client.id}</code></td><td>${client.name}</td><td>${t.clientKinds[client.kind] ?? client.kind}</td>
  <td>${client.redirectHosts.join(", ") || "—"}</td><td>${client.grants}</td>
  <td>${client.kind === "static" ? "" : action(csrf, "revoke-client", t.revokeClient, { client_id: client.id })}</td>
</tr>`,
    )}</tbody>
</table>
${action(csrf, "rotate-secret", t.rotateSecret)}

<h2>${t.people}</h2>
${
  view.people.length === 0
    ? html`<p>${t.noGrants}</p>`
    : html`<table>
<thead><tr><th>${t.name}</th><th>${t.grants}</th><th></th></tr></thead>
<tbody>${view.people.map(
        (person) => html`<tr data-sub="${person.sub}">
  <td>${person.name}<br><small>${person.login}</small></td>
  <td>${person.grants.map((grant) => html`<div>${grant.clientName} — ${grant.scopes.join(" ")} — ${stamp(grant.grantedAt)}</div>`)}</td>
  <td>${action(csrf, "revoke-user", t.revokeUser, { sub: person.sub })}</td>
</tr>`,
      )}</tbody>
</table>`
}

<h2>${t.failures}</h2>
${
  view.failures.length === 0
    ? html`<p>${t.noFailures}</p>`
    : html`<table>
<thead><tr><th>${t.when}</th><th>${t.login}</th><th>${t.address}</th><th>${t.reason}</th><th>${t.where}</th></tr></thead>
<tbody>${view.failures.map(
        (failure) =>
          html`<tr class="failure"><td>${stamp(failure.at)}</td><td>${failure.login}</td><td>${failure.ip}</td><td>${failure.reason}</td><td>${failure.page}</td></tr>`,
      )}</tbody>
</table>`
}

<h2>${t.revokeAll}</h2>
${action(csrf, "revoke-all", t.revokeAll)}
${action(csrf, "logout", t.signOut)}`,
    true,
  );
}
