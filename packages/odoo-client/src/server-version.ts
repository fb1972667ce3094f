/**
 * Asking Odoo its version without signing in, by the routes each release has: `GET /web/version`
 * (19.0 on), the web client's JSON-RPC `/web/webclient/version_info` (17.0 and 18.0 too), else XML-RPC's
 * `common.version()` for an Odoo that serves no web client routes to this address.
 */
import { unreachable } from "./errors.js";
import { parseJson, requestOdoo } from "./http.js";
import { callXmlRpc } from "./transports/xmlrpc.js";

async function webVersion(baseUrl: string, timeoutMs: number): Promise<string | undefined> {
  const response = await requestOdoo(`${baseUrl}/web/version`, {}, timeoutMs);
  if (!response.ok) return undefined;
  const body = parseJson(response.text) as { version?: unknown } | undefined;
  return typeof body?.version === "string" ? body.version : undefined;
}

async function xmlrpcVersion(baseUrl: string, timeoutMs: number): Promise<string> {
  let version: unknown;
  try {
    const answer = await callXmlRpc(baseUrl, "common", "version", [], timeoutMs);
    version = (answer as { server_version?: unknown } | undefined)?.server_version;
  } catch (error) {
    throw unreachable(error);
  }
  if (typeof version !== "string") throw unreachable(new Error("no server_version"));
  return version;
}

/** `exp_version()` over the web client's JSON-RPC: `{server_version, server_version_info, …}`. */
async function webClientVersion(baseUrl: string, timeoutMs: number): Promise<string | undefined> {
  const response = await requestOdoo(
    `${baseUrl}/web/webclient/version_info`,
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "call", params: {}, id: null }),
    },
    timeoutMs,
  );
  if (!response.ok) return undefined;
  const body = parseJson(response.text) as { result?: { server_version?: unknown } } | undefined;
  const version = body?.result?.server_version;
  return typeof version === "string" ? version : undefined;
}

/** Odoo's `server_version`, e.g. `saas~19.1+e`. */
export async function fetchServerVersion(baseUrl: string, timeoutMs: number): Promise<string> {
  return (
    (await webVersion(baseUrl, timeoutMs)) ??
    (await webClientVersion(baseUrl, timeoutMs)) ??
    xmlrpcVersion(baseUrl, timeoutMs)
  );
}
