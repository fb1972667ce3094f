/**
 * The OdooClient for one account: XML-RPC (through odoo-await) or JSON-2, chosen by the operator or,
 * with `auto`, by Odoo's version (asked once): JSON-2 from 19.0, XML-RPC before.
 */
import type { OdooClient, OdooServer, OdooTransport } from "./client.js";
import { OdooError } from "./errors.js";
import { fetchServerVersion } from "./server-version.js";
import { createJson2Transport } from "./transports/json2.js";
import { createXmlRpcTransport } from "./transports/xmlrpc.js";
import { capabilitiesOf, parseRelease } from "./version.js";

export type OdooProtocolSetting = "auto" | "xmlrpc" | "json2";

export interface OdooSettings {
  url: string;
  db: string;
  username: string;
  /** Password or API key; JSON-2 needs an API key. */
  secret: string;
  timeoutMs: number;
  /** What to tell a person when Odoo refuses these credentials. */
  rejectedMessage: string;
  protocol: OdooProtocolSetting;
}

/** Asks once, shares the answer with concurrent callers, and asks again only after a failure. */
export function once<T>(produce: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= produce().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

/** The release behind `url`, parsed, with what it offers. */
export async function detectRelease(url: string, timeoutMs: number) {
  const version = await fetchServerVersion(url, timeoutMs);
  try {
    const release = parseRelease(version);
    return { ...release, ...capabilitiesOf(release) };
  } catch {
    throw new OdooError("unavailable", `Odoo reported a version this client does not understand (${version}).`);
  }
}

export function createOdooClient(settings: OdooSettings): OdooClient {
  const url = settings.url.replace(/\/$/, "");
  const release = once(() => detectRelease(url, settings.timeoutMs));
  const xmlrpc = () =>
    createXmlRpcTransport({
      url,
      db: settings.db,
      login: settings.username,
      secret: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
    });
  const json2 = () =>
    createJson2Transport({
      url,
      db: settings.db,
      apiKey: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
    });
  const transport = once(async (): Promise<OdooTransport> => {
    if (settings.protocol === "xmlrpc") return xmlrpc();
    if (settings.protocol === "json2") return json2();
    return (await release()).json2 ? json2() : xmlrpc();
  });
  const server = once(
    async (): Promise<OdooServer> => ({ ...(await release()), protocol: (await transport()).protocol }),
  );
  return {
    signIn: async () => (await transport()).signIn(),
    executeKw: async (model, method, args, kwargs = {}) => (await transport()).executeKw(model, method, args, kwargs),
    version: async () => ({ server_version: await fetchServerVersion(url, settings.timeoutMs) }),
    server,
  };
}
