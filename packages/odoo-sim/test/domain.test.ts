import type Odoo from "odoo-await";
import { beforeAll, describe, expect, it } from "vitest";
import { call, faultOf, lastLine, useSim } from "./helpers.js";

const { connect } = useSim();
let odoo: Odoo;
beforeAll(async () => {
  odoo = await connect();
});

type Rec = Record<string, unknown> & { id: number };
const names = async (model: string, domain: unknown[], kwargs: Record<string, unknown> = {}) =>
  ((await call(odoo, model, "search_read", [domain], { fields: ["name"], ...kwargs })) as Rec[])
    .map((r) => r.name)
    .sort();
const count = (model: string, domain: unknown[], kwargs: Record<string, unknown> = {}) =>
  call(odoo, model, "search_count", [domain], kwargs) as Promise<number>;

describe("domain operators", () => {
  it("= and != (with <> as alias); != also matches unset values", async () => {
    expect(await names("res.country", [["code", "=", "ES"]])).toEqual(["Spain"]);
    const total = await count("res.partner", []);
    const withVat = await count("res.partner", [["vat", "!=", false]]);
    const notThisVat = await count("res.partner", [["vat", "!=", "nothing-like-this"]]);
    expect(notThisVat).toBe(total);
    expect(await count("res.partner", [["vat", "<>", false]])).toBe(withVat);
    expect(await count("res.partner", [["vat", "=", false]])).toBe(total - withVat);
  });

  it("<, <=, >, >= on numbers and dates", async () => {
    const cheap = (await call(odoo, "product.template", "search_read", [[["list_price", "<", 10]]], {
      fields: ["list_price"],
    })) as Rec[];
    expect(cheap.length).toBeGreaterThan(0);
    expect(cheap.every((p) => (p.list_price as number) < 10)).toBe(true);
    expect(await count("product.template", [["list_price", "<=", 5.5]])).toBe(
      (await count("product.template", [["list_price", "<", 5.5]])) + 1,
    );
    expect(await count("product.template", [["list_price", ">=", 1499]])).toBe(
      (await count("product.template", [["list_price", ">", 1499]])) + 1,
    );
    expect(
      await count("sale.order", [
        ["date_order", ">=", "2025-01-01"],
        ["date_order", "<", "2025-02-01"],
      ]),
    ).toBe(5);
  });

  it("=? ignores the leaf when the value is False", async () => {
    expect(await count("res.country", [["code", "=?", false]])).toBe(12);
    expect(await count("res.country", [["code", "=?", "FR"]])).toBe(1);
  });

  it("like/ilike wrap the value in %…%, =like/=ilike take the pattern raw, not like/not ilike negate", async () => {
    expect(await names("res.country", [["name", "like", "ain"]])).toEqual(["Spain"]);
    expect(await names("res.country", [["name", "like", "spain"]])).toEqual([]);
    expect(await names("res.country", [["name", "ilike", "SPAIN"]])).toEqual(["Spain"]);
    expect(await names("res.country", [["name", "=like", "S%"]])).toEqual(["Spain"]);
    expect(await names("res.country", [["name", "=ilike", "s_ain"]])).toEqual(["Spain"]);
    expect(await names("res.country", [["code", "=like", "_E"]])).toEqual(["Belgium", "Germany"]);
    expect(await count("res.country", [["name", "not like", "a"]])).toBe(
      12 - (await count("res.country", [["name", "like", "a"]])),
    );
    expect(await count("res.country", [["name", "not ilike", "A"]])).toBe(
      12 - (await count("res.country", [["name", "ilike", "a"]])),
    );
  });

  it("in / not in, including False for unset", async () => {
    expect(await names("res.country", [["code", "in", ["ES", "FR"]]])).toEqual(["France", "Spain"]);
    expect(await count("res.country", [["code", "not in", ["ES", "FR"]]])).toBe(10);
    const total = await count("res.partner", []);
    const unsetOrEs = await count("res.partner", [["country_id.code", "in", ["ES"]]]);
    expect(unsetOrEs).toBeGreaterThan(10);
    expect(await count("res.partner", [["parent_id", "in", [false]]])).toBe(
      await count("res.partner", [["parent_id", "=", false]]),
    );
    expect(
      (await count("res.partner", [["parent_id", "not in", [false]]])) +
        (await count("res.partner", [["parent_id", "=", false]])),
    ).toBe(total);
  });

  it("child_of and parent_of follow the hierarchy", async () => {
    const stock = await names("stock.location", [["id", "child_of", 7]]);
    expect(stock).toEqual(["Shelf A", "Stock", "WH"]);
    const parents = await names("stock.location", [["id", "parent_of", [8]]]);
    expect(parents).toEqual(["Physical Locations", "Stock", "WH"]);
    const contacts = await count("res.partner", [["parent_id", "child_of", "Construcciones Ebro"]]);
    expect(contacts).toBe(1);
    expect(await count("product.product", [["categ_id", "child_of", "Saleable"]])).toBeGreaterThan(20);
  });

  it("any / not any on many2one and x2many", async () => {
    const withLaptops = await count("sale.order", [
      ["order_line", "any", [["product_id.default_code", "=like", "LAP-%"]]],
    ]);
    expect(withLaptops).toBe(6);
    expect(
      await count("sale.order", [["order_line", "not any", [["product_id.default_code", "=like", "LAP-%"]]]]),
    ).toBe(6);
    expect(
      await count("res.partner", [
        ["country_id", "any", [["code", "=", "ES"]]],
        ["is_company", "=", true],
      ]),
    ).toBe(11);
  });

  it("&, | and ! in prefix notation, with implicit AND", async () => {
    expect(await names("res.country", ["|", ["code", "=", "ES"], ["code", "=", "FR"]])).toEqual(["France", "Spain"]);
    expect(await count("res.country", ["!", ["code", "=", "ES"]])).toBe(11);
    expect(
      await names("res.country", ["&", ["name", "ilike", "a"], "|", ["code", "=", "ES"], ["code", "=", "PT"]]),
    ).toEqual(["Portugal", "Spain"]);
    expect(
      await names("res.country", [
        ["name", "ilike", "a"],
        ["phone_code", ">", 50],
        ["phone_code", "<", 60],
      ]),
    ).toEqual(["Argentina", "Colombia"]);
    expect(await count("res.country", [])).toBe(12);
  });

  it("a many2one compared with text matches by name; dotted paths cross relations", async () => {
    const spanish = await count("res.partner", [["country_id", "=", "Spain"]]);
    expect(spanish).toBe(await count("res.partner", [["country_id.code", "=", "ES"]]));
    expect(await count("res.partner", [["country_id", "ilike", "spa"]])).toBe(spanish);
    expect(await count("res.partner", [["country_id", "!=", "Spain"]])).toBe(
      (await count("res.partner", [])) - spanish,
    );
    const lines = await count("sale.order.line", [["order_id.partner_id.country_id.code", "=", "ES"]]);
    expect(lines).toBeGreaterThan(5);
  });

  it("hides archived records unless the domain names active or active_test is off", async () => {
    const active = await count("res.partner", []);
    const archived = await count("res.partner", [["active", "=", false]]);
    expect(archived).toBeGreaterThan(0);
    expect(await count("res.partner", [["active", "in", [true, false]]])).toBe(active + archived);
    expect(await count("res.partner", [], { context: { active_test: false } })).toBe(active + archived);
    expect(await names("product.template", [["default_code", "=", "OLD-FAX"]])).toEqual([]);
    expect(
      await names("product.template", [
        ["default_code", "=", "OLD-FAX"],
        ["active", "=", false],
      ]),
    ).toEqual(["Fax Machine"]);
  });

  it("rejects a bad field, a bad operator and unbalanced operators with fault 1", async () => {
    const badField = await faultOf(call(odoo, "res.partner", "search", [[["foo", "=", 1]]]));
    expect(badField.faultCode).toBe(1);
    expect(lastLine(badField)).toBe("ValueError: Invalid field res.partner.foo in leaf ('foo', '=', 1)");
    const badPath = await faultOf(call(odoo, "res.partner", "search", [[["country_id.foo", "=", 1]]]));
    expect(lastLine(badPath)).toBe("ValueError: Invalid field res.country.foo in leaf ('foo', '=', 1)");
    const badOperator = await faultOf(call(odoo, "res.partner", "search", [[["name", "foo", "x"]]]));
    expect(lastLine(badOperator)).toBe("ValueError: Invalid leaf ('name', 'foo', 'x')");
    const unbalanced = await faultOf(call(odoo, "res.partner", "search", [["|", ["name", "=", "x"]]]));
    expect(unbalanced.faultCode).toBe(1);
    expect(lastLine(unbalanced)).toMatch(/^ValueError: Domain .* is syntactically not correct\.$/);
  });
});
