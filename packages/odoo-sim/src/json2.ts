/**
 * Odoo 19's External JSON-2 API: `POST /json/2/<model>/<method>`, an API key as a bearer token, named
 * arguments in a JSON object (`ids` for record methods, `context`), the method's JSON result, and
 * errors as an HTTP status with a JSON object {name, message, arguments, context, debug}.
 * Sources: Odoo 19.0 documentation, developer/reference/external_api (Request, Response); odoo/odoo
 * addons/rpc/controllers/json2.py (404 for an unknown model or method, 422 when the arguments do not
 * bind or ids are given to a model method); odoo/exceptions.py `http_code` (UserError and
 * ValidationError 422, AccessError 403, MissingError 404).
 */
import { AccessError, MissingError, OdooException, PythonError, UserError } from "./faults.js";
import type { Database } from "./orm/database.js";
import type { Env } from "./orm/env.js";
import { callKw, isRecordMethod } from "./orm/methods.js";

export interface Json2Answer {
  status: number;
  body: unknown;
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

function errorAnswer(status: number, name: string, message: string, context: unknown = {}): Json2Answer {
  return { status, body: { name, message, arguments: [message, status], context, debug: "" } };
}

function statusOf(error: OdooException): number {
  if (error instanceof AccessError) return 403;
  if (error instanceof MissingError) return 404;
  if (error instanceof UserError) return 422;
  if (error.faultCode === 3) return 401;
  return 500;
}

export function json2Call(
  databases: ReadonlyMap<string, Database>,
  headers: { authorization?: string; database?: string },
  model: string,
  method: string,
  body: unknown,
): Json2Answer {
  const key = /^bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
  const db = headers.database
    ? databases.get(headers.database)
    : databases.size === 1
      ? [...databases.values()][0]
      : undefined;
  if (!db) return errorAnswer(404, "werkzeug.exceptions.NotFound", "database not found");
  const user = key ? db.users.find((candidate) => candidate.active && candidate.apiKey === key) : undefined;
  if (!user) return errorAnswer(401, "werkzeug.exceptions.Unauthorized", "Invalid apikey");
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return errorAnswer(400, "werkzeug.exceptions.BadRequest", "could not parse the body, expecting a json object");
  }
  const { ids = [], context = {}, ...kwargs } = body as { ids?: unknown; context?: unknown } & Record<string, unknown>;
  const env: Env = {
    db,
    uid: user.id,
    group: user.group,
    context: { lang: "en_US", tz: "Europe/Brussels", uid: user.id },
  };
  try {
    if (method.startsWith("_")) throw new AccessError(`Private methods (such as ${method}) cannot be called remotely.`);
    const target = db.model(model);
    if (!target) throw new HttpProblem(404, "werkzeug.exceptions.NotFound", `the model '${model}' does not exist`);
    const onRecords = isRecordMethod(target, method);
    if (!onRecords && Array.isArray(ids) && ids.length > 0) {
      throw new HttpProblem(422, "werkzeug.exceptions.UnprocessableEntity", `cannot call ${model}.${method} with ids`);
    }
    const result = callKw(env, target, method, onRecords ? [ids] : [], {
      ...kwargs,
      ...(context && typeof context === "object" ? { context } : {}),
    });
    return { status: 200, body: result };
  } catch (error) {
    if (error instanceof HttpProblem) return errorAnswer(error.status, error.pythonClass, error.message, context);
    if (error instanceof PythonError && error.pythonType === "AttributeError") {
      return errorAnswer(404, "werkzeug.exceptions.NotFound", error.message, context);
    }
    if (error instanceof PythonError && error.pythonType === "TypeError") {
      return errorAnswer(422, "werkzeug.exceptions.UnprocessableEntity", error.message, context);
    }
    if (error instanceof OdooException) return errorAnswer(statusOf(error), error.pythonClass, error.message, context);
    return errorAnswer(500, "builtins.RuntimeError", (error as Error).message, context);
  }
}
