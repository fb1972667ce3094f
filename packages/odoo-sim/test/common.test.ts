import Odoo from "odoo-await";
import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../src/index.js";
import { call, faultOf, internals, lastLine, useSim } from "./helpers.js";

const { sim, connect } = useSim();
const user = (login: string) =>
  DEMO_USERS.find((candidate) => candidate.login === login) as (typeof DEMO_USERS)[number];

/** A raw call to /xmlrpc/2/common through odoo-await's own XML-RPC client. */
async function common(method: string, params: unknown[]) {
  const odoo = new Odoo({ baseUrl: sim().url, db: "demo", username: "x", password: "x" });
  // odoo-await exposes no call on `common` besides authenticate, so use the same xmlrpc client it uses.
  const xmlrpc = await import("xmlrpc");
  const client = xmlrpc.createClient({
    host: internals(odoo).host,
    port: Number(internals(odoo).port),
    path: "/xmlrpc/2/common",
  });
  return new Promise<unknown>((resolve, reject) =>
    client.methodCall(method, params, (error: unknown, value: unknown) => (error ? reject(error) : resolve(value))),
  );
}

describe("common service", () => {
  it("answers version() as Odoo 17", async () => {
    expect(await common("version", [])).toEqual({
      server_version: "17.0",
      server_version_info: [17, 0, 0, "final", 0, ""],
      server_serie: "17.0",
      protocol_version: 1,
    });
  });

  it("authenticates with a password and with an API key", async () => {
    expect(internals(await connect("admin", "admin")).uid).toBe(2);
    const byKey = new Odoo({ baseUrl: sim().url, db: "demo", username: "admin", password: user("admin").apiKey });
    expect(await byKey.connect()).toBe(2);
    expect(await common("login", ["demo", "demo", "demo"])).toBe(3);
    expect(await common("authenticate", ["demo", "demo", user("demo").apiKey, {}])).toBe(3);
  });

  it("answers false, not a fault, for a wrong password, an unknown login or an archived user", async () => {
    expect(await common("authenticate", ["demo", "admin", "wrong", {}])).toBe(false);
    expect(await common("authenticate", ["demo", "nobody", "admin", {}])).toBe(false);
    expect(await common("authenticate", ["demo", "former", "former", {}])).toBe(false);
    expect(await common("authenticate", ["demo", "former", user("former").apiKey, {}])).toBe(false);
    expect(await common("login", ["demo", "admin", ""])).toBe(false);
    await expect(
      new Odoo({ baseUrl: sim().url, db: "demo", username: "admin", password: "nope" }).connect(),
    ).rejects.toMatch(/invalid credentials/);
  });

  it("faults for an unknown database or method", async () => {
    const unknownDb = await faultOf(common("authenticate", ["nope", "admin", "admin", {}]));
    expect(unknownDb.faultCode).toBe(1);
    expect(lastLine(unknownDb)).toContain("database 'nope' does not exist");
    const unknownMethod = await faultOf(common("frobnicate", []));
    expect(lastLine(unknownMethod)).toBe("Exception: Method not found: frobnicate");
  });
});

describe("object service credentials", () => {
  it("checks the password on every call: wrong -> AccessDenied (3)", async () => {
    const odoo = await connect();
    internals(odoo).password = "wrong";
    const fault = await faultOf(call(odoo, "res.partner", "search_count", [[]]));
    expect(fault).toEqual({ faultCode: 3, faultString: "Access Denied" });
  });

  it("accepts the API key on object calls too", async () => {
    const odoo = await connect("demo", user("demo").apiKey);
    expect(await call(odoo, "res.partner", "search_count", [[]])).toBeGreaterThan(60);
  });

  it("refuses an archived user's uid even with the right password", async () => {
    const odoo = await connect();
    internals(odoo).uid = user("former").id;
    internals(odoo).password = "former";
    expect((await faultOf(call(odoo, "res.partner", "search", [[]]))).faultCode).toBe(3);
  });
});

describe("res.users.change_password", () => {
  it("changes the caller's own password; the old one stops working", async () => {
    const odoo = await connect("demo", "demo");
    expect(await call(odoo, "res.users", "change_password", ["demo", "demo-2"])).toBe(true);
    expect(await common("authenticate", ["demo", "demo", "demo", {}])).toBe(false);
    expect(await common("authenticate", ["demo", "demo", "demo-2", {}])).toBe(3);
    const again = await connect("demo", "demo-2");
    expect((await faultOf(call(again, "res.users", "change_password", ["wrong", "x"]))).faultCode).toBe(3);
    expect(await call(again, "res.users", "change_password", ["demo-2", "demo"])).toBe(true);
  });
});
