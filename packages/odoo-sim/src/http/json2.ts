/**
 * Odoo 19's External JSON-2 API: `POST /json/2/<model>/<method>`, an API key as a bearer token, named
 * arguments in a JSON object (`ids` for record methods, `context`), the method's JSON result, and
 * errors as an HTTP status with a JSON object {name, message, arguments, context, debug}.
 * Sources: odoo/odoo 19.0 addons/rpc/controllers/json2.py (404 for an unknown model or method, 422 when
 * the arguments do not bind or ids are given to a model method, 403 for a private one), odoo/http.py
 * Json2Dispatcher.handle_error (werkzeug errors with (description, code) as arguments; any other
 * exception, a TypeError inside the method included, 500), odoo/exceptions.py `http_status` (UserError
 * and ValidationError 422, AccessError and AccessDenied 403, MissingError 404), ir_http.py
 * `_auth_method_bearer` (401 with WWW-Authenticate: Bearer). See docs/odoo-versions.md.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { userByApiKey, userEnv } from "../auth.js";
import { AccessDenied, AccessError, MissingError, OdooException, PythonError, UserError } from "../faults.js";
import type { Database } from "../orm/database.js";
import { CallBindingError, callKw, isRecordMethod } from "../orm/methods.js";
import { readBody, sendJson } from "./io.js";

export interface Json2Answer {
  status: number;
  body: unknown;
  /** A 401 that asks for a bearer token (`WWW-Authenticate: Bearer`). */
  bearer?: boolean;
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly pythonClass: string,
    message: string,
  ) {
    super(message);
  }
}

/** A werkzeug HTTP exception: `arguments` are (description, code) (odoo/http.py Json2Dispatcher.handle_error). */
function httpError(status: number, name: string, message: string, context: unknown = {}): Json2Answer {
  return { status, body: { name, message, arguments: [message, status], context, debug: "" } };
}

/** An exception raised by Odoo's code: `arguments` are its args (odoo/http.py serialize_exception). */
function exceptionError(status: number, name: string, message: string, context: unknown = {}): Json2Answer {
  return { status, body: { name, message, arguments: [message], context, debug: "" } };
}

/** odoo/exceptions.py `http_status`: UserError 422, AccessError and AccessDenied 403, MissingError 404. */
function statusOf(error: OdooException): number {
  if (error instanceof AccessError || error instanceof AccessDenied) return 403;
  if (error instanceof MissingError) return 404;
  if (error instanceof UserError) return 422;
  return 500;
}

const UNAUTHENTICATED = "User not authenticated, use an API Key with a Bearer Authorization header.";

export async function json2Call(
  databases: ReadonlyMap<string, Database>,
  headers: { authorization?: string; database?: string },
  model: string,
  method: string,
  body: unknown,
): Promise<Json2Answer> {
  const key = /^bearer\s+(.+)$/i.exec(headers.authorization ?? "")?.[1]?.trim();
  const db = headers.database
    ? databases.get(headers.database)
    : databases.size === 1
      ? [...databases.values()][0]
      : undefined;
  if (!db) return httpError(404, "werkzeug.exceptions.NotFound", "database not found");
  if (!key) return { ...httpError(401, "werkzeug.exceptions.Unauthorized", UNAUTHENTICATED), bearer: true };
  const user = userByApiKey(db, key);
  if (!user) return { ...httpError(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey"), bearer: true };
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return httpError(400, "werkzeug.exceptions.BadRequest", "could not parse the body, expecting a json object");
  }
  const { ids = [], context = {}, ...kwargs } = body as { ids?: unknown; context?: unknown } & Record<string, unknown>;
  const env = userEnv(db, user);
  try {
    const target = db.model(model);
    if (!target) throw new HttpProblem(404, "werkzeug.exceptions.NotFound", `the model '${model}' does not exist`);
    if (method.startsWith("_"))
      throw new AccessError(`Private methods (such as '${model}.${method}') cannot be called remotely.`);
    const onRecords = isRecordMethod(env, target, method);
    if (!onRecords && Array.isArray(ids) && ids.length > 0) {
      throw new HttpProblem(422, "werkzeug.exceptions.UnprocessableEntity", `cannot call ${model}.${method} with ids`);
    }
    const result = await callKw(env, target, method, onRecords ? [ids] : [], {
      ...kwargs,
      ...(context && typeof context === "object" ? { context } : {}),
    });
    // Every recordset a method returns is answered as its ids, one created record included: only
    // XML-RPC turns `create` of one values dict into one id (odoo/service/model.py `_call_kw_model_create`).
    return { status: 200, body: method === "create" && typeof result === "number" ? [result] : result };
  } catch (error) {
    if (error instanceof HttpProblem) return httpError(error.status, error.pythonClass, error.message, context);
    if (error instanceof PythonError && error.pythonType === "AttributeError")
      return httpError(404, "werkzeug.exceptions.NotFound", error.message, context);
    // `inspect.Signature.bind` failed before the call: 422 with bind's own words.
    if (error instanceof CallBindingError)
      return httpError(422, "werkzeug.exceptions.UnprocessableEntity", error.bindMessage, context);
    if (error instanceof OdooException)
      return exceptionError(statusOf(error), error.pythonClass, error.message, context);
    return exceptionError(500, "builtins.RuntimeError", (error as Error).message, context);
  }
}

/** `POST /json/2/<model>/<method>`. */
export async function handleJson2(
  databases: ReadonlyMap<string, Database>,
  request: IncomingMessage,
  response: ServerResponse,
  model: string,
  method: string,
): Promise<void> {
  if (request.method !== "POST") {
    request.resume();
    const problem = httpError(
      405,
      "werkzeug.exceptions.MethodNotAllowed",
      "The method is not allowed for the requested URL.",
    );
    sendJson(response, problem.status, problem.body);
    return;
  }
  let body: unknown;
  try {
    const text = await readBody(request);
    body = text ? JSON.parse(text) : {};
  } catch (error) {
    const problem = httpError(
      400,
      "werkzeug.exceptions.BadRequest",
      `could not parse the body as json: ${(error as Error).message}`,
    );
    sendJson(response, problem.status, problem.body);
    return;
  }
  const headers = {
    authorization: request.headers.authorization,
    database: request.headers["x-odoo-database"] as string | undefined,
  };
  const answer = await json2Call(databases, headers, model, method, body);
  sendJson(response, answer.status, answer.body, answer.bearer ? { "www-authenticate": "Bearer" } : {});
}
