/** Odoo's XML-RPC endpoints, `POST /xmlrpc/2/{common,object,db}`, on the wire as Odoo's marshaller writes them. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "@odoo-mcp/shared";
import CustomType from "xmlrpc/lib/customtype.js";
import Deserializer from "xmlrpc/lib/deserializer.js";
import { serializeFault, serializeMethodResponse } from "xmlrpc/lib/serializer.js";
import { PythonError, toFault } from "../faults.js";
import { OdooFloat } from "../orm/fields.js";
import { sendHtml } from "./io.js";
import type { RpcDispatcher } from "./xmlrpc-services.js";

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

export async function handleXmlRpc(
  dispatcher: RpcDispatcher,
  logger: Logger,
  request: IncomingMessage,
  response: ServerResponse,
  service: string,
): Promise<void> {
  if (request.method !== "POST") {
    request.resume();
    sendHtml(response, 405, "<h1>405: Method Not Allowed</h1>", { allow: "POST" });
    return;
  }
  let body: string;
  let method = "";
  try {
    const call = await parseCall(request);
    method = call.method;
    body = serializeMethodResponse(marshal(await dispatcher.dispatch(service, call.method, call.params)));
    logger.debug({ event: "odoo_rpc", service, method, model: service === "object" ? call.params[3] : undefined });
  } catch (error) {
    const fault = toFault(error);
    logger.debug({ event: "odoo_rpc_fault", service, method, faultCode: fault.faultCode });
    body = serializeFault(fault);
  }
  response.writeHead(200, { "content-type": "text/xml; charset=utf-8", "content-length": Buffer.byteLength(body) });
  response.end(body);
}
