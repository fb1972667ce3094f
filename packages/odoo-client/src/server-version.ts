/**
 * Asking Odoo its version without signing in: `GET /web/version` (a JSON route of the web client), else
 * XML-RPC's `common.version()` for an Odoo that serves no web client routes to this address.
 */
import xmlrpc from "xmlrpc";
import { OdooError, unreachable, withDeadline } from "./errors.js";

async function webVersion(baseUrl: string, timeoutMs: number): Promise<string | undefined> {
  const response = await fetch(`${baseUrl}/web/version`, {
    headers: { "user-agent": "odoo-mcp" },
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: Error) => {
    throw error.name === "TimeoutError"
      ? new OdooError("unavailable", `Odoo did not answer within ${timeoutMs / 1000} s.`)
      : unreachable(error);
  });
  if (!response.ok) {
    await response.body?.cancel();
    return undefined;
  }
  const body = (await response.json().catch(() => undefined)) as { version?: unknown } | undefined;
  return typeof body?.version === "string" ? body.version : undefined;
}

function xmlrpcVersion(baseUrl: string, timeoutMs: number): Promise<string> {
  const url = new URL(baseUrl);
  const options = {
    host: url.hostname,
    port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
    path: `${url.pathname.replace(/\/$/, "")}/xmlrpc/2/common`,
  };
  const client = url.protocol === "https:" ? xmlrpc.createSecureClient(options) : xmlrpc.createClient(options);
  const answer = new Promise<string>((resolve, reject) =>
    client.methodCall("version", [], (error: unknown, value: unknown) => {
      const version = (value as { server_version?: unknown } | undefined)?.server_version;
      if (error || typeof version !== "string") reject(unreachable(error ?? new Error("no server_version")));
      else resolve(version);
    }),
  );
  return withDeadline(answer, timeoutMs);
}

/** Odoo's `server_version`, e.g. `saas~19.1+e`. */
export async function fetchServerVersion(baseUrl: string, timeoutMs: number): Promise<string> {
  return (await webVersion(baseUrl, timeoutMs)) ?? xmlrpcVersion(baseUrl, timeoutMs);
}
