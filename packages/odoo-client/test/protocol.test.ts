import { DEMO_USERS, type OdooSim, startOdooSim } from "@odoo-mcp/odoo-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOdooClient, type OdooProtocolSetting as OdooProtocol } from "../src/connect.js";
import { OdooError } from "../src/errors.js";
import { json2Body } from "../src/transports/json2.js";

let odoo17: OdooSim;
let odoo19: OdooSim;
beforeAll(async () => {
  [odoo17, odoo19] = await Promise.all([startOdooSim({ version: "17.0" }), startOdooSim({ version: "19.0" })]);
});
afterAll(async () => {
  await Promise.all([odoo17.close(), odoo19.close()]);
});

const apiKey = DEMO_USERS.find((user) => user.login === "admin")?.apiKey as string;
const client = (sim: OdooSim, protocol: OdooProtocol, secret: string) =>
  createOdooClient({
    url: sim.url,
    db: "demo",
    username: "admin",
    secret,
    timeoutMs: 5000,
    rejectedMessage: "refused",
    protocol,
  });

describe("choosing the Odoo protocol", () => {
  it("auto picks XML-RPC on Odoo 17 and JSON-2 on Odoo 19", async () => {
    // A password works over XML-RPC only: JSON-2 accepts API keys alone, which tells the protocols apart.
    expect(await client(odoo17, "auto", "admin").executeKw("res.country", "search_count", [[]])).toBe(12);
    await expect(client(odoo19, "auto", "admin").executeKw("res.country", "search_count", [[]])).rejects.toMatchObject({
      kind: "credentials",
    });
    expect(await client(odoo19, "auto", apiKey).executeKw("res.country", "search_count", [[]])).toBe(12);
  });

  it("can be forced either way", async () => {
    expect(await client(odoo19, "xmlrpc", "admin").executeKw("res.country", "search_count", [[]])).toBe(12);
    await expect(client(odoo17, "json2", apiKey).executeKw("res.country", "search_count", [[]])).rejects.toBeInstanceOf(
      OdooError,
    );
  });

  it("maps execute_kw's positional arguments to JSON-2's named ones", () => {
    expect(json2Body("search_read", [[["a", "=", 1]]], { limit: 5 })).toEqual({ domain: [["a", "=", 1]], limit: 5 });
    expect(json2Body("read", [[1, 2], ["name"]], {})).toEqual({ ids: [1, 2], fields: ["name"] });
    expect(json2Body("write", [[3], { name: "x" }], {})).toEqual({ ids: [3], vals: { name: "x" } });
    expect(json2Body("create", [{ name: "x" }], {})).toEqual({ vals_list: { name: "x" } });
    expect(json2Body("action_confirm", [[4]], {})).toEqual({ ids: [4] });
  });
});
