/**
 * Odoo's exceptions as they cross the wire. XML-RPC `/xmlrpc/2/*` maps them to integer fault codes
 * (odoo/addons/base/controllers/rpc.py, xmlrpc_handle_exception_int): UserError and its subclasses 2,
 * AccessDenied 3, AccessError 4, anything else 1 with a Python traceback as the fault string.
 */
export abstract class OdooException extends Error {
  /** Fully qualified Python class, as Odoo's JSON APIs name it (`odoo.exceptions.AccessError`). */
  abstract readonly pythonClass: string;
  abstract readonly faultCode: 1 | 2 | 3 | 4;
}

export class UserError extends OdooException {
  readonly pythonClass: string = "odoo.exceptions.UserError";
  readonly faultCode = 2 as const;
}

export class ValidationError extends UserError {
  override readonly pythonClass = "odoo.exceptions.ValidationError";
}

export class MissingError extends UserError {
  override readonly pythonClass = "odoo.exceptions.MissingError";
}

export class AccessError extends OdooException {
  readonly pythonClass = "odoo.exceptions.AccessError";
  readonly faultCode = 4 as const;
}

export class AccessDenied extends OdooException {
  readonly pythonClass = "odoo.exceptions.AccessDenied";
  readonly faultCode = 3 as const;
  constructor(message = "Access Denied") {
    super(message);
  }
}

/** A Python built-in exception (ValueError, TypeError, KeyError…): fault 1 carrying a traceback. */
export class PythonError extends OdooException {
  readonly faultCode = 1 as const;
  /** @param pythonType the exception class as a traceback's last line names it (`ValueError`, `psycopg2.OperationalError`). */
  constructor(
    readonly pythonType: string,
    message: string,
  ) {
    super(message);
  }
  get pythonClass(): string {
    return this.pythonType.includes(".") ? this.pythonType : `builtins.${this.pythonType}`;
  }
}

export interface XmlRpcFault {
  faultCode: number;
  faultString: string;
}

const TRACEBACK_HEAD = `Traceback (most recent call last):
  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 154, in xmlrpc_2
    response = self._xmlrpc(service)
  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 134, in _xmlrpc
    result = dispatch_rpc(service, method, params)
  File "/usr/lib/python3/dist-packages/odoo/http.py", line 368, in dispatch_rpc
    return dispatch(method, params)
`;

/** Turns anything thrown while serving a call into the fault Odoo's XML-RPC would answer. */
export function toFault(error: unknown): XmlRpcFault {
  if (error instanceof PythonError) {
    return { faultCode: 1, faultString: `${TRACEBACK_HEAD}${error.pythonType}: ${error.message}\n` };
  }
  if (error instanceof OdooException) return { faultCode: error.faultCode, faultString: error.message };
  // A defect in the simulator itself: answer as Odoo answers an unexpected exception, never crash.
  const message = error instanceof Error ? error.message : String(error);
  return { faultCode: 1, faultString: `${TRACEBACK_HEAD}RuntimeError: ${message}\n` };
}
