/** CSRF tokens for the server's forms: an HMAC of what the form is bound to. */
import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * CSRF token for a page's forms: an HMAC of what they are bound to (an interaction id for consent, a page
 * session or sign-in form cookie for /account and /admin). Forms only work together with that cookie in
 * the same browser, and the token proves the form came from a page this server rendered for it.
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
