/**
 * How Client ID Metadata Documents are fetched. oidc-provider fetches them itself, through a dispatcher
 * that drops any connection to a loopback, private or otherwise special-use address (SSRF protection),
 * and hands that dispatcher to the configured `fetch`. Two things are ours:
 * - in development, hosts listed in CIMD_ALLOWED_LOCAL_HOSTS are fetched without that dispatcher, so a
 *   document served on this machine can be tried as ChatGPT would use a public one (the configuration
 *   refuses the list when NODE_ENV is production); every other host keeps the protection;
 * - when a fetch fails, the log says why (events.ts); the requester sees only oidc-provider's plain
 *   `invalid_client`, or the authorization endpoint would tell anyone what answers inside our network.
 */

/** Whether a `host` or `host:port` entry of CIMD_ALLOWED_LOCAL_HOSTS covers `url`; no port: every port. */
function allowsUrl(entry: string, url: URL): boolean {
  const port = /:(\d+)$/.exec(entry)?.[1];
  return new URL(`https://${entry}`).hostname === url.hostname && (!port || port === (url.port || "443"));
}

/**
 * oidc-provider's `fetch`: `base` as given for every URL, except that a listed local host is fetched
 * without the special-use address check. Undefined when there is nothing to change.
 */
export function withAllowedLocalHosts(
  allowedLocalHosts: readonly string[],
  base: typeof fetch | undefined,
): typeof fetch | undefined {
  if (allowedLocalHosts.length === 0) return base;
  const send = base ?? fetch;
  return (input, init) => {
    const url = URL.parse(String(input instanceof Request ? input.url : input));
    if (!url || !allowedLocalHosts.some((entry) => allowsUrl(entry, url))) return send(input, init);
    const { dispatcher: _specialUseCheck, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
    return send(input, rest);
  };
}
