/**
 * The web client's routes a program can use (odoo/odoo addons/web/controllers/session.py, dataset.py,
 * webclient.py, addons/rpc/controllers/__init__.py; JSON-RPC envelope and errors from odoo/http.py):
 * `GET /web/version` (19.0 on), `POST /web/webclient/version_info`, `POST /web/session/authenticate`
 * (passwords only: interactive sign-in refuses API keys; under Odoo's login cooldown, ./login-cooldown.ts),
 * `…/get_session_info`, `…/destroy`, and
 * `POST /web/dataset/call_kw[/<path>]` with the `session_id` cookie. JSON-RPC errors carry code 200 up
 * to 18.0 and 0 from 19.0 (100 for an expired session), always with HTTP status 200.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { userByPassword, userEnv } from "../auth.js";
import { AccessError, OdooException, PythonError } from "../faults.js";
import type { Database } from "../orm/database.js";
import type { Env, SimUser } from "../orm/env.js";
import { callKw } from "../orm/methods.js";
import { type SimRelease, versionInfo } from "../release.js";
import { readBody, sendJson } from "./io.js";
import { LOGIN_COOLDOWN_DEFAULTS, LoginCooldowns, sourceAddress } from "./login-cooldown.js";

interface WebSession {
  db: string;
  uid: number;
  /**
   * The password when the session began: a session token is computed from the user's id, login, password
   * and active flag, so changing the password ends every other session (res_users.py
   * `_get_session_token_fields`, checked by odoo/http.py on each request).
   */
  password: string;
}

/** Odoo's `SessionExpiredException`: JSON-RPC error code 100 instead of 200. */
class SessionExpired extends Error {}

/** werkzeug's NotFound: JSON-RPC error code 404, "404: Not Found" (odoo/http.py `JsonRPCDispatcher.handle_error`). */
class NotFound extends Error {
  constructor() {
    super(
      "404 Not Found: The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
    );
  }
}

/** odoo/http.py `serialize_exception`, without the traceback's file paths. */
function serializeException(error: unknown) {
  const name =
    error instanceof OdooException
      ? error.pythonClass
      : error instanceof SessionExpired
        ? "odoo.http.SessionExpiredException"
        : error instanceof NotFound
          ? "werkzeug.exceptions.NotFound"
          : "builtins.RuntimeError";
  const message = error instanceof Error ? error.message : String(error);
  return {
    name,
    message,
    arguments: [message],
    context: {},
    debug: `Traceback (most recent call last):\n${name}: ${message}\n`,
  };
}

function jsonRpcError(release: SimRelease, id: unknown, error: unknown) {
  const expired = error instanceof SessionExpired;
  const notFound = error instanceof NotFound;
  return {
    jsonrpc: "2.0",
    id,
    error: {
      code: expired ? 100 : notFound ? 404 : release.major < 19 ? 200 : 0,
      message: expired ? "Odoo Session Expired" : notFound ? "404: Not Found" : "Odoo Server Error",
      data: serializeException(error),
    },
  };
}

function sessionInfo(release: SimRelease, db: Database, user: SimUser) {
  const info = versionInfo(release);
  return {
    uid: user.id,
    is_system: user.group === "admin",
    is_admin: user.group === "admin",
    is_public: false,
    is_internal_user: user.group !== "portal",
    user_context: { lang: "en_US", tz: "Europe/Brussels", uid: user.id },
    db: db.name,
    server_version: info.server_version,
    server_version_info: info.server_version_info,
    name: user.name,
    username: user.login,
    partner_display_name: user.name,
  };
}

export class WebRoutes {
  private readonly sessions = new Map<string, WebSession>();

  private readonly cooldowns: LoginCooldowns;

  constructor(
    private readonly databases: ReadonlyMap<string, Database>,
    private readonly release: SimRelease,
    /** Odoo's `--proxy-mode`: the sign-in's address is the one a proxy forwards. */
    private readonly proxyMode = false,
    loginCooldown = LOGIN_COOLDOWN_DEFAULTS,
  ) {
    this.cooldowns = new LoginCooldowns(loginCooldown);
  }

  /** The database and environment of the session a `Cookie` header carries, if it is still valid. */
  sessionOf(cookie: string | undefined): { db: Database; env: Env } | undefined {
    const sid = /(?:^|;\s*)session_id=([^;]+)/.exec(cookie ?? "")?.[1];
    const session = sid ? this.sessions.get(sid) : undefined;
    const db = session ? this.databases.get(session.db) : undefined;
    const user = session && db?.users.find((candidate) => candidate.id === session.uid && candidate.active);
    return db && user && user.password === session?.password ? { db, env: userEnv(db, user) } : undefined;
  }

