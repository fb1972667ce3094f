import { fingerprint, type Logger } from "@odoo-mcp/shared";
import type { KoaContextWithOIDC, Provider } from "oidc-provider";
import { REPEATED_REFRESH } from "./refresh-grace.js";

const MAX_CAUSE_LENGTH = 200;

/** The message oidc-provider's SSRF-protected dispatcher gives a connection to a special-use address. */
const SPECIAL_USE = "hostname resolves to a special-use IP address";

/**
 * Why oidc-provider refused a request, beyond its description, from the error's detail and causes. For a
 * Client ID Metadata Document that could not be fetched ("fetch failed"): the system error code and
 * message (refused as a special-use address, DNS failure, refused connection, certificate, timeout), the
 * HTTP status, or the JSON parse error. A short line at most: no document body, no headers.
 */
function failureCause(error: unknown): string | undefined {
  const parts: string[] = [];
  const raw: string[] = [];
  let cause = (error as { cause?: unknown })?.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    raw.push(cause.message);
    const code = (cause as { code?: unknown }).code;
    const message =
      cause.message === SPECIAL_USE
        ? `${SPECIAL_USE} (loopback or private; in development, list the host in CIMD_ALLOWED_LOCAL_HOSTS)`
        : cause instanceof SyntaxError
          ? `the document is not valid JSON (${cause.message})`
          : cause.message;
    parts.push(typeof code === "string" ? `${code}: ${message}` : message);
    cause = cause.cause;
  }
  // oidc-provider copies the first cause's message into error_detail, or puts the HTTP status there.
  const detail = (error as { error_detail?: unknown })?.error_detail;
  if (typeof detail === "string" && !raw.includes(detail)) parts.unshift(detail);
  if (parts.length === 0) return undefined;
  const line = parts.join(": ");
  return line.length > MAX_CAUSE_LENGTH ? `${line.slice(0, MAX_CAUSE_LENGTH)}…` : line;
}

const hostOf = (uri: unknown) => (typeof uri === "string" ? (URL.parse(uri)?.host ?? undefined) : undefined);

/** oidc-provider's events as the JSON log lines operators search for (`oauth_*`), never with a token. */
export function logProviderEvents(provider: Provider, logger: Logger): void {
  // The typings list only some of the events oidc-provider emits (model events, `*.error`).
  // biome-ignore lint/suspicious/noExplicitAny: listeners receive event-specific arguments
  const on = provider.on.bind(provider) as (event: string, listener: (...args: any[]) => void) => void;
  on("authorization.accepted", (ctx: KoaContextWithOIDC) => {
    const { params } = ctx.oidc;
    logger.info({
      event: "oauth_authorize_request",
      client_id: params?.client_id,
      redirect_host: hostOf(params?.redirect_uri),
      scope: params?.scope,
      resource: params?.resource,
    });
  });
  on("grant.success", (ctx: KoaContextWithOIDC) => {
    const grantType = ctx.oidc.params?.grant_type;
    const token = ctx.oidc.entities.AccessToken;
    logger.info({
      event: grantType === "refresh_token" ? "oauth_token_refreshed" : "oauth_token_issued",
      grant_type: grantType,
      client_id: ctx.oidc.client?.clientId,
      // The person by their Odoo login (the token's claim), beside the subject (`db:uid`) that joins lines.
      login: token?.extra?.odoo_login,
      sub: token?.accountId,
      scope: token?.scope,
      token_id: token?.jti ? fingerprint(token.jti) : undefined,
    });
  });
  on("grant.revoked", (ctx: KoaContextWithOIDC | undefined, grantId: string) => {
    logger.info({ event: "oauth_grant_revoked", grant_id: grantId, route: ctx?.oidc?.route });
  });
  for (const kind of ["access_token", "refresh_token"] as const) {
    on(`${kind}.destroyed`, (token: { jti: string; clientId?: string }) => {
      logger.info({
        event: "oauth_token_revoked",
        token_type: kind,
        client_id: token.clientId,
        token_id: fingerprint(token.jti),
      });
    });
  }
  on(
    "registration_create.success",
    (_ctx: KoaContextWithOIDC, client: { clientId: string; clientName?: string; redirectUris?: string[] }) => {
      logger.info({
        event: "oauth_client_registered",
        client_id: client.clientId,
        client_name: client.clientName,
        redirect_hosts: client.redirectUris?.map(hostOf),
      });
    },
  );
  for (const name of [
    "grant.error",
    "authorization.error",
    "pushed_authorization_request.error",
    "introspection.error",
    "revocation.error",
    "registration_create.error",
  ]) {
    on(
      name,
      (ctx: KoaContextWithOIDC | undefined, error: { error?: string; error_description?: string; message: string }) => {
        // A repeated refresh is answered with the remembered rotation (refresh-grace.ts), not refused.
        if (error.error === REPEATED_REFRESH) return;
        logger.info({
          event: "oauth_request_refused",
          where: name.split(".")[0],
          client_id: ctx?.oidc?.params?.client_id ?? ctx?.oidc?.client?.clientId,
          error: error.error,
          description: error.error_description ?? error.message,
          cause: failureCause(error),
        });
      },
    );
  }
  on("server_error", (_ctx: unknown, error: Error) => {
    logger.error({ event: "oauth_server_error", err: error }, "oidc-provider failed");
  });
}
