import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS, type OdooSim, startOdooSim } from "../src/index.js";

let sim: OdooSim;
beforeAll(async () => {
  sim = await startOdooSim({ version: "19.0" });
});
afterAll(() => sim.close());

const key = (login: string) => DEMO_USERS.find((user) => user.login === login)?.apiKey as string;
async function json2(model: string, method: string, body: unknown, apiKey = key("admin")) {
  const response = await fetch(`${sim.url}/json/2/${model}/${method}`, {
    method: "POST",
    headers: { authorization: `bearer ${apiKey}`, "content-type": "application/json", "x-odoo-database": "demo" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe("Odoo 19's JSON-2 API", () => {
  it("answers /web/version as Odoo 19, and XML-RPC still says 19.0", async () => {
    expect(await (await fetch(`${sim.url}/web/version`)).json()).toEqual({
      version: "19.0",
      version_info: [19, 0, 0, "final", 0, ""],
    });
  });

  it("takes named arguments and answers the method's value", async () => {
    const { status, body } = await json2("res.partner", "search_read", {
      domain: [["is_company", "=", true]],
      fields: ["name"],
      limit: 2,
      context: { lang: "en_US" },
    });
    expect(status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({ id: expect.any(Number), name: expect.any(String) }),
      expect.anything(),
    ]);
    const read = await json2("res.country", "read", { ids: [1], fields: ["code"] });
    expect(read).toEqual({ status: 200, body: [{ id: 1, code: "ES" }] });
    const created = await json2("res.partner", "create", { vals_list: [{ name: "From JSON-2" }] });
    expect(created.body).toEqual([expect.any(Number)]);
    expect(await json2("res.partner", "write", { ids: created.body, vals: { phone: "1" } })).toEqual({
      status: 200,
      body: true,
    });
  });

  it("authenticates with an API key only", async () => {
    expect((await json2("res.country", "search_count", { domain: [] }, "admin")).status).toBe(401);
    const refused = await json2("res.country", "search_count", { domain: [] }, "nope");
    expect(refused).toEqual({
      status: 401,
      body: {
        name: "werkzeug.exceptions.Unauthorized",
        message: "Invalid apikey",
        arguments: ["Invalid apikey", 401],
        context: {},
        debug: "",
      },
    });
    expect((await json2("res.country", "search_count", { domain: [] }, key("former"))).status).toBe(401);
  });

  it("answers errors with Odoo's statuses and {name, message}", async () => {
    expect(await json2("foo.bar", "search", {})).toMatchObject({
      status: 404,
      body: { name: "werkzeug.exceptions.NotFound", message: "the model 'foo.bar' does not exist" },
    });
    expect(await json2("res.partner", "frobnicate", {})).toMatchObject({
      status: 404,
      body: { name: "werkzeug.exceptions.NotFound" },
    });
    expect(await json2("res.partner", "search", { ids: [1], domain: [] })).toMatchObject({
      status: 422,
      body: { message: "cannot call res.partner.search with ids" },
    });
    expect(await json2("res.partner", "search", { colour: "red" })).toMatchObject({
      status: 422,
      body: { name: "werkzeug.exceptions.UnprocessableEntity", message: "got an unexpected keyword argument 'colour'" },
    });
    expect(await json2("res.partner", "search", {})).toMatchObject({
      status: 422,
      body: { message: "missing a required argument: 'domain'" },
    });
    // search_read binds (it takes **read_kwargs); _read_format then refuses the keyword inside: a 500.
    expect(await json2("res.partner", "search_read", { domain: [], limits: 5 })).toMatchObject({
      status: 500,
      body: {
        name: "builtins.TypeError",
        message: "BaseModel._read_format() got an unexpected keyword argument 'limits'",
      },
    });
    expect(await json2("res.partner", "create", { vals_list: { name: "x" } }, key("demo"))).toMatchObject({
      status: 403,
      body: { name: "odoo.exceptions.AccessError" },
    });
    expect(await json2("res.partner", "write", { ids: [999999], vals: { name: "x" } })).toMatchObject({
      status: 404,
      body: { name: "odoo.exceptions.MissingError" },
    });
    expect(await json2("product.template", "create", { vals_list: { list_price: 1 } })).toMatchObject({
      status: 422,
      body: { name: "odoo.exceptions.ValidationError" },
    });
    expect(await json2("res.partner", "_compute_display_name", { ids: [1] })).toMatchObject({
      status: 403,
      body: { name: "odoo.exceptions.AccessError" },
    });
  });

  it("is not there on Odoo 17", async () => {
    const old = await startOdooSim({ version: "17.0" });
    try {
      const response = await fetch(`${old.url}/json/2/res.partner/search`, {
        method: "POST",
        headers: { authorization: `bearer ${key("admin")}`, "content-type": "application/json" },
        body: "{}",
      });
      expect(response.status).toBe(404);
    } finally {
      await old.close();
    }
  });
});