  /** Serves `path` when it is one of these routes; false otherwise. */
  async handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
    if (path === "/web/version" && this.release.major >= 19) {
      request.resume();
      const info = versionInfo(this.release);
      sendJson(response, 200, { version: info.server_version, version_info: info.server_version_info });
      return true;
    }
    const route =
      /^\/web\/(webclient\/version_info|session\/(?:authenticate|get_session_info|destroy)|dataset\/call_kw(?:\/.*)?)$/.exec(
        path,
      )?.[1];
    if (!route) return false;
    if (request.method !== "POST") {
      request.resume();
      response.writeHead(405, { allow: "POST" }).end();
      return true;
    }
    let call: { id?: unknown; params?: Record<string, unknown> };
    try {
      call = JSON.parse(await readBody(request)) as typeof call;
      if (typeof call !== "object" || call === null) throw new Error("not an object");
    } catch {
      // Odoo answers a body that is not JSON-RPC with 400 Bad Request.
      response.writeHead(400, { "content-type": "text/html; charset=utf-8" }).end("<h1>Bad Request</h1>");
      return true;
    }
    const params = call.params && typeof call.params === "object" ? call.params : {};
    const sid = /(?:^|;\s*)session_id=([^;]+)/.exec(request.headers.cookie ?? "")?.[1];
    const headers: Record<string, string> = {};
    try {
      const result = await this.dispatch(route, params, sid, headers, sourceAddress(request, this.proxyMode));
      // Up to 19.0 a None result leaves the `result` key out.
      const answer = result === null && this.release.major < 20 ? {} : { result };
      sendJson(response, 200, { jsonrpc: "2.0", id: call.id ?? null, ...answer }, headers);
    } catch (error) {
      sendJson(response, 200, jsonRpcError(this.release, call.id ?? null, error), headers);
    }
    return true;
  }

  private dispatch(
    route: string,
    params: Record<string, unknown>,
    sid: string | undefined,
    headers: Record<string, string>,
    source: string,
  ) {
    const session = sid ? this.sessions.get(sid) : undefined;
    if (route === "webclient/version_info") return versionInfo(this.release);
    if (route === "session/authenticate") {
      const db = typeof params.db === "string" ? this.databases.get(params.db) : undefined;
      if (!db) throw new AccessError("Database not found.");
      const user = this.cooldowns.attempt(db, source, () => userByPassword(db, params.login, params.password));
      const id = randomBytes(30).toString("base64url");
      this.sessions.set(id, { db: db.name, uid: user.id, password: user.password });
      headers["set-cookie"] =
        `session_id=${id}; Expires=${new Date(Date.now() + 7 * 86_400_000).toUTCString()}; Max-Age=604800; HttpOnly; Path=/; SameSite=Lax`;
      return sessionInfo(this.release, db, user);
    }
    if (route === "session/destroy") {
      if (sid) this.sessions.delete(sid);
      return null;
    }
    const db = session ? this.databases.get(session.db) : undefined;
    const user = session && db?.users.find((candidate) => candidate.id === session.uid && candidate.active);
    if (!db || !user || user.password !== session?.password) throw new SessionExpired("Session expired");
    if (route === "session/get_session_info") return sessionInfo(this.release, db, user);
    // dataset/call_kw: params {model, method, args, kwargs}
    const {
      model: modelName,
      method,
      args = [],
      kwargs = {},
    } = params as {
      model?: unknown;
      method?: unknown;
      args?: unknown;
      kwargs?: unknown;
    };
    if (typeof method !== "string") throw new PythonError("TypeError", "method name must be a string");
    if (method.startsWith("_")) throw new AccessError(`Private methods (such as ${method}) cannot be called remotely.`);
    const model = typeof modelName === "string" ? db.model(modelName) : undefined;
    // 18.0 on, the route's `readonly` check looks the model up first and answers NotFound (web/controllers/dataset.py
    // `_call_kw_readonly`); 17.0 fails in `request.env[model]` with a KeyError.
    if (!model) throw this.release.major >= 18 ? new NotFound() : new PythonError("KeyError", `'${String(modelName)}'`);
    if (!Array.isArray(args) || typeof kwargs !== "object" || kwargs === null)
      throw new PythonError("TypeError", "call_kw() arguments must be a list and a dict");
    return callKw(userEnv(db, user), model, method, args, kwargs as Record<string, unknown>);
  }
}
