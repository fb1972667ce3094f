/**
 * Odoo 19+'s External JSON-2 API (`POST /json/2/<model>/<method>`, API key as a bearer token, named
 * arguments) behind the same OdooClient as XML-RPC: fetch with keep-alive (Node's default agent),
 * a timeout on every call, and Odoo's errors mapped as the XML-RPC path maps them.
 */
import { type OdooClient, OdooError } from "./client.js";

export interface Json2Connection {
  url: string;
  db: string;
  /** An Odoo API key (JSON-2 accepts no password). */
  apiKey: string;
  timeoutMs: number;
  rejectedMessage: string;
}

/** The names of the positional arguments the tools pass, per ORM method (JSON-2 takes named ones). */
const POSITIONAL: Record<string, string[]> = {
  search: ["domain"],
  search_read: ["domain"],
  search_count: ["domain"],
  name_search: ["name"],
  fields_get: ["allfields"],
  read_group: ["domain", "fields", "groupby"],
  create: ["vals_list"],
  read: ["fields"],
  write: ["vals"],
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
  "create",
  "check_access_rights",
  "default_get",
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
  if (status === 401) return new OdooError("credentials", rejectedMessage);
  if (status === 403) return new OdooError("access", message);
  if (status === 404 && typeof body === "object" && body?.name === "odoo.exceptions.MissingError")
    return new OdooError("missing", message);
  if (status >= 500 && (typeof body !== "object" || !body?.name))
    return new OdooError("unavailable", `Odoo answered HTTP ${status}.`);
  return new OdooError("invalid", message);
}

export function createJson2Client(connection: Json2Connection): OdooClient {
  const base = connection.url.replace(/\/$/, "");
  const headers = {
    authorization: `bearer ${connection.apiKey}`,
    "content-type": "application/json; charset=utf-8",
    "x-odoo-database": connection.db,
    "user-agent": "odoo-mcp",
  };
  const post = async (model: string, method: string, body: Record<string, unknown>): Promise<unknown> => {
    let response: Response;
    try {
      response = await fetch(`${base}/json/2/${encodeURIComponent(model)}/${encodeURIComponent(method)}`, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(connection.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new OdooError(
        "unavailable",
        timedOut
          ? `Odoo did not answer within ${connection.timeoutMs / 1000} s.`
          : `Odoo could not be reached (${(error as Error).message}).`,
      );
    }
    const text = await response.text();
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
    async signIn() {
      // No session with JSON-2: every call carries the key. A cheap call proves the key works.
      await post("res.users", "check_access_rights", { operation: "read", raise_exception: false });
    },
    executeKw: (model, method, args, kwargs = {}) => post(model, method, json2Body(method, args, kwargs)),
    async version() {
      const response = await fetch(`${base}/web/version`, { signal: AbortSignal.timeout(connection.timeoutMs) }).catch(
        (error: Error) => {
          throw new OdooError("unavailable", `Odoo could not be reached (${error.message}).`);
        },
      );
      if (!response.ok) throw new OdooError("unavailable", `Odoo answered HTTP ${response.status} for its version.`);
      const { version } = (await response.json()) as { version: string };
      return { server_version: version };
    },
  };
}
