import { describe, expect, it } from "vitest";
import { call, faultOf, internals, lastLine, useSim } from "./helpers.js";

const { sim, connect } = useSim();

describe("faults, as Odoo 17 answers them", () => {
  it("unknown model -> 2, Object foo.bar doesn't exist", async () => {
    const fault = await faultOf(call(await connect(), "foo.bar", "search", [[]]));
    expect(fault).toEqual({ faultCode: 2, faultString: "Object foo.bar doesn't exist" });
  });

  it("unknown method -> 1 with a traceback", async () => {
    const fault = await faultOf(call(await connect(), "res.partner", "foo", [[]]));
    expect(fault.faultCode).toBe(1);
    expect(fault.faultString).toMatch(/^Traceback \(most recent call last\):/);
    expect(lastLine(fault)).toBe("AttributeError: The method 'foo' does not exist on the model 'res.partner'");
  });

  it("private method -> AccessError (4), before the model is even looked up", async () => {
    const fault = await faultOf(call(await connect(), "res.partner", "_compute_display_name", [[1]]));
    expect(fault).toEqual({
      faultCode: 4,
      faultString: "Private methods (such as _compute_display_name) cannot be called remotely.",
    });
  });

  it("write on a deleted id -> 2 (MissingError)", async () => {
    const fault = await faultOf(call(await connect(), "res.partner", "write", [[999999], { name: "x" }]));
    expect(fault.faultCode).toBe(2);
    expect(fault.faultString).toMatch(
      /^Record does not exist or has been deleted\.\n\(Record: res\.partner\(\d+,\), User: \d+\)$/,
    );
  });

  it("unlink of a deleted id -> 2 (MissingError)", async () => {
    const fault = await faultOf(call(await connect(), "res.partner", "unlink", [[999999]]));
    expect(fault.faultCode).toBe(2);
    expect(fault.faultString).toContain("Record does not exist or has been deleted.");
  });

  it("missing required field -> 2 (ValidationError naming the field)", async () => {
    const fault = await faultOf(call(await connect(), "product.template", "create", [{ list_price: 3 }]));
    expect(fault.faultCode).toBe(2);
    expect(fault.faultString).toContain("a mandatory field is not set");
    expect(fault.faultString).toContain("Field: Name (name)");
  });

  it("wrong values -> 1 (ValueError)", async () => {
    const odoo = await connect();
    expect(lastLine(await faultOf(call(odoo, "res.partner", "create", [{ name: "x", type: "alien" }])))).toBe(
      "ValueError: Wrong value for res.partner.type: 'alien'",
    );
    expect(lastLine(await faultOf(call(odoo, "res.partner", "create", [{ name: "x", customer_rank: "many" }])))).toBe(
      "ValueError: invalid literal for int() with base 10: 'many'",
    );
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search_read", [[]], { fields: ["nope"] })))).toBe(
      "ValueError: Invalid field 'nope' on model 'res.partner'",
    );
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search", [[]], { order: "nope desc" })))).toBe(
      "ValueError: Invalid field 'nope' on model 'res.partner'",
    );
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search", [[]], { order: "name; drop table" })))).toMatch(
      /^ValueError: Invalid "order"/,
    );
  });

  it("a many2one to a record that does not exist -> 2 (ValidationError)", async () => {
    const fault = await faultOf(call(await connect(), "res.partner", "create", [{ name: "x", country_id: 9999 }]));
    expect(fault.faultCode).toBe(2);
    expect(fault.faultString).toContain("Constraint: res_partner_country_id_fkey");
  });

  it("Python argument errors -> 1 (TypeError)", async () => {
    const odoo = await connect();
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search", [[]], { colour: "red" })))).toBe(
      "TypeError: BaseModel.search() got an unexpected keyword argument 'colour'",
    );
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search_count", [[], 1, 2, 3])))).toBe(
      "TypeError: BaseModel.search_count() takes from 2 to 3 positional arguments but 5 were given",
    );
    // search_read hands its extra keywords to _read_format, which takes only `load`.
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search_read", [[]], { limits: 5 })))).toBe(
      "TypeError: BaseModel._read_format() got an unexpected keyword argument 'limits'",
    );
    expect(lastLine(await faultOf(call(odoo, "res.partner", "search", [], {})))).toBe(
      "TypeError: BaseModel.search() missing 1 required positional argument: 'domain'",
    );
  });

  it("malformed XML -> fault 1, not an HTTP error", async () => {
    const response = await fetch(`${sim().url}/xmlrpc/2/object`, {
      method: "POST",
      body: "<methodCall><oops",
      headers: { "content-type": "text/xml" },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("<name>faultCode</name><value><int>1</int></value>");
  });

  it("answers 404 outside the XML-RPC endpoints and 405 for GET", async () => {
    expect((await fetch(`${sim().url}/web/login`)).status).toBe(404);
    expect((await fetch(`${sim().url}/xmlrpc/2/object`)).status).toBe(405);
  });
});

describe("access rights of the demo users", () => {
  it("the read-only user reads but gets AccessError (4) on create, write and unlink", async () => {
    const demo = await connect("demo", "demo");
    expect(await call(demo, "res.partner", "search_count", [[]])).toBeGreaterThan(60);
    for (const [method, args] of [
      ["create", [{ name: "x" }]],
      ["write", [[7], { name: "x" }]],
      ["unlink", [[7]]],
    ] as const) {
      const fault = await faultOf(call(demo, "res.partner", method, [...args]));
      expect(fault.faultCode).toBe(4);
      expect(fault.faultString).toMatch(
        /^You are not allowed to (create|modify|delete) 'Contact' \(res\.partner\) records\./,
      );
    }
  });

  it("the portal user can sign in but reads nothing through the API", async () => {
    const portal = await connect("portal", "portal");
    expect(internals(portal).uid).toBe(4);
    const fault = await faultOf(call(portal, "res.partner", "search_read", [[]], { limit: 1 }));
    expect(fault.faultCode).toBe(4);
  });
});
