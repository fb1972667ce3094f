import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Context } from "koa";
import { type Strings, stringsFor } from "./i18n.js";

export const newNonce = () => randomBytes(16).toString("base64");

/**
 * Headers for every page a person sees: a strict CSP (styles only with this response's nonce, no
 * scripts, no framing), no sniffing, no referrer, no caching. Chrome applies `form-action` to the
 * redirects that follow a form post, so the client's redirect origin is allowed there too.
 */
export function setPageHeaders(ctx: Pick<Context, "set">, nonce: string, formTargets: readonly string[] = []): void {
  const formAction = ["'self'", ...formTargets].join(" ");
  ctx.set({
    "Content-Security-Policy": `default-src 'none'; style-src 'nonce-${nonce}'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
  });
}

/**
 * CSRF token for an interaction's forms: an HMAC of the interaction id. Forms only work together with
 * the interaction cookie oidc-provider set in the same browser, and the token proves the form came
 * from a page this server rendered for that interaction.
 */
export function csrfToken(secret: string, uid: string): string {
  return createHmac("sha256", secret).update(`interaction:${uid}`).digest("base64url");
}

export function csrfValid(secret: string, uid: string, presented: unknown): boolean {
  if (typeof presented !== "string") return false;
  const expected = Buffer.from(csrfToken(secret, uid));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Renders one of the server's pages with its security headers, in the browser's language. */
export function renderPage(
  ctx: Context,
  status: number,
  render: (t: Strings, nonce: string) => string,
  formTargets: readonly string[] = [],
): void {
  const nonce = newNonce();
  setPageHeaders(ctx, nonce, formTargets);
  ctx.status = status;
  ctx.type = "html";
  ctx.body = render(stringsFor(ctx.get("accept-language")), nonce);
}
