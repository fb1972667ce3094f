/** The simulator's HTTP face: Odoo's XML-RPC endpoints, `POST /xmlrpc/2/{common,object,db}`. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "@odoo-mcp/shared";
import CustomType from "xmlrpc/lib/customtype.js";
import Deserializer from "xmlrpc/lib/deserializer.js";
import { serializeFault, serializeMethodResponse } from "xmlrpc/lib/serializer.js";
import { PythonError, toFault } from "./faults.js";
import { json2Call } from "./json2.js";
import type { Database } from "./orm/database.js";
import { OdooFloat } from "./orm/fields.js";
import { type OdooVersion, RpcDispatcher, versionInfo } from "./rpc.js";

/** `<double>`, as Python's marshaller writes every float, even a whole one (`899.0`). */
class XmlRpcDouble extends CustomType {
  override tagName = "double";
}

// XML 1.0 forbids these; Odoo's marshaller strips them (rpc.py, CONTROL_CHARACTERS).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

/** Shapes a result as Odoo's marshaller would: floats as doubles, no nil (allow_none=False). */
function marshal(value: unknown): unknown {
  if (value instanceof OdooFloat) {
    return new XmlRpcDouble(Number.isInteger(value.value) ? value.value.toFixed(1) : String(value.value));
  }
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.replace(CONTROL_CHARACTERS, "");
  if (Array.isArray(value)) return value.map(marshal);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marshal(v)]));
  return value;
}

function parseCall(request: IncomingMessage): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    new Deserializer().deserializeMethodCall(request, (error, method, params) => {
      if (error || !method)
        reject(new PythonError("xml.parsers.expat.ExpatError", error?.message ?? "no element found: line 1, column 0"));
      else resolve({ method, params: params ?? [] });
    });
  });
}

export interface SimServerOptions {
  databases: ReadonlyMap<string, Database>;
  logger: Logger;
  version?: OdooVersion;
}

function readBody(request: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) request.destroy(new Error("request body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body ?? false);
  response
    .writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) })
    .end(text);
}

/** Odoo 19+: GET /web/version and POST /json/2/<model>/<method>. */
async function handleJson2(
  databases: ReadonlyMap<string, Database>,
  version: OdooVersion,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path === "/web/version") {
    request.resume();
    const info = versionInfo(version);
    sendJson(response, 200, { version: info.server_version, version_info: info.server_version_info });
    return true;
  }
  const match = /^\/json\/2\/([^/]+)\/([^/]+)$/.exec(path);
  if (!match || version === "17.0") return false;
  if (request.method !== "POST") {
    request.resume();
    sendJson(response, 405, {
      name: "werkzeug.exceptions.MethodNotAllowed",
      message: "The method is not allowed for the requested URL.",
      arguments: [],
      context: {},
      debug: "",
    });
    return true;
  }
  let body: unknown;
  try {
    const text = await readBody(request);
    body = text ? JSON.parse(text) : {};
  } catch (error) {
    sendJson(response, 400, {
      name: "werkzeug.exceptions.BadRequest",
      message: `could not parse the body as json: ${(error as Error).message}`,
      arguments: [],
      context: {},
      debug: "",
    });
    return true;
  }
  const answer = json2Call(
    databases,
    {
      authorization: request.headers.authorization,
      database: request.headers["x-odoo-database"] as string | undefined,
    },
    decodeURIComponent(match[1] as string),
    decodeURIComponent(match[2] as string),
    body,
  );
  sendJson(response, answer.status, answer.body);
  return true;
}

export function createSimServer({ databases, logger, version = "17.0" }: SimServerOptions): Server {
  const dispatcher = new RpcDispatcher(databases, version);
  return createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://odoo-sim").pathname;
    handleJson2(databases, version, request, response, path)
      .then((handled) => (handled ? undefined : handle(dispatcher, logger, request, response)))
      .catch((error: unknown) => {
        logger.error({ event: "odoo_sim_internal_error", err: error }, "request failed");
        if (!response.headersSent) response.writeHead(500).end();
      });
  });
}

async function handle(dispatcher: RpcDispatcher, logger: Logger, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://odoo-sim");
  const match = /^\/xmlrpc\/2\/([a-z_]+)$/.exec(url.pathname);
  if (!match) {
    request.resume();
    response.writeHead(404, { "content-type": "text/html; charset=utf-8" }).end("<h1>404: Not Found</h1>");
    return;
  }
  if (request.method !== "POST") {
    request.resume();
    response
      .writeHead(405, { allow: "POST", "content-type": "text/html; charset=utf-8" })
      .end("<h1>405: Method Not Allowed</h1>");
    return;
  }
  const service = match[1] as string;
  let body: string;
  let method = "";
  try {
    const call = await parseCall(request);
    method = call.method;
    body = serializeMethodResponse(marshal(dispatcher.dispatch(service, call.method, call.params)));
    logger.debug({ event: "odoo_rpc", service, method, model: service === "object" ? call.params[3] : undefined });
  } catch (error) {
    const fault = toFault(error);
    logger.debug({ event: "odoo_rpc_fault", service, method, faultCode: fault.faultCode });
    body = serializeFault(fault);
  }
  response.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-length": Buffer.byteLength(body) });
  response.end(body);
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
