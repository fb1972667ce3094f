/**
 * Both servers must agree on ODOO_AUTH_MODE: the authorization server seals each person's Odoo
 * credentials into tokens only in user mode, and the MCP server opens them only in user mode. The
 * authorization server publishes its mode in its metadata (`odoo_auth_mode`); the MCP server checks it:
 *
 * - at start-up (main.ts): a different mode stops the program with one line and status 78, like any
 *   other configuration error; when the metadata cannot be fetched, it starts anyway and logs a warning;
 * - on every MCP request (`authModeGuard`), against the metadata last fetched: while the modes differ
 *   the request is answered 503 temporarily_unavailable and the mismatch is logged as an error (once
 *   per change), until the authorization server publishes the same mode again (while they differ, the
 *   metadata is fetched again at most every RECHECK_MS instead of every five minutes).
 *
 * An authorization server that publishes no mode (an older release) is not checked.
 */
import type { Logger } from "@odoo-mcp/shared";
import type { Middleware } from "koa";
import type { AuthorizationServer, AuthorizationServerMetadata } from "./authorization-server.js";
import { TemporarilyUnavailable } from "./errors.js";

/** While the modes differ, how often the metadata is fetched again to notice the fix. */
const RECHECK_MS = 5_000;

/** Why this server must not serve with the given metadata, or undefined when the modes agree. */
export function authModeMismatch(metadata: AuthorizationServerMetadata, expected: string): string | undefined {
  const published = metadata.odoo_auth_mode;
  if (published === undefined || published === expected) return undefined;
  return `ODOO_AUTH_MODE is ${expected} here but ${String(published)} at the authorization server ${metadata.issuer}; set the same mode on both servers`;
}

/** Fetches the metadata (throws AuthServerUnavailable when it cannot) and compares the modes. */
export async function checkAuthMode(
  authorizationServer: AuthorizationServer,
  expected: string,
): Promise<string | undefined> {
  return authModeMismatch(await authorizationServer.metadata(), expected);
}

/**
 * Koa middleware, after the bearer check (which fetches the metadata for any token it has not seen):
 * 503 while the authorization server's last published mode differs from ours.
 */
export function authModeGuard(authorizationServer: AuthorizationServer, expected: string, logger: Logger): Middleware {
  let reported: string | undefined;
  return async (_ctx, next) => {
    const metadata = authorizationServer.cachedMetadata();
    const problem = metadata ? authModeMismatch(metadata, expected) : undefined;
    if (problem !== reported) {
      if (problem) logger.error({ event: "auth_mode_mismatch", detail: problem });
      else logger.info({ event: "auth_mode_agreed", odoo_auth_mode: expected });
      reported = problem;
    }
    if (!problem) return next();
    // Ask again, in the background: the operator may have fixed either side.
    authorizationServer.metadata(RECHECK_MS).catch(() => undefined);
    throw new TemporarilyUnavailable(`This MCP server is misconfigured: ${problem}.`);
  };
}
