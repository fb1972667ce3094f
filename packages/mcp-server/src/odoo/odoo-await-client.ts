/**
 * The one place that knows odoo-await's sharp edges: no timeout (every call is wrapped), a fresh
 * params array per call (it mutates what it is given), bad credentials rejected as a plain string,
 * faults as Errors with faultCode/faultString (mapped here to OdooError without the traceback).
 * One connected client per credential, reused; a lost session (AccessDenied) reconnects once, which is
 * safe even for writes because Odoo checks credentials before running anything.
 */
import Odoo from "odoo-await";
import xmlrpc from "xmlrpc";
import { type OdooClient, OdooError } from "./client.js";

export interface OdooConnection {
  url: string;
  db: string;
  username: string;
  password: string;
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

/** Odoo's message without the traceback: the last line of a fault 1 is `ValueError: message`. */
export function faultMessage(fault: Fault): string {
  const text = fault.faultString.trim();
  if (!text.startsWith("Traceback")) return text;
  const last = text.split("\n").at(-1) ?? text;
  return last.replace(/^[\w.]+(Error|Exception|Warning): /, "");
}

function toOdooError(error: unknown, rejectedMessage: string): OdooError {
  if (error instanceof OdooError) return error;
  if (typeof error === "string") return new OdooError("credentials", rejectedMessage);
  if (isFault(error)) {
    const message = faultMessage(error);
    if (error.faultCode === 3) return new OdooError("credentials", rejectedMessage);
    if (error.faultCode === 4) return new OdooError("access", message);
    if (/does not exist or has been deleted|has already been deleted/.test(message))
      return new OdooError("missing", message);
    return new OdooError("invalid", message);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new OdooError("unavailable", `Odoo could not be reached (${detail}).`);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OdooError("unavailable", `Odoo did not answer within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

export function createOdooAwaitClient(connection: OdooConnection): OdooClient {
  let session: Promise<Odoo> | undefined;

  const connect = (): Promise<Odoo> => {
    session ??= (async () => {
      const odoo = new Odoo({
        baseUrl: connection.url,
        db: connection.db,
        username: connection.username,
        password: connection.password,
      });
      await withTimeout(odoo.connect(), connection.timeoutMs);
      return odoo;
    })().catch((error: unknown) => {
      session = undefined;
      throw toOdooError(error, connection.rejectedMessage);
    });
    return session;
  };

  const execute = async (model: string, method: string, args: unknown[], kwargs: Record<string, unknown>) => {
    const odoo = await connect();
    // odoo-await prepends db, uid and password to the array it is given: always hand it a new one.
    return withTimeout(
      odoo.execute_kw(model, method, [structuredClone(args), structuredClone(kwargs)]),
      connection.timeoutMs,
    );
  };

  return {
    async signIn() {
      await connect();
    },
    async executeKw(model, method, args, kwargs = {}) {
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
    async version() {
      // odoo-await has no call on the `common` service besides authenticate; its xmlrpc client does.
      const url = new URL(connection.url);
      const options = {
        host: url.hostname,
        port: Number(url.port) || (url.protocol === "https:" ? 443 : 80),
        path: "/xmlrpc/2/common",
      };
      const client = url.protocol === "https:" ? xmlrpc.createSecureClient(options) : xmlrpc.createClient(options);
      const answer = new Promise<{ server_version: string }>((resolve, reject) =>
        client.methodCall("version", [], (error: unknown, value: unknown) =>
          error ? reject(toOdooError(error, connection.rejectedMessage)) : resolve(value as { server_version: string }),
        ),
      );
      return withTimeout(answer, connection.timeoutMs);
    },
  };
}
