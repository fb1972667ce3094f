/**
 * The services behind `/xmlrpc/2/<service>` (odoo/service/common.py, model.py, db.py):
 * `common` authenticates, `object` runs model methods after checking credentials on every call.
 */
import { AccessDenied, AccessError, PythonError, UserError } from "./faults.js";
import type { Database } from "./orm/database.js";
import type { Env, SimUser } from "./orm/env.js";
import { callKw } from "./orm/methods.js";
import { pyRepr } from "./orm/python.js";

/** The Odoo versions the simulator can be: 17 (XML-RPC) or 19 (XML-RPC, deprecated, and JSON-2). */
export type OdooVersion = "17.0" | "19.0";

export function versionInfo(version: OdooVersion) {
  const major = Number(version.split(".")[0]);
  return {
    server_version: version,
    server_version_info: [major, 0, 0, "final", 0, ""],
    server_serie: version,
    protocol_version: 1,
  };
}

export const VERSION = versionInfo("17.0");

/** A user whose password or API key matches; archived users never authenticate. */
function checkCredentials(db: Database, login: unknown, secret: unknown): SimUser | undefined {
  if (typeof secret !== "string" || secret === "") return undefined;
  const user = db.users.find((candidate) => candidate.login === login);
  if (!user?.active) return undefined;
  return user.password === secret || user.apiKey === secret ? user : undefined;
}

export class RpcDispatcher {
  constructor(
    private readonly databases: ReadonlyMap<string, Database>,
    private readonly version: OdooVersion = "17.0",
  ) {}

  dispatch(service: string, method: string, params: unknown[]): unknown {
    switch (service) {
      case "common":
        return this.common(method, params);
      case "object":
        return this.object(method, params);
      case "db":
        return this.db(method);
      default:
        throw new PythonError("KeyError", pyRepr(service));
    }
  }

  private database(name: unknown): Database {
    const db = typeof name === "string" ? this.databases.get(name) : undefined;
    if (!db) {
      throw new PythonError(
        "psycopg2.OperationalError",
        `connection to server failed: FATAL:  database ${pyRepr(String(name))} does not exist`,
      );
    }
    return db;
  }

  private common(method: string, params: unknown[]): unknown {
    switch (method) {
      case "version":
        return versionInfo(this.version);
      case "about":
        return "See http://openerp.com";
      case "login":
      case "authenticate": {
        const [dbName, login, password] = params;
        return checkCredentials(this.database(dbName), login, password)?.id ?? false;
      }
      default:
        throw new PythonError("Exception", `Method not found: ${method}`);
    }
  }

  private db(method: string): unknown {
    if (method === "list") return [...this.databases.keys()];
    if (method === "server_version") return this.version;
    throw new PythonError("KeyError", pyRepr(`exp_${method}`));
  }

  private object(method: string, params: unknown[]): unknown {
    if (method !== "execute_kw" && method !== "execute")
      throw new PythonError("NameError", `Method not available ${method}`);
    const [dbName, rawUid, password, modelName, modelMethod, ...rest] = params;
    const uid = Number(rawUid);
    if (typeof rawUid === "string" && !/^\s*-?\d+\s*$/.test(rawUid)) {
      throw new PythonError("ValueError", `invalid literal for int() with base 10: ${pyRepr(rawUid)}`);
    }
    const db = this.database(dbName);
    const user = db.users.find((candidate) => candidate.id === uid);
    if (!user || checkCredentials(db, user.login, password) !== user) throw new AccessDenied();
    if (typeof modelMethod !== "string") throw new PythonError("TypeError", "method name must be a string");
    if (modelMethod.startsWith("_")) {
      throw new AccessError(`Private methods (such as ${modelMethod}) cannot be called remotely.`);
    }
    const model = typeof modelName === "string" ? db.model(modelName) : undefined;
    if (!model) throw new UserError(`Object ${String(modelName)} doesn't exist`);
    const env: Env = {
      db,
      uid: user.id,
      group: user.group,
      context: { lang: "en_US", tz: "Europe/Brussels", uid: user.id },
    };
    const [args, kwargs] = method === "execute_kw" ? [rest[0] ?? [], rest[1] ?? {}] : [rest, {}];
    if (!Array.isArray(args))
      throw new PythonError("TypeError", `execute_kw() argument after * must be an iterable, not ${typeof args}`);
    if (typeof kwargs !== "object" || kwargs === null || Array.isArray(kwargs)) {
      throw new PythonError("TypeError", "execute_kw() argument after ** must be a mapping");
    }
    return callKw(env, model, modelMethod, args, kwargs as Record<string, unknown>);
  }
}
