/**
 * The services behind `/xmlrpc/2/<service>` (odoo/service/common.py, model.py, db.py):
 * `common` authenticates, `object` runs model methods after checking credentials on every call.
 */
import { userByPasswordOrKey, userEnv } from "../auth.js";
import { AccessDenied, AccessError, PythonError, UserError } from "../faults.js";
import type { Database } from "../orm/database.js";
import { callKw } from "../orm/methods.js";
import { pyRepr } from "../orm/python.js";
import { type SimRelease, versionInfo } from "../release.js";

export class RpcDispatcher {
  constructor(
    private readonly databases: ReadonlyMap<string, Database>,
    private readonly release: SimRelease,
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
        return versionInfo(this.release);
      case "about":
        return "See http://openerp.com";
      case "login":
      case "authenticate": {
        const [dbName, login, password] = params;
        return userByPasswordOrKey(this.database(dbName), login, password)?.id ?? false;
      }
      default:
        throw new PythonError("Exception", `Method not found: ${method}`);
    }
  }

  private db(method: string): unknown {
    if (method === "list") return [...this.databases.keys()];
    if (method === "server_version") return this.release.version;
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
    if (!user || userByPasswordOrKey(db, user.login, password) !== user) throw new AccessDenied();
    if (typeof modelMethod !== "string") throw new PythonError("TypeError", "method name must be a string");
    if (modelMethod.startsWith("_")) {
      throw new AccessError(`Private methods (such as ${modelMethod}) cannot be called remotely.`);
    }
    const model = typeof modelName === "string" ? db.model(modelName) : undefined;
    if (!model) throw new UserError(`Object ${String(modelName)} doesn't exist`);
    const env = userEnv(db, user);
    const [args, kwargs] = method === "execute_kw" ? [rest[0] ?? [], rest[1] ?? {}] : [rest, {}];
    if (!Array.isArray(args))
      throw new PythonError("TypeError", `execute_kw() argument after * must be an iterable, not ${typeof args}`);
    if (typeof kwargs !== "object" || kwargs === null || Array.isArray(kwargs)) {
      throw new PythonError("TypeError", "execute_kw() argument after ** must be a mapping");
    }
    return callKw(env, model, modelMethod, args, kwargs as Record<string, unknown>);
  }
}
