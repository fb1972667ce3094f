/**
 * XML-RPC (`/xmlrpc/2`) through odoo-await, and the one place that knows its sharp edges: no timeout
 * (every call is wrapped), a fresh params array per call (it mutates what it is given), bad credentials
 * rejected as a plain string, faults as Errors with faultCode/faultString (mapped to OdooError without
 * the traceback). One connected client per credential, reused; a lost session (AccessDenied) reconnects
 * once, which is safe even for writes because Odoo checks credentials before running anything.
 */
import Odoo from "odoo-await";
import type { OdooTransport } from "../client.js";
import { kindOfException, OdooError, unreachable, withDeadline, withoutTraceback } from "../errors.js";

export interface XmlRpcConnection {
  url: string;
  db: string;
  login: string;
  /** Password or API key. */
  secret: string;
  timeoutMs: number;
  /** What to tell a person when Odoo refuses these credentials. */
  rejectedMessage: string;
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
  let session: Promise<{ odoo: Odoo; uid: number }> | undefined;

  const connect = (): Promise<{ odoo: Odoo; uid: number }> => {
    session ??= (async () => {
      const odoo = new Odoo({
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

  return {
    protocol: "xmlrpc",
    async signIn() {
      await connect();
    },
    async uid() {
      return (await connect()).uid;
    },
    async executeKw(model, method, args, kwargs) {
      try {
        return await execute(model, method, args, kwargs);
      } catch (error) {
        if (isFault(error) && error.faultCode === 3) {
          session = undefined;
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
