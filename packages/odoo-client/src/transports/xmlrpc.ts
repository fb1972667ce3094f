/**
 * XML-RPC (`/xmlrpc/2`), by one of two clients behind the same transport: `builtin` (the default: calls
 * built from strings and answers parsed by saxes, ./xmlrpc-codec.ts, sent on the shared
 * keep-alive agent of ../http.ts, about a sixth of the CPU per call) or odoo-await, the named client.
 *
 * odoo-await is the one place that knows its sharp edges: no timeout
 * (every call is wrapped), a fresh params array per call (it mutates what it is given), bad credentials
 * rejected as a plain string, faults as Errors with faultCode/faultString (mapped to OdooError without
 * the traceback). One connected client per credential, reused; a lost session (AccessDenied) reconnects
 * once, which is safe even for writes because Odoo checks credentials before running anything.
 */
import type Odoo from "odoo-await";
import type { OdooTransport } from "../client.js";
import { kindOfException, OdooError, unreachable, withDeadline, withoutTraceback } from "../errors.js";
import { requestOdoo } from "../http.js";
import { decodeMethodResponse, encodeMethodCall } from "./xmlrpc-codec.js";

/** Which XML-RPC client speaks to Odoo: the built-in codec or odoo-await (and its xmlrpc package). */
export type XmlRpcClientSetting = "builtin" | "odoo-await";
export const DEFAULT_XMLRPC_CLIENT: XmlRpcClientSetting = "builtin";

export interface XmlRpcConnection {
  url: string;
  db: string;
  login: string;
  /** Password or API key. */
  secret: string;
  timeoutMs: number;
  /** What to tell a person when Odoo refuses these credentials. */
  rejectedMessage: string;
  /** The built-in codec by default. */
  client?: XmlRpcClientSetting;
}

interface Fault {
  faultCode: number;
  faultString: string;
}

const isFault = (error: unknown): error is Fault =>
  typeof (error as Fault | null)?.faultCode === "number" && typeof (error as Fault).faultString === "string";

/** The exception class a fault's traceback ends with, e.g. `odoo.exceptions.AccessError`. */
const exceptionClass = (faultString: string) =>
  /^([\w.]+(?:Error|Exception|Warning|Denied)):/m.exec(faultString.trim().split("\n").at(-1) ?? "")?.[1];

export function toOdooError(error: unknown, rejectedMessage: string): OdooError {
  if (error instanceof OdooError) return error;
  if (typeof error === "string") return new OdooError("credentials", rejectedMessage);
  if (isFault(error)) {
    const message = withoutTraceback(error.faultString);
    if (error.faultCode === 3) return new OdooError("credentials", rejectedMessage);
    if (error.faultCode === 4) return new OdooError("access", message);
    const kind = kindOfException(exceptionClass(error.faultString) ?? "Error", message);
    return new OdooError(kind === "credentials" ? "invalid" : kind, message);
  }
  return unreachable(error);
}

export function createXmlRpcTransport(connection: XmlRpcConnection): OdooTransport & { uid(): Promise<number> } {
  return (connection.client ?? DEFAULT_XMLRPC_CLIENT) === "builtin"
    ? createBuiltinTransport(connection)
    : createOdooAwaitTransport(connection);
}

/** Re-signs in once on a lost session (fault 3), maps every failure to an OdooError. */
function transport(
  connection: XmlRpcConnection,
  uid: () => Promise<number>,
  forget: () => void,
  execute: (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => Promise<unknown>,
): OdooTransport & { uid(): Promise<number> } {
  return {
    protocol: "xmlrpc",
    async signIn() {
      await uid();
    },
    uid,
    async executeKw(model, method, args, kwargs) {
      try {
        return await execute(model, method, args, kwargs);
      } catch (error) {
        if (isFault(error) && error.faultCode === 3) {
          forget();
          try {
            return await execute(model, method, args, kwargs);
          } catch (retryError) {
            throw toOdooError(retryError, connection.rejectedMessage);
          }
        }
        throw toOdooError(error, connection.rejectedMessage);
      }
    },
  };
}

/**
 * One XML-RPC call on ../http.ts, the body built and parsed by ./xmlrpc-codec.ts: the answer's value, or
 * its fault thrown as the xmlrpc package throws it (a 404 is "Not Found"; any other answer is read as
 * XML-RPC).
 */
export async function callXmlRpc(
  url: string,
  service: "common" | "object",
  method: string,
  params: unknown[],
  timeoutMs: number,
): Promise<unknown> {
  const response = await requestOdoo(
    `${url}/xmlrpc/2/${service}`,
    { method: "POST", headers: { "content-type": "text/xml" }, body: encodeMethodCall(method, params) },
    timeoutMs,
  );
  if (response.status === 404) throw new Error("Not Found");
  return decodeMethodResponse(response.text);
}

/** XML-RPC through callXmlRpc: one POST per call, on the shared keep-alive agent. */
function createBuiltinTransport(connection: XmlRpcConnection): OdooTransport & { uid(): Promise<number> } {
  const call = (service: "common" | "object", method: string, params: unknown[]) =>
    callXmlRpc(connection.url, service, method, params, connection.timeoutMs);
  let session: Promise<number> | undefined;
  const uid = (): Promise<number> => {
    session ??= (async () => {
      const uid = await call("common", "authenticate", [connection.db, connection.login, connection.secret, {}]);
      // odoo-await's refusal: a plain string, which toOdooError reads as refused credentials.
      if (!uid) throw "Error connecting to database. This is probably due to invalid credentials.";
      return uid as number;
    })().catch((error: unknown) => {
      session = undefined;
      throw toOdooError(error, connection.rejectedMessage);
    });
    return session;
  };
  return transport(
    connection,
    uid,
    () => {
      session = undefined;
    },
    async (model, method, args, kwargs) =>
      call("object", "execute_kw", [connection.db, await uid(), connection.secret, model, method, args, kwargs]),
  );
}

function createOdooAwaitTransport(connection: XmlRpcConnection): OdooTransport & { uid(): Promise<number> } {
  let session: Promise<{ odoo: Odoo; uid: number }> | undefined;

  const connect = (): Promise<{ odoo: Odoo; uid: number }> => {
    session ??= (async () => {
      // Loaded when selected only: odoo-await and its xmlrpc client are ~10 MB a server need not carry.
      const { default: OdooAwait } = await import("odoo-await");
      const odoo = new OdooAwait({
        baseUrl: connection.url,
        db: connection.db,
        username: connection.login,
        password: connection.secret,
      });
      const uid = (await withDeadline(odoo.connect(), connection.timeoutMs)) as number;
      return { odoo, uid };
    })().catch((error: unknown) => {
      session = undefined;
      throw toOdooError(error, connection.rejectedMessage);
    });
    return session;
  };

  const execute = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
    const { odoo } = await connect();
    // odoo-await prepends db, uid and password to the array it is given: always hand it a new one.
    return withDeadline(
      odoo.execute_kw(model, method, [structuredClone(args), structuredClone(kwargs)]),
      connection.timeoutMs,
    );
  };

  return transport(
    connection,
    async () => (await connect()).uid,
    () => {
      session = undefined;
    },
    execute,
  );
}
