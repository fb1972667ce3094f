import Odoo from "odoo-await";
import { afterAll, beforeAll } from "vitest";
import { type OdooSim, type OdooSimOptions, startOdooSim } from "../src/index.js";

export interface Fault {
  faultCode: number;
  faultString: string;
}

/** Starts a fresh simulator (17.0 unless told) for the file's tests and closes it afterwards. */
export function useSim(options: OdooSimOptions = {}): {
  sim: () => OdooSim;
  connect: (login?: string, password?: string) => Promise<Odoo>;
} {
  let sim: OdooSim | undefined;
  beforeAll(async () => {
    sim = await startOdooSim(options);
  });
  afterAll(async () => {
    await sim?.close();
  });
  const current = () => {
    if (!sim) throw new Error("simulator not started");
    return sim;
  };
  return {
    sim: current,
    connect: async (login = "admin", password = "admin") => {
      const odoo = new Odoo({ baseUrl: current().url, db: "demo", username: login, password });
      await odoo.connect();
      return odoo;
    },
  };
}

/** `execute_kw(model, method, args, kwargs)` through odoo-await, which takes `[args, kwargs]`. */
export function call(
  odoo: Odoo,
  model: string,
  method: string,
  args: unknown[] = [],
  kwargs: Record<string, unknown> = {},
) {
  return odoo.execute_kw(model, method, [args, kwargs]);
}

/** The fault a call ends with; fails the test when it succeeds. */
export async function faultOf(promise: Promise<unknown>): Promise<Fault> {
  try {
    await promise;
  } catch (error) {
    const { faultCode, faultString } = error as Fault;
    if (typeof faultCode !== "number") throw error;
    return { faultCode, faultString };
  }
  throw new Error("expected an XML-RPC fault, the call succeeded");
}

/** The last line of a fault string: the Python exception of a traceback, or the whole message. */
export function lastLine(fault: Fault): string {
  return fault.faultString.trim().split("\n").at(-1) ?? "";
}

/** odoo-await's instance fields, which its type declarations declare as static by mistake. */
export function internals(odoo: Odoo): { host: string; port: number | string; uid: number; password: string } {
  return odoo as unknown as { host: string; port: number | string; uid: number; password: string };
}
