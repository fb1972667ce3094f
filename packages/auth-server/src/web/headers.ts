/** Every page's response: a fresh style nonce, strict security headers, the browser's language. */
import { randomBytes } from "node:crypto";
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
