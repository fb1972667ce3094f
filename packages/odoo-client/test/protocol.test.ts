import { DEMO_USERS, type OdooVersion, SIM_VERSIONS } from "@odoo-mcp/odoo-sim";
import { describe, expect, it } from "vitest";
import type { OdooProtocolSetting } from "../src/connect.js";
import { OdooError } from "../src/errors.js";
import { json2Body } from "../src/transports/json2.js";
import { useSims } from "./sims.js";

const key = (login: string) => DEMO_USERS.find((user) => user.login === login)?.apiKey as string;
const sims = useSims({ "19.0-no-xmlrpc": { version: "19.0", xmlrpc: false } });
const client = (sim: string, protocol: OdooProtocolSetting, secret: string) => sims.client(sim, protocol, secret);
const countries = (odoo: ReturnType<typeof client>) => odoo.executeKw("res.country", "search_count", [[]]);

describe("choosing the Odoo protocol", () => {
  it.each(SIM_VERSIONS)(
    "auto on %s: XML-RPC before 19.0; from 19.0 JSON-2 for an API key, the web session for a password",
    async (version: OdooVersion) => {
      const major = Number.parseInt(version, 10);
      const byPassword = client(version, "auto", "admin");
      const byKey = client(version, "auto", key("admin"));
      expect(await countries(byPassword)).toBe(12);
      expect(await countries(byKey)).toBe(12);
      expect((await byPassword.server()).protocol).toBe(major >= 19 ? "web" : "xmlrpc");
      expect((await byKey.server()).protocol).toBe(major >= 19 ? "json2" : "xmlrpc");
      expect(await byKey.server()).toMatchObject({ version, major, minor: 0, saas: false, json2: major >= 19 });
    },
  );

  it("works on an Odoo without XML-RPC: version, passwords and API keys", async () => {
    expect((await client("19.0-no-xmlrpc", "auto", "admin").version()).server_version).toBe("19.0");
    expect(await countries(client("19.0-no-xmlrpc", "auto", "admin"))).toBe(12);
    expect(await countries(client("19.0-no-xmlrpc", "auto", key("admin")))).toBe(12);
    await expect(countries(client("19.0-no-xmlrpc", "xmlrpc", "admin"))).rejects.toMatchObject({ kind: "unavailable" });
  });

  it("can be forced either way, and says so when the way does not exist", async () => {
    expect(await countries(client("19.0", "xmlrpc", "admin"))).toBe(12);
    expect(await countries(client("20.0", "xmlrpc", key("admin")))).toBe(12);
    // JSON-2 takes API keys only, and Odoo 18 has no JSON-2.
    await expect(countries(client("19.0", "json2", "admin"))).rejects.toMatchObject({
      kind: "credentials",
      message: "refused",
    });
    await expect(countries(client("18.0", "json2", key("admin")))).rejects.toBeInstanceOf(OdooError);
  });

  it("refuses wrong credentials the same way on every route", async () => {
    for (const [version, secret] of [
      ["17.0", "wrong"],
      ["19.0", "wrong"],
      ["19.0", "0".repeat(40)],
    ] as const) {
      await expect(countries(client(version, "auto", secret))).rejects.toMatchObject({
        kind: "credentials",
        message: "refused",
      });
    }
  });

  it("maps execute_kw's positional arguments to JSON-2's named ones", () => {
    expect(json2Body("search_read", [[["a", "=", 1]]], { limit: 5 })).toEqual({ domain: [["a", "=", 1]], limit: 5 });
    expect(json2Body("read", [[1, 2], ["name"]], {})).toEqual({ ids: [1, 2], fields: ["name"] });
    expect(json2Body("write", [[3], { name: "x" }], {})).toEqual({ ids: [3], vals: { name: "x" } });
    expect(json2Body("create", [{ name: "x" }], {})).toEqual({ vals_list: { name: "x" } });
    expect(json2Body("action_confirm", [[4]], {})).toEqual({ ids: [4] });
    expect(json2Body("has_access", [[], "create"], {})).toEqual({ ids: [], operation: "create" });
  });
});
