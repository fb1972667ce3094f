/**
 * The error page: a sentence a person understands, in their language, with the OAuth error code (and
 * oidc-provider's description) kept as small print for the app's developer. When an app asked to be sent
 * to an address it never registered, the page names that address: it is what the developer must fix.
 */
import type { KoaContextWithOIDC } from "oidc-provider";
import { html } from "./html.js";
import type { Strings } from "./i18n.js";
import { layout } from "./layout.js";

export interface Problem {
  /** The OAuth error code (RFC 6749 §4.1.2.1, oidc-provider's), or `page_expired` for a stale sign-in page. */
  error: string;
  description?: string | undefined;
  /** The address the app asked to be sent to and this server refused. */
  refusedAddress?: string | undefined;
}

/** A refused address is whatever the request carried: shown bounded, never as a link. */
const ADDRESS_SHOWN = 200;
const bounded = (address: string) => (address.length > ADDRESS_SHOWN ? `${address.slice(0, ADDRESS_SHOWN)}…` : address);

export function errorPage(t: Strings, nonce: string, problem?: Problem): string {
  const sentence = problem?.refusedAddress
    ? t.refusedAddress(bounded(problem.refusedAddress))
    : ((problem && t.errorSentences[problem.error]) ?? t.unknownError);
  return layout(
    t,
    nonce,
    t.errorTitle,
    html`<h1>${t.errorTitle}</h1>
<div class="alert" role="alert">${sentence}</div>
<p>${t.errorLead}</p>
${problem ? html`<small class="detail">${t.errorCode}: <code>${problem.error}</code>${problem.description ? ` — ${problem.description}` : ""}</small>` : ""}`,
  );
}

/** The redirect parameter an oidc-provider error refused, when it is one (its description is the only sign). */
function refusedParameter(out: { error: string; error_description?: string | undefined }): string | undefined {
  if (out.error === "invalid_redirect_uri") return "redirect_uri";
  if (out.error_description === "post_logout_redirect_uri not registered") return "post_logout_redirect_uri";
  return undefined;
}

/** oidc-provider's `renderError`: its errors shown to a person (unknown client, refused address…). */
export function providerProblem(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string | undefined },
): Problem {
  const parameter = refusedParameter(out);
  const asked = parameter ? (ctx.oidc?.params?.[parameter] ?? ctx.query[parameter]) : undefined;
  return {
    error: out.error,
    description: out.error_description,
    ...(typeof asked === "string" && asked ? { refusedAddress: asked } : {}),
  };
}
