/**
 * What each release does differently, as its source does it (docs/odoo-versions.md): signatures and
 * their TypeErrors, grouped reads, product and stock fields, routes and their errors.
 */
import Odoo from "odoo-await";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS, type OdooSim, type OdooVersion, SIM_VERSIONS, startOdooSim } from "../src/index.js";
import { call, faultOf, lastLine } from "./helpers.js";

type Rec = Record<string, unknown>;
const sims = new Map<OdooVersion, OdooSim>();
beforeAll(async () => {
  for (const version of SIM_VERSIONS) sims.set(version, await startOdooSim({ version }));
});
afterAll(async () => {
  await Promise.all([...sims.values()].map((sim) => sim.close()));
});
const sim = (version: OdooVersion) => sims.get(version) as OdooSim;
const key = (login: string) => DEMO_USERS.find((user) => user.login === login)?.apiKey as string;
async function admin(version: OdooVersion): Promise<Odoo> {
  const odoo = new Odoo({ baseUrl: sim(version).url, db: "demo", username: "admin", password: "admin" });
  await odoo.connect();
  return odoo;
}
async function jsonRpc(version: OdooVersion, path: string, params: Rec, cookie?: string) {
  const response = await fetch(`${sim(version).url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ jsonrpc: "2.0", method: "call", params, id: 7 }),
  });
  return {
    status: response.status,
    cookie: response.headers.get("set-cookie"),
    body: (await response.json()) as { result?: Rec; error?: { code: number; message: string; data: Rec } },
  };
}

describe("signatures and Python's argument errors, per release", () => {
  it("name_search takes `args` up to 18.0 and `domain` from 19.0; the other name is a TypeError", async () => {
    for (const version of SIM_VERSIONS) {
      const odoo = await admin(version);
      const [good, bad] = Number.parseInt(version, 10) >= 19 ? ["domain", "args"] : ["args", "domain"];
      const filter = [["code", "=", "ES"]];
      expect(await call(odoo, "res.country", "name_search", [], { name: "Spa", [good]: filter })).toEqual([
        [expect.any(Number), "Spain"],
      ]);
      expect(
        lastLine(await faultOf(call(odoo, "res.country", "name_search", [], { name: "Spa", [bad]: filter }))),
      ).toBe(`TypeError: BaseModel.name_search() got an unexpected keyword argument '${bad}'`);
    }
  });

  it("read_group: classic to 19.0 (a deprecation warning in 19.0), the tuple API in 20.0", async () => {
    const spec = { fields: ["quantity:sum"], groupby: ["location_id"], lazy: false };
    for (const version of ["17.0", "18.0", "19.0"] as const) {
      const rows = (await call(await admin(version), "stock.quant", "read_group", [[]], spec)) as Rec[];
      expect(rows[0]).toMatchObject({
        location_id: [expect.any(Number), expect.any(String)],
        __count: expect.any(Number),
      });
      expect(rows[0]).toHaveProperty("quantity");
      expect(rows[0]).toHaveProperty("__domain");
    }
    expect(sim("18.0").database.warnings).toEqual([]);
    expect(sim("19.0").database.warnings).toEqual([
      "Since 19.0, read_group is deprecated. Please use _read_group in the backend code or formatted_read_group for a complete formatted result",
    ]);
    const odoo20 = await admin("20.0");
    expect(lastLine(await faultOf(call(odoo20, "stock.quant", "read_group", [[]], spec)))).toBe(
      "TypeError: BaseModel.read_group() got an unexpected keyword argument 'fields'",
    );
    const tuples = (await call(odoo20, "stock.quant", "read_group", [[]], {
      groupby: ["location_id"],
      aggregates: ["quantity:sum", "__count"],
    })) as unknown[][];
    expect(tuples[0]).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
  });

  it("formatted_read_group (19.0 on): keys are the specs, dates are [start, label], granularity and order are checked", async () => {
    expect(lastLine(await faultOf(call(await admin("18.0"), "sale.order", "formatted_read_group", [[]])))).toBe(
      "AttributeError: The method 'sale.order.formatted_read_group' does not exist",
    );
    for (const version of ["19.0", "20.0"] as const) {
      const odoo = await admin(version);
      const rows = (await call(odoo, "sale.order", "formatted_read_group", [[["state", "=", "sale"]]], {
        groupby: ["date_order:month"],
        aggregates: ["__count", "amount_total:sum"],
        order: "amount_total:sum desc",
      })) as Rec[];
      expect(rows.length).toBeGreaterThan(1);
      expect(rows[0]).toEqual({
        "date_order:month": [
          expect.stringMatching(/^\d{4}-\d{2}-01 00:00:00$/),
          expect.stringMatching(/^[A-Z][a-z]+ \d{4}$/),
        ],
        __count: expect.any(Number),
        "amount_total:sum": expect.any(Number),
        __extra_domain: expect.any(Array),
      });
      const totals = rows.map((row) => row["amount_total:sum"] as number);
      expect(totals).toEqual([...totals].sort((a, b) => b - a));
      expect(
        lastLine(await faultOf(call(odoo, "sale.order", "formatted_read_group", [[]], { groupby: ["date_order"] }))),
      ).toBe("AssertionError: Granularity is missing");
      expect(
        lastLine(
          await faultOf(
            call(odoo, "sale.order", "formatted_read_group", [[]], { groupby: ["partner_id"], order: "name" }),
          ),
        ),
      ).toBe("ValueError: Order term 'name' is not a valid aggregate nor valid groupby");
      const having = (await call(odoo, "sale.order", "formatted_read_group", [[]], {
        groupby: ["partner_id"],
        aggregates: ["__count"],
        having: [["__count", ">", 1]],
      })) as Rec[];
      expect(having.every((row) => (row.__count as number) > 1)).toBe(true);
    }
  });

  it("access checks: check_access_rights (deprecated from 18.0, gone in 20.0) and has_access (18.0 on)", async () => {
    expect(await call(await admin("17.0"), "res.partner", "check_access_rights", ["create"])).toBe(true);
    expect(lastLine(await faultOf(call(await admin("17.0"), "res.partner", "has_access", [[], "create"])))).toMatch(
      /AttributeError: The method 'has_access' does not exist on the model 'res.partner'/,
    );
    for (const version of ["18.0", "19.0", "20.0"] as const) {
      expect(await call(await admin(version), "res.partner", "has_access", [[], "create"])).toBe(true);
    }
    expect(lastLine(await faultOf(call(await admin("20.0"), "res.partner", "check_access_rights", ["create"])))).toBe(
      "AttributeError: The method 'res.partner.check_access_rights' does not exist",
    );
  });

  it("has_group: @api.model in 17.0, on one user's record from 18.0; context_get names the caller", async () => {
    expect(await call(await admin("17.0"), "res.users", "has_group", ["base.group_system"])).toBe(true);
    for (const version of ["18.0", "19.0", "20.0"] as const) {
      const odoo = await admin(version);
      expect(await call(odoo, "res.users", "has_group", [[2], "base.group_system"])).toBe(true);
      expect(await call(odoo, "res.users", "has_group", [[3], "base.group_system"])).toBe(false);
      expect(lastLine(await faultOf(call(odoo, "res.users", "has_group", ["base.group_system"])))).toMatch(
        /^TypeError|ValueError/,
      );
      expect(await call(odoo, "res.users", "context_get", [])).toMatchObject({ uid: 2 });
    }
  });

  it("default_get takes fields_list up to 18.0 and fields from 19.0", async () => {
    expect(await call(await admin("18.0"), "res.partner", "default_get", [], { fields_list: ["active"] })).toEqual({
      active: true,
    });
    expect(await call(await admin("19.0"), "res.partner", "default_get", [], { fields: ["active"] })).toEqual({
      active: true,
    });
    expect(
      lastLine(await faultOf(call(await admin("19.0"), "res.partner", "default_get", [], { fields_list: ["active"] }))),
    ).toBe("TypeError: BaseModel.default_get() got an unexpected keyword argument 'fields_list'");
  });
});

describe("fields that changed", () => {
  it("a storable product is type 'product' in 17.0, and is_storable from 18.0 (where 'product' is a wrong value)", async () => {
    const o17 = await admin("17.0");
    const id17 = (await call(o17, "product.template", "create", [{ name: "Old", type: "product" }])) as number;
    expect(await call(o17, "product.template", "read", [[id17], ["type", "detailed_type"]])).toEqual([
      { id: id17, type: "product", detailed_type: "product" },
    ]);
    expect(await call(o17, "product.template", "search_count", [[["type", "=", "product"]]])).toBeGreaterThan(20);
    for (const version of ["18.0", "19.0", "20.0"] as const) {
      const odoo = await admin(version);
      expect(
        lastLine(await faultOf(call(odoo, "product.template", "create", [{ name: "New", type: "product" }]))),
      ).toBe("ValueError: Wrong value for product.template.type: 'product'");
      const id = (await call(odoo, "product.template", "create", [{ name: "New", is_storable: true }])) as number;
      expect(await call(odoo, "product.template", "read", [[id], ["type", "is_storable"]])).toEqual([
        { id, type: "consu", is_storable: true },
      ]);
      // Only goods track inventory; the demo data has no type 'product' left.
      const service = (await call(odoo, "product.template", "create", [
        { name: "S", type: "service", is_storable: true },
      ])) as number;
      expect(await call(odoo, "product.template", "read", [[service], ["is_storable"]])).toEqual([
        { id: service, is_storable: false },
      ]);
      expect(await call(odoo, "product.template", "search_count", [[["type", "=", "product"]]])).toBe(0);
      expect(await call(odoo, "product.template", "search_count", [[["is_storable", "=", true]]])).toBeGreaterThan(20);
    }
  });

  it("stock moves need a name up to 18.0 and have none from 19.0; 20.0 calls the unit uom_id", async () => {
    const move = { product_id: 1, product_uom_qty: 1, location_id: 8, location_dest_id: 10 };
    for (const version of SIM_VERSIONS) {
      const odoo = await admin(version);
      const major = Number.parseInt(version, 10);
      const fields = (await call(odoo, "stock.move", "fields_get", [], { attributes: ["type"] })) as Rec;
      expect(["name" in fields, "product_uom" in fields, "uom_id" in fields]).toEqual([
        major < 19,
        major < 20,
        major >= 20,
      ]);
      if (major < 19) {
        expect((await faultOf(call(odoo, "stock.move", "create", [move]))).faultString).toContain("name");
        expect(await call(odoo, "stock.move", "create", [{ ...move, name: "x" }])).toEqual(expect.any(Number));
      } else {
        expect(lastLine(await faultOf(call(odoo, "stock.move", "create", [{ ...move, name: "x" }])))).toMatch(
          /Invalid field 'name'/,
        );
        expect(await call(odoo, "stock.move", "create", [move])).toEqual(expect.any(Number));
      }
      const pickingFields = (await call(odoo, "stock.picking", "fields_get", [], { attributes: ["type"] })) as Rec;
      expect("move_ids_without_package" in pickingFields).toBe(major < 19);
    }
  });

  it("sale.order.action_cancel asks through a wizard in 17.0 and 18.0 and cancels from 19.0", async () => {
    for (const version of SIM_VERSIONS) {
      const odoo = await admin(version);
      const order = (await call(odoo, "sale.order", "create", [{ partner_id: 21 }])) as number;
      await call(odoo, "sale.order", "action_confirm", [[order]]);
      const answer = await call(odoo, "sale.order", "action_cancel", [[order]]);
      if (Number.parseInt(version, 10) < 19) expect(answer).toMatchObject({ res_model: "sale.order.cancel" });
      else expect(answer).toBe(true);
    }
  });
});

describe("routes and their answers, per release", () => {
  it("/web/version from 19.0; the web client's version_info on every release", async () => {
    for (const version of SIM_VERSIONS) {
      const response = await fetch(`${sim(version).url}/web/version`);
      expect(response.status).toBe(Number.parseInt(version, 10) >= 19 ? 200 : 404);
      await response.body?.cancel();
      expect((await jsonRpc(version, "/web/webclient/version_info", {})).body.result).toMatchObject({
        server_version: version,
        protocol_version: 1,
      });
    }
  });

  it("signs in by password through the web session, refuses API keys there, and answers errors with each release's code", async () => {
    for (const version of SIM_VERSIONS) {
      const major = Number.parseInt(version, 10);
      const good = await jsonRpc(version, "/web/session/authenticate", { db: "demo", login: "demo", password: "demo" });
      expect(good.body.result).toMatchObject({ uid: 3, username: "demo", is_system: false });
      const cookie = /session_id=[^;]+/.exec(good.cookie ?? "")?.[0] as string;
      expect(cookie).toBeDefined();
      const count = await jsonRpc(
        version,
        "/web/dataset/call_kw/res.country/search_count",
        { model: "res.country", method: "search_count", args: [[]], kwargs: {} },
        cookie,
      );
      expect(count.body.result).toBe(12);
      const byKey = await jsonRpc(version, "/web/session/authenticate", {
        db: "demo",
        login: "demo",
        password: key("demo"),
      });
      expect(byKey.status).toBe(200);
      expect(byKey.body.error).toMatchObject({
        code: major < 19 ? 200 : 0,
        message: "Odoo Server Error",
        data: { name: "odoo.exceptions.AccessDenied", message: "Access Denied" },
      });
      const expired = await jsonRpc(version, "/web/dataset/call_kw", {
        model: "res.country",
        method: "search_count",
        args: [[]],
        kwargs: {},
      });
      expect(expired.body.error).toMatchObject({ code: 100, message: "Odoo Session Expired" });
      const nodb = await jsonRpc(version, "/web/session/authenticate", { db: "nope", login: "demo", password: "demo" });
      expect(nodb.body.error?.data).toMatchObject({
        name: "odoo.exceptions.AccessError",
        message: "Database not found.",
      });
    }
  });

  it("JSON-2 from 19.0: 401 with WWW-Authenticate without a key or with a wrong one; absent before", async () => {
    for (const version of SIM_VERSIONS) {
      const post = (authorization?: string) =>
        fetch(`${sim(version).url}/json/2/res.country/search_count`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ domain: [] }),
        });
      if (Number.parseInt(version, 10) < 19) {
        expect((await post(`bearer ${key("admin")}`)).status).toBe(404);
        continue;
      }
      expect(await (await post(`bearer ${key("admin")}`)).json()).toBe(12);
      for (const [authorization, message] of [
        [undefined, "User not authenticated, use an API Key with a Bearer Authorization header."],
        ["bearer wrong", "Invalid apikey"],
        ["bearer admin", "Invalid apikey"],
      ] as const) {
        const response = await post(authorization);
        expect(response.status).toBe(401);
        expect(response.headers.get("www-authenticate")).toBe("Bearer");
        expect(await response.json()).toMatchObject({
          name: "werkzeug.exceptions.Unauthorized",
          message,
          arguments: [message, 401],
        });
      }
    }
  });

  it("serves no XML-RPC when told (an Odoo without it), the web session and JSON-2 still working", async () => {
    const bare = await startOdooSim({ version: "19.0", xmlrpc: false });
    try {
      expect((await fetch(`${bare.url}/xmlrpc/2/common`, { method: "POST", body: "<x/>" })).status).toBe(404);
      const response = await fetch(`${bare.url}/json/2/res.country/search_count`, {
        method: "POST",
        headers: { authorization: `bearer ${key("demo")}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(422);
    } finally {
      await bare.close();
    }
  });
});
