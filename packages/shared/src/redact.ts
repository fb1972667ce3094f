/**
 * URL credentials (`scheme://user:password@host`) never leave the process in text: a refused setting's
 * echo, a log line. What stays says which URL it was (`scheme://***@host/…`) without the user or password.
 */

/** The userinfo of a URL: from `//` to the first `@` before the host ends (no `/`, `?`, `#`, quote or space). */
const URL_USERINFO = /\/\/[^/?#@\s"'\\]*@/g;

export function withoutUrlCredentials(text: string): string {
  return text.includes("@") ? text.replace(URL_USERINFO, "//***@") : text;
}
