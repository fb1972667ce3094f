/**
 * The OdooClient for a connection: XML-RPC through odoo-await for Odoo 12–18, JSON-2 for 19+.
 * `auto` asks Odoo its version once (GET /web/version, else XML-RPC's common.version) and picks.
 */
import type { OdooClient } from "./client.js";
import { createJson2Client } from "./json2-client.js";
import { createOdooAwaitClient } from "./odoo-await-client.js";

export type OdooProtocol = "auto" | "xmlrpc" | "json2";

export interface OdooSettings {
  url: string;
  db: string;
  username: string;
  /** Password or API key; JSON-2 needs an API key. */
  secret: string;
  timeoutMs: number;
  rejectedMessage: string;
  protocol: OdooProtocol;
}

/** Odoo 19 introduced JSON-2 (and deprecated XML-RPC). */
const json2Capable = (version: string) => Number.parseInt(version, 10) >= 19;

export function createOdooClient(settings: OdooSettings): OdooClient {
  const xmlrpc = () =>
    createOdooAwaitClient({
      url: settings.url,
      db: settings.db,
      username: settings.username,
      password: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
    });
  const json2 = () =>
    createJson2Client({
      url: settings.url,
      db: settings.db,
      apiKey: settings.secret,
      timeoutMs: settings.timeoutMs,
      rejectedMessage: settings.rejectedMessage,
    });
  if (settings.protocol === "xmlrpc") return xmlrpc();
  if (settings.protocol === "json2") return json2();

  let chosen: Promise<OdooClient> | undefined;
  const choose = () => {
    chosen ??= (async () => {
      const probe = json2();
      const version = await probe.version().catch(() => xmlrpc().version());
      return json2Capable(version.server_version) ? probe : xmlrpc();
    })().catch((error: unknown) => {
      chosen = undefined; // Odoo unreachable: ask again next time
      throw error;
    });
    return chosen;
  };
  return {
    signIn: async () => (await choose()).signIn(),
    executeKw: async (model, method, args, kwargs) => (await choose()).executeKw(model, method, args, kwargs),
    version: async () => (await choose()).version(),
  };
}
