/** HTTP Basic client credentials (RFC 7617), as OAuth clients send them (RFC 6749 §2.3.1). */

/** A form-encoded value (`+` a space, `%XX` a byte), or undefined when its escapes are not UTF-8. */
function formDecoded(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return undefined;
  }
}

/**
 * The client id and secret of an `Authorization: Basic …` header, each form-decoded, or undefined for
 * anything else (another scheme, bad base64, no colon, a malformed escape): a caller answers that as a
 * failed client authentication (`401 invalid_client`), never as a server error.
 */
export function basicCredentials(header: string): { id: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const id = formDecoded(decoded.slice(0, colon));
  const secret = formDecoded(decoded.slice(colon + 1));
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}
