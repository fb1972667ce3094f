/**
 * Odoo 19+'s External JSON-2 API (`POST /json/2/<model>/<method>`, API key as a bearer token, named
 * arguments) behind the same transport as XML-RPC: node:http on a keep-alive agent (../http.ts), a
 * deadline on every call, Odoo's errors mapped to the one error model.
 * Source: odoo/odoo 19.0 addons/rpc/controllers/json2.py (docs/odoo-versions.md).
 */
import type { OdooTransport } from "../client.js";
import { kindOfException, OdooError } from "../errors.js";
import { requestOdoo } from "../http.js";

export interface Json2Connection {
  url: string;
  db: string;
  /** An Odoo API key (JSON-2 accepts no password). */
  apiKey: string;
  timeoutMs: number;
  rejectedMessage: string;
}

/** The names of the positional arguments callers pass, per ORM method (JSON-2 takes named ones). */
const POSITIONAL: Record<string, string[]> = {
  search: ["domain"],
  search_read: ["domain"],
  search_count: ["domain"],
  name_search: ["name"],
  fields_get: ["allfields"],
  read_group: ["domain", "fields", "groupby"],
  formatted_read_group: ["domain", "groupby", "aggregates"],
  create: ["vals_list"],
  read: ["fields"],
  write: ["vals"],
  has_access: ["operation"],
  has_group: ["group_ext_id"],
  check_access_rights: ["operation"],
};
/** Model methods (@api.model): every other method runs on records, its first argument being the ids. */
const MODEL_METHODS = new Set([
  "search",
  "search_read",
  "search_count",
  "name_search",
  "fields_get",
  "read_group",
  "formatted_read_group",
  "create",
  "check_access_rights",
  "default_get",
  "context_get",
]);

/** Turns execute_kw's (args, kwargs) into a JSON-2 body. */
export function json2Body(method: string, args: unknown[], kwargs: Record<string, unknown>): Record<string, unknown> {
  const onRecords = !MODEL_METHODS.has(method);
  const [ids, ...rest] = onRecords ? args : [undefined, ...args];
  const names = POSITIONAL[method] ?? [];
  const body: Record<string, unknown> = { ...kwargs };
  if (onRecords) body.ids = Array.isArray(ids) ? ids : [ids];
  rest.forEach((value, index) => {
    const name = names[index];
    if (!name)
      throw new OdooError("invalid", `${method} takes at most ${names.length} positional arguments over JSON-2`);
    body[name] = value;
  });
  return body;
}

interface Json2Failure {
  name?: string;
  message?: string;
}

function failure(status: number, body: Json2Failure | string | undefined, rejectedMessage: string): OdooError {
  const message = typeof body === "string" ? body : (body?.message ?? `HTTP ${status}`);
  const name = typeof body === "object" ? body?.name : undefined;
  if (status === 401) return new OdooError("credentials", rejectedMessage);
  if (status === 403) return new OdooError("access", message);
  if (status >= 500 && !name) return new OdooError("unavailable", `Odoo answered HTTP ${status}.`);
  const kind = kindOfException(name, message);
  return new OdooError(kind === "credentials" ? "invalid" : kind, message);
}

export function createJson2Transport(connection: Json2Connection): OdooTransport {
  const base = connection.url;
  const headers = {
    authorization: `bearer ${connection.apiKey}`,
    "content-type": "application/json; charset=utf-8",
    "x-odoo-database": connection.db,
  };
  const post = async (model: string, method: string, body: Record<string, unknown>): Promise<unknown> => {
    const response = await requestOdoo(
      `${base}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`,
      { method: "POST", headers, body: JSON.stringify(body) },
      connection.timeoutMs,
    );
    const text = response.text;
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new OdooError("unavailable", `Odoo answered HTTP ${response.status} with something that is not JSON.`);
    }
    if (!response.ok)
      throw failure(response.status, parsed as Json2Failure | string | undefined, connection.rejectedMessage);
    return parsed;
  };
  return {
    protocol: "json2",
    async signIn() {
      // No session with JSON-2: every call carries the key. A cheap call proves the key works.
      await post("res.users", "context_get", {});
    },
    async executeKw(model, method, args, kwargs) {
      const result = await post(model, method, json2Body(method, args, kwargs));
      // JSON-2 answers every recordset as its ids, so one values dict creates `[id]`; callers get what
      // XML-RPC answers, one id (odoo/service/model.py `_call_kw_model_create`; addons/rpc/controllers/json2.py).
      const values = args[0] ?? kwargs.vals_list;
      const oneDict = typeof values === "object" && values !== null && !Array.isArray(values);
      return method === "create" && oneDict && Array.isArray(result) && result.length === 1 ? result[0] : result;
    },
  };
}
