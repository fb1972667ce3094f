/** The layout every server-rendered page shares (sign-in, consent, /account, /admin, sign-out, errors) and the sign-in form. No JavaScript; styles carry the response's CSP nonce. */
import { html, SafeHtml } from "./html.js";
import type { Strings } from "./i18n.js";

const STYLE = `
  :root { color-scheme: light dark; --accent: #714b67; --bg: #f6f4f5; --card: #fff; --text: #1f1d1e; --muted: #5f5a5d; --line: #e2dde0; --danger: #b3261e; }
  @media (prefers-color-scheme: dark) { :root { --bg: #1b191a; --card: #262325; --text: #f1eef0; --muted: #b7b0b4; --line: #3b3639; --accent: #c99bbd; --danger: #ff8a80; } }
  * { box-sizing: border-box; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--text);
         font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 24px; }
  main { width: 100%; max-width: 440px; background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 32px; box-shadow: 0 8px 30px rgba(0,0,0,.08); }
  .brand { display: flex; align-items: center; gap: 10px; color: var(--accent); font-weight: 700; letter-spacing: .02em; margin-bottom: 20px; }
  .brand svg { width: 28px; height: 28px; }
  h1 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 8px; }
  p { margin: 0 0 14px; color: var(--muted); }
  label { display: block; font-weight: 600; margin: 14px 0 6px; }
  input[type=text], input[type=password] { width: 100%; padding: 11px 12px; border: 1px solid var(--line); border-radius: 8px; font: inherit; background: transparent; color: var(--text); }
  input:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
  .actions { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 24px; }
  button { flex: 1; padding: 12px; border-radius: 8px; font: inherit; font-weight: 600; cursor: pointer; border: 1px solid var(--accent); }
  button.primary { background: var(--accent); color: #fff; }
  button.secondary { background: transparent; color: var(--accent); }
  .alert { border-left: 4px solid var(--danger); background: color-mix(in srgb, var(--danger) 10%, transparent); padding: 10px 12px; border-radius: 6px; color: var(--text); margin: 12px 0; }
  .notice { border-left: 4px solid var(--accent); background: color-mix(in srgb, var(--accent) 10%, transparent); padding: 10px 12px; border-radius: 6px; color: var(--text); margin: 12px 0; }
  ul.scopes { list-style: none; padding: 0; margin: 8px 0 0; }
  ul.scopes li { padding: 10px 0 10px 30px; border-top: 1px solid var(--line); position: relative; }
  ul.scopes li::before { content: "✓"; position: absolute; left: 6px; color: var(--accent); font-weight: 700; }
  ul.scopes li.choice { padding-left: 0; }
  ul.scopes li.choice::before { content: none; }
  ul.scopes li.choice label { display: flex; gap: 10px; align-items: baseline; margin: 0; font-weight: 400; cursor: pointer; }
  ul.scopes li.choice input { flex: none; width: 18px; height: 18px; margin: 0; accent-color: var(--accent); }
  ul.scopes li.choice small { margin: 2px 0 0 28px; }
  .client { font-weight: 700; color: var(--text); overflow-wrap: anywhere; }
  small { display: block; color: var(--muted); margin-top: 18px; }
  small.vouch { margin: 0; font-size: .82rem; }
  small.vouch[data-vouched="nobody"]::before { content: "⚠ "; }
  small.detail code { font-size: .9em; }
  ul.apps { list-style: none; padding: 0; margin: 16px 0 0; }
  ul.apps > li { border-top: 1px solid var(--line); padding: 14px 0; }
  ul.apps dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 6px 0 10px; color: var(--muted); font-size: .92rem; }
  ul.apps dd { margin: 0; }
  main.wide { max-width: 980px; }
  table { width: 100%; border-collapse: collapse; margin: 8px 0 20px; font-size: .92rem; }
  th, td { text-align: left; padding: 8px 6px; border-top: 1px solid var(--line); vertical-align: top; overflow-wrap: break-word; }
  td button, td code { white-space: nowrap; }
  td.typed { overflow-wrap: anywhere; } /* what a stranger typed (a failed login) may be one endless word */
  div.grant + div.grant { margin-top: 8px; }
  th { color: var(--muted); font-weight: 600; }
  td form .actions, section form .actions { margin-top: 0; }
  h2 { font-size: 1.1rem; margin: 24px 0 6px; }
  code { word-break: break-all; }
  td small { margin-top: 0; }
  /* A phone: less frame, and tables become one block per row, each cell headed by its column's name. */
  @media (max-width: 600px) {
    body { padding: 10px; place-items: start center; }
    main { padding: 22px 18px; }
    table.stack thead { display: none; }
    table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
    table.stack tr { border-top: 1px solid var(--line); padding: 10px 0; }
    table.stack td { border: 0; padding: 2px 0; }
    table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-weight: 600; }
  }
`;

const LOGO = html`<svg viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="14" fill="none" stroke="currentColor" stroke-width="4"/><circle cx="16" cy="16" r="5" fill="currentColor"/></svg>`;

export function layout(t: Strings, nonce: string, title: string, content: SafeHtml, wide = false): string {
  return html`<!doctype html>
<html lang="${t.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style nonce="${nonce}">${new SafeHtml(STYLE)}</style>
</head>
<body><main class="${wide ? "wide" : ""}">
<div class="brand">${LOGO}<span>odoo-mcp</span></div>
${content}
</main></body>
</html>`.value;
}

/**
 * The Odoo login and password form every sign-in page shows. After a failed attempt the login is kept
 * and the cursor waits in the password field, the one to type again.
 */
export function credentialsForm(t: Strings, action: string, csrf: string, login = ""): SafeHtml {
  return html`<form method="post" action="${action}" autocomplete="on">
  <input type="hidden" name="csrf" value="${csrf}">
  <label for="login">${t.login}</label>
  <input type="text" id="login" name="login" value="${login}" autocomplete="username" autocapitalize="none" spellcheck="false" required${login ? "" : html` autofocus`}>
  <label for="password">${t.password}</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required${login ? html` autofocus` : ""}>
  <div class="actions"><button class="primary" type="submit">${t.signIn}</button></div>
</form>`;
}
