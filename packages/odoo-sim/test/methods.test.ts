import { describe, expect, it } from "vitest";
import { call, faultOf, internals, lastLine, useSim } from "./helpers.js";

const { connect } = useSim();

type Rec = Record<string, unknown> & { id: number };

describe("search, search_read, read, search_count", () => {
  it("search honours offset, limit and order, and defaults to the model's _order", async () => {
    const odoo = await connect();
    const byName = (await call(odoo, "res.country", "search", [[]])) as number[];
    const names = ((await call(odoo, "res.country", "read", [byName, ["name"]])) as Rec[]).map((r) => r.name);
    expect(names).toEqual([...names].sort((a, b) => String(a).localeCompare(String(b))));
    const page = await call(odoo, "res.country", "search", [[]], { offset: 2, limit: 3, order: "code desc" });
    const codes = ((await call(odoo, "res.country", "read", [page, ["code"]])) as Rec[]).map((r) => r.code);
    expect(codes).toEqual(["MX", "IT", "GB"]);
  });

  it("search_read returns the requested fields plus id, with odoo-await's empty options", async () => {
    const odoo = await connect();
    // odoo-await sends offset/limit/order as empty <value/> when left out: Odoo reads '' as "not given".
    const rows = (await odoo.searchRead("res.partner", [["is_company", "=", true]], ["name", "country_id"], {
      limit: 5,
    } as never)) as Rec[];
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(["country_id", "id", "name"]);
    const all = (await odoo.searchRead("res.country", [], ["code"])) as Rec[];
    expect(all).toHaveLength(12);
  });

  it("finds the first 5 active customers", async () => {
    const odoo = await connect();
    const rows = (await call(odoo, "res.partner", "search_read", [[["customer_rank", ">", 0]]], {
      fields: ["name", "email", "active"],
      limit: 5,
    })) as Rec[];
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.active === true && typeof row.email === "string")).toBe(true);
  });

  it("read drops missing ids silently and keeps the order asked for", async () => {
    const odoo = await connect();
    const rows = (await call(odoo, "res.country", "read", [[3, 99999, 1]], { fields: ["code"] })) as Rec[];
    expect(rows).toEqual([
      { id: 3, code: "DE" },
      { id: 1, code: "ES" },
    ]);
  });

  it("read without fields returns every field, load='' returns bare many2one ids", async () => {
    const odoo = await connect();
    const [full] = (await call(odoo, "sale.order", "read", [[1]])) as Rec[];
    expect(full).toMatchObject({ id: 1, state: "sale", name: expect.stringMatching(/^S\d{5}$/) });
    expect(Object.keys(full as Rec)).toEqual(
      expect.arrayContaining(["order_line", "partner_id", "create_date", "display_name"]),
    );
    const [bare] = (await call(odoo, "sale.order", "read", [[1], ["partner_id"]], { load: "" })) as Rec[];
    expect(typeof bare?.partner_id).toBe("number");
  });

  it("search_count counts, with an optional limit", async () => {
    const odoo = await connect();
    const total = (await call(odoo, "res.partner", "search_count", [[]])) as number;
    expect(total).toBeGreaterThanOrEqual(60);
    expect(await call(odoo, "res.partner", "search_count", [[]], { limit: 7 })).toBe(7);
    expect(
      await call(odoo, "res.partner", "search_count", [
        [
          ["country_id.code", "=", "ES"],
          ["customer_rank", ">", 0],
        ],
      ]),
    ).toBeGreaterThanOrEqual(10);
  });
});

describe("value encodings", () => {
  it("encodes many2one as [id, name], x2many as id lists, empty as false, datetimes in UTC text", async () => {
    const odoo = await connect();
    const [order] = (await call(odoo, "sale.order", "read", [
      [1],
      ["partner_id", "order_line", "date_order", "validity_date", "state"],
    ])) as Rec[];
    expect(order?.partner_id).toEqual([expect.any(Number), expect.any(String)]);
    expect(order?.order_line).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(order?.date_order).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(order?.validity_date).toBe(false);
    expect(order?.state).toBe("sale");
    const [company] = (await call(
      odoo,
      "res.partner",
      "search_read",
      [
        [
          ["is_company", "=", true],
          ["vat", "=", false],
        ],
      ],
      { fields: ["vat", "parent_id"], limit: 1 },
    )) as Rec[];
    expect(company).toMatchObject({ vat: false, parent_id: false });
  });

  it("sends floats as XML-RPC doubles, even whole ones", async () => {
    const odoo = await connect();
    const body = `<?xml version="1.0"?><methodCall><methodName>execute_kw</methodName><params>
      <param><value><string>demo</string></value></param><param><value><int>2</int></value></param>
      <param><value><string>admin</string></value></param><param><value><string>product.template</string></value></param>
      <param><value><string>search_read</string></value></param>
      <param><value><array><data><value><array><data><value><array><data>
        <value><string>default_code</string></value><value><string>=</string></value><value><string>LAP-LEN-X1</string></value>
      </data></array></value></data></array></value></data></array></value></param>
      <param><value><struct><member><name>fields</name><value><array><data><value><string>list_price</string></value></data></array></value></member></struct></value></param>
    </params></methodCall>`;
    const response = await fetch(`http://${internals(odoo).host}:${internals(odoo).port}/xmlrpc/2/object`, {
      method: "POST",
      body,
      headers: { "content-type": "text/xml" },
    });
    expect(response.headers.get("content-type")).toContain("text/xml");
    expect(await response.text()).toContain("<double>1499.0</double>");
  });
});

describe("create, write, unlink", () => {
  it("create takes a dict (-> id) or a list of dicts (-> ids)", async () => {
    const odoo = await connect();
    const id = await call(odoo, "res.partner", "create", [{ name: "Nuevo Cliente", customer_rank: 1 }]);
    expect(typeof id).toBe("number");
    const ids = await call(odoo, "res.partner", "create", [[{ name: "A" }, { name: "B" }]]);
    expect(ids).toEqual([expect.any(Number), expect.any(Number)]);
    expect(await odoo.create("res.partner", { name: "Via odoo-await" })).toEqual(expect.any(Number));
  });

  it("creates a product with odoo-await and reads it back, variant included", async () => {
    const odoo = await connect();
    const id = await odoo.create("product.template", {
      name: "Laptop Dell",
      list_price: 899,
      default_code: "LAP-DELL-001",
    });
    const [template] = (await odoo.read("product.template", id, [
      "name",
      "list_price",
      "default_code",
      "product_variant_ids",
    ])) as Rec[];
    expect(template).toMatchObject({ name: "Laptop Dell", list_price: 899, default_code: "LAP-DELL-001" });
    const [variant] = (await call(odoo, "product.product", "search_read", [[["default_code", "=", "LAP-DELL-001"]]], {
      fields: ["display_name", "product_tmpl_id"],
    })) as Rec[];
    expect(variant?.display_name).toBe("[LAP-DELL-001] Laptop Dell");
    expect(template?.product_variant_ids).toEqual([variant?.id]);
  });

  it("write returns true and changes the record; x2many commands add lines", async () => {
    const odoo = await connect();
    const order = (await call(odoo, "sale.order", "create", [
      { partner_id: 21, order_line: [[0, 0, { product_id: 1, product_uom_qty: 2 }]] },
    ])) as number;
    expect(
      await odoo.update("sale.order", order, {
        client_order_ref: "PO-42",
        order_line: { action: "create", value: { product_id: 10, product_uom_qty: 1 } },
      }),
    ).toBe(true);
    const [read] = (await call(odoo, "sale.order", "read", [
      [order],
      ["client_order_ref", "order_line", "amount_total"],
    ])) as Rec[];
    expect(read?.client_order_ref).toBe("PO-42");
    expect(read?.order_line).toHaveLength(2);
    expect(read?.amount_total).toBe(2 * 1499 + 29);
  });

  it("unlink returns true and the record is gone; its lines cascade", async () => {
    const odoo = await connect();
    const order = (await call(odoo, "sale.order", "create", [
      { partner_id: 21, order_line: [[0, 0, { product_id: 1 }]] },
    ])) as number;
    const [{ order_line: lines } = { order_line: [] }] = (await call(odoo, "sale.order", "read", [
      [order],
      ["order_line"],
    ])) as Rec[];
    expect(await odoo.delete("sale.order", order)).toBe(true);
    expect(await call(odoo, "sale.order", "search", [[["id", "=", order]]])).toEqual([]);
    expect(await call(odoo, "sale.order.line", "read", [lines])).toEqual([]);
  });
});

describe("fields_get, name_search, read_group, check_access_rights", () => {
  it("fields_get describes fields, filtered by allfields and attributes", async () => {
    const odoo = await connect();
    const all = (await odoo.getFields("res.partner")) as Record<string, Record<string, unknown>>;
    expect(all.country_id).toMatchObject({ type: "many2one", relation: "res.country", string: "Country" });
    expect(all.type?.selection).toContainEqual(["contact", "Contact"]);
    const some = await call(odoo, "res.partner", "fields_get", [["name", "email"]], {
      attributes: ["type", "required"],
    });
    expect(some).toEqual({ name: { type: "char", required: true }, email: { type: "char", required: false } });
  });

  it("name_search matches names (and product codes) and answers [[id, name], ...]", async () => {
    const odoo = await connect();
    const found = (await call(odoo, "res.country", "name_search", ["spa"])) as [number, string][];
    expect(found).toEqual([[1, "Spain"]]);
    const products = (await call(odoo, "product.product", "name_search", ["LAP-HP"], { limit: 5 })) as [
      number,
      string,
    ][];
    expect(products.map(([, name]) => name)).toEqual(["[LAP-HP-840] Laptop HP EliteBook 840"]);
    const limited = (await call(odoo, "res.partner", "name_search", [""], { limit: 3 })) as unknown[];
    expect(limited).toHaveLength(3);
  });

  it("translated fields: res.country's name read, searched and sorted in the context's lang, en_US otherwise", async () => {
    const odoo = await connect();
    const es = { context: { lang: "es_ES" } };
    const spain = (await call(odoo, "res.country", "search", [[["code", "=", "ES"]]])) as number[];
    expect(await call(odoo, "res.country", "read", [spain, ["name"]])).toEqual([{ id: spain[0], name: "Spain" }]);
    expect(await call(odoo, "res.country", "read", [spain, ["name", "display_name"]], es)).toEqual([
      { id: spain[0], name: "España", display_name: "España" },
    ]);
    // Searched in the lang (COALESCE(name->>'es_ES', name->>'en_US')): "Esp" finds España, "Spa" does not in es_ES.
    expect(await call(odoo, "res.country", "name_search", ["Esp"], es)).toEqual([[spain[0], "España"]]);
    expect(await call(odoo, "res.country", "name_search", ["Esp"])).toEqual([]);
    // Sorted by the translated name: Alemania first in Spanish, Argentina first in English.
    const firstSpanish = (await call(odoo, "res.country", "search_read", [[]], {
      fields: ["name"],
      limit: 1,
      ...es,
    })) as Rec[];
    expect(firstSpanish[0]?.name).toBe("Alemania");
    // A many2one shows the target's name in the lang too.
    const partner = (await call(odoo, "res.partner", "search_read", [[["country_id.code", "=", "DE"]]], {
      fields: ["country_id"],
      limit: 1,
      ...es,
    })) as Rec[];
    expect(partner[0]?.country_id).toEqual([expect.any(Number), "Alemania"]);
  });

  it("writing a translated field in a lang changes that language only", async () => {
    const odoo = await connect();
    const [belgium] = (await call(odoo, "res.country", "search", [[["code", "=", "BE"]]])) as number[];
    await call(odoo, "res.country", "write", [[belgium], { name: "Belgique" }], { context: { lang: "fr_FR" } });
    const nameIn = async (lang?: string) =>
      ((await call(odoo, "res.country", "read", [[belgium], ["name"]], lang ? { context: { lang } } : {})) as Rec[])[0]
        ?.name;
    expect(await nameIn("fr_FR")).toBe("Belgique");
    expect(await nameIn("es_ES")).toBe("Bélgica");
    expect(await nameIn()).toBe("Belgium");
    await call(odoo, "res.country", "write", [[belgium], { name: "Kingdom of Belgium" }]);
    expect(await nameIn()).toBe("Kingdom of Belgium");
    expect(await nameIn("fr_FR")).toBe("Belgique");
  });

  it("res.country's name_search tries a two-letter name as a code first, then names", async () => {
    const odoo = await connect();
    const found = (await call(odoo, "res.country", "name_search", ["es"])) as [number, string][];
    // ES first (its code), then the names holding "es" (United States), in the model's order.
    expect(found.map(([, name]) => name)).toEqual(["Spain", "United States"]);
    expect(
      (
        (await call(odoo, "res.country", "name_search", ["ES"], { context: { lang: "es_ES" } })) as [number, string][]
      )[0]?.[1],
    ).toBe("España");
    expect(await call(odoo, "res.country", "name_search", ["es"], { limit: 1 })).toEqual([[found[0]?.[0], "Spain"]]);
  });

  it("read_group groups with counts, sums, date granularity, ordering and limit", async () => {
    const odoo = await connect();
    const byMonth = (await call(
      odoo,
      "sale.order",
      "read_group",
      [
        [
          ["state", "!=", "cancel"],
          ["date_order", "<", "2025-02-01"],
        ],
        ["amount_total:sum"],
        ["date_order:month"],
      ],
      {
        orderby: "date_order:month desc",
        lazy: false,
      },
    )) as Rec[];
    expect(byMonth[0]).toMatchObject({ "date_order:month": "January 2025", __count: 5 });
    expect(byMonth.every((group) => typeof group.amount_total === "number" && group.amount_total > 0)).toBe(true);
    const byState = (await call(odoo, "sale.order", "read_group", [[], ["amount_untaxed"], ["state"]], {
      orderby: "state_count desc",
      limit: 1,
    })) as Rec[];
    expect(byState).toHaveLength(1);
    expect(byState[0]).toMatchObject({ state: "sale", state_count: expect.any(Number) });
    const quants = (await call(odoo, "stock.quant", "read_group", [[], ["quantity:sum"], ["location_id"]])) as Rec[];
    expect(quants.map((group) => (group.location_id as [number, string])[1])).toEqual(["TN/Stock", "WH/Stock"]);
    const domain = quants[1]?.__domain as unknown[];
    expect(await call(odoo, "stock.quant", "search_count", [domain])).toBe(quants[1]?.location_id_count);
  });

  it("check_access_rights answers true, false or AccessError", async () => {
    const admin = await connect();
    expect(await call(admin, "res.partner", "check_access_rights", ["create"])).toBe(true);
    const demo = await connect("demo", "demo");
    expect(await call(demo, "res.partner", "check_access_rights", ["read"])).toBe(true);
    expect(await call(demo, "res.partner", "check_access_rights", ["write"], { raise_exception: false })).toBe(false);
    expect((await faultOf(call(demo, "res.partner", "check_access_rights", ["unlink"]))).faultCode).toBe(4);
  });

  it("lists every model in ir.model", async () => {
    const odoo = await connect();
    const models = ((await call(odoo, "ir.model", "search_read", [[]], { fields: ["model"] })) as Rec[]).map(
      (m) => m.model,
    );
    expect(models).toEqual(
      expect.arrayContaining(["res.partner", "product.product", "stock.picking", "sale.order", "ir.model"]),
    );
  });

  it("refuses unknown fields on create and on write, as odoo/models.py does (nothing is created)", async () => {
    const odoo = await connect();
    const before = await call(odoo, "res.partner", "search_count", [[]]);
    const onCreate = await faultOf(call(odoo, "res.partner", "create", [{ name: "Typo", emial: "x@y.z" }]));
    expect(lastLine(onCreate)).toBe("ValueError: Invalid field 'emial' on model 'res.partner'");
    expect(await call(odoo, "res.partner", "search_count", [[]])).toBe(before);
    const fault = await faultOf(call(odoo, "res.partner", "write", [[1], { emial: "x" }]));
    expect(lastLine(fault)).toBe("ValueError: Invalid field 'emial' on model 'res.partner'");
  });
});

describe("x2many commands and the remaining entry points", () => {
  it("applies many2many commands: 4 link, 3 unlink, 6 set, 5 clear, 0 create, and a plain id list", async () => {
    const odoo = await connect();
    const tagIds = (await call(odoo, "res.partner.category", "search", [[]])) as number[];
    const [vip, distributor, prospect] = tagIds as [number, number, number];
    const partner = (await call(odoo, "res.partner", "create", [
      { name: "Tagged", category_id: [[6, 0, [vip]]] },
    ])) as number;
    const tags = async () =>
      ((await call(odoo, "res.partner", "read", [[partner], ["category_id"]])) as Rec[])[0]?.category_id;
    expect(await tags()).toEqual([vip]);
    await call(odoo, "res.partner", "write", [[partner], { category_id: [[4, distributor, 0]] }]);
    expect(await tags()).toEqual([vip, distributor]);
    await call(odoo, "res.partner", "write", [[partner], { category_id: [[3, vip, 0]] }]);
    expect(await tags()).toEqual([distributor]);
    await call(odoo, "res.partner", "write", [[partner], { category_id: [prospect, vip] }]);
    expect(await tags()).toEqual([prospect, vip]);
    await call(odoo, "res.partner", "write", [[partner], { category_id: [[5, 0, 0]] }]);
    expect(await tags()).toEqual([]);
    await call(odoo, "res.partner", "write", [[partner], { category_id: [[0, 0, { name: "Nueva" }]] }]);
    const [created] = (await tags()) as number[];
    expect(await call(odoo, "res.partner.category", "read", [[created], ["name"]])).toEqual([
      { id: created, name: "Nueva" },
    ]);
    expect(await call(odoo, "res.partner", "search_count", [[["category_id", "in", [created]]]])).toBe(1);
  });

  it("applies one2many commands: 1 update and 2 delete on order lines", async () => {
    const odoo = await connect();
    const order = (await call(odoo, "sale.order", "create", [
      {
        partner_id: 21,
        order_line: [
          [0, 0, { product_id: 10, product_uom_qty: 1 }],
          [0, 0, { product_id: 11 }],
        ],
      },
    ])) as number;
    const [{ order_line: lines }] = (await call(odoo, "sale.order", "read", [[order], ["order_line"]])) as [Rec];
    const [first, second] = lines as [number, number];
    await call(odoo, "sale.order", "write", [
      [order],
      {
        order_line: [
          [1, first, { product_uom_qty: 3 }],
          [2, second, 0],
        ],
      },
    ]);
    const after = (await call(odoo, "sale.order.line", "search_read", [[["order_id", "=", order]]], {
      fields: ["product_uom_qty"],
    })) as Rec[];
    expect(after).toEqual([{ id: first, product_uom_qty: 3 }]);
  });

  it("default_get returns the defaults of the fields asked for", async () => {
    const odoo = await connect();
    expect(await call(odoo, "res.partner", "default_get", [["type", "active", "name"]])).toEqual({
      type: "contact",
      active: true,
    });
  });

  it("serves the old `execute` entry point with positional arguments", async () => {
    const odoo = await connect();
    const { faultCode } = await faultOf(odoo.execute_kw("res.partner", "search", [[["bad"]]]));
    expect(faultCode).toBe(1);
    const { host, port, password, uid } = internals(odoo);
    const xmlrpc = await import("xmlrpc");
    const client = xmlrpc.createClient({ host, port: Number(port), path: "/xmlrpc/2/object" });
    const count = await new Promise((resolve, reject) =>
      client.methodCall(
        "execute",
        ["demo", uid, password, "res.country", "search_count", [["code", "=", "ES"]]],
        (error: unknown, value: unknown) => (error ? reject(error) : resolve(value)),
      ),
    );
    expect(count).toBe(1);
  });
});

describe("res.users.has_group", () => {
  it("answers for the caller's groups, as an @api.model method in 17.0", async () => {
    const admin = await connect();
    expect(await call(admin, "res.users", "has_group", ["base.group_system"])).toBe(true);
    const demo = await connect("demo", "demo");
    expect(await call(demo, "res.users", "has_group", ["base.group_user"])).toBe(true);
    expect(await call(demo, "res.users", "has_group", [], { group_ext_id: "base.group_system" })).toBe(false);
    expect((await faultOf(call(demo, "res.users", "has_group", ["group_system"]))).faultCode).toBe(1);
    // Ids first, as 18.0 wants them, is one argument too many here.
    expect(lastLine(await faultOf(call(demo, "res.users", "has_group", [[3], "base.group_user"])))).toBe(
      "TypeError: ResUsers.has_group() takes 2 positional arguments but 3 were given",
    );
  });
});

describe("workflow buttons and multi-company rules", () => {
  it("moves a transfer draft → assigned → done, moving the quants, and refuses what Odoo refuses", async () => {
    const odoo = await connect();
    const onHand = async (location: number) =>
      (
        (await call(
          odoo,
          "stock.quant",
          "search_read",
          [
            [
              ["product_id", "=", 1],
              ["location_id", "=", location],
            ],
          ],
          { fields: ["quantity"] },
        )) as Rec[]
      ).reduce((total, quant) => total + (quant.quantity as number), 0);
    const [central, store] = [await onHand(8), await onHand(10)];
    // 17.0: a move's locations are its own required fields, not the transfer's (stock_move.py L70-79).
    const unplaced = await faultOf(
      call(odoo, "stock.picking", "create", [
        {
          picking_type_id: 3,
          location_dest_id: 10,
          move_ids: [[0, 0, { product_id: 1, product_uom_qty: 1, name: "x" }]],
        },
      ]),
    );
    expect(unplaced.faultString).toContain("Field: Source Location (location_id)");
    const line = { product_id: 1, location_id: 8, location_dest_id: 10 };
    const picking = (await call(odoo, "stock.picking", "create", [
      {
        picking_type_id: 3,
        location_dest_id: 10,
        move_ids: [[0, 0, { ...line, product_uom_qty: 10, name: "Laptops" }]],
      },
    ])) as number;
    const state = async () => ((await call(odoo, "stock.picking", "read", [[picking], ["state"]])) as Rec[])[0]?.state;
    expect(await state()).toBe("draft");
    expect(await call(odoo, "stock.picking", "action_confirm", [[picking]])).toBe(true);
    expect(await state()).toBe("assigned");
    expect(await call(odoo, "stock.picking", "button_validate", [[picking]])).toBe(true);
    expect(await state()).toBe("done");
    expect([await onHand(8), await onHand(10)]).toEqual([central - 10, store + 10]);
    // Validating a done transfer again: 17.0's sanity check finds no quantity left to move.
    expect((await faultOf(call(odoo, "stock.picking", "button_validate", [[picking]]))).faultString).toContain(
      "no quantities are reserved",
    );
    expect([await onHand(8), await onHand(10)]).toEqual([central - 10, store + 10]);
    expect((await faultOf(call(odoo, "stock.picking", "action_cancel", [[picking]]))).faultCode).toBe(2);
    const tooMany = (await call(odoo, "stock.picking", "create", [
      {
        picking_type_id: 3,
        location_dest_id: 10,
        move_ids: [[0, 0, { ...line, product_uom_qty: 100000, name: "Too many" }]],
      },
    ])) as number;
    expect((await faultOf(call(odoo, "stock.picking", "button_validate", [[tooMany]]))).faultString).toContain(
      "not possible to reserve more products",
    );
  });

  it("asks for a backorder, validating nothing, when less than the demand is picked", async () => {
    const odoo = await connect();
    const picking = (await call(odoo, "stock.picking", "create", [
      {
        picking_type_id: 3,
        location_dest_id: 10,
        move_ids: [[0, 0, { product_id: 1, location_id: 8, location_dest_id: 10, product_uom_qty: 10, name: "x" }]],
      },
    ])) as number;
    await call(odoo, "stock.picking", "action_confirm", [[picking]]);
    const moves = async () =>
      (await call(odoo, "stock.move", "search_read", [[["picking_id", "=", picking]]], {
        fields: ["quantity", "picked", "state"],
      })) as Rec[];
    // Reserving sets the move's quantity to its demand (`_action_assign`).
    expect(await moves()).toMatchObject([{ quantity: 10, picked: false, state: "assigned" }]);
    const [move] = await moves();
    await call(odoo, "stock.move", "write", [[move?.id], { quantity: 4 }]);
    expect(await call(odoo, "stock.picking", "button_validate", [[picking]])).toMatchObject({
      name: "Create Backorder?",
      type: "ir.actions.act_window",
      res_model: "stock.backorder.confirmation",
      target: "new",
      context: {
        button_validate_picking_ids: [picking],
        default_pick_ids: [[4, picking]],
        default_show_transfers: false,
      },
    });
    // `_pre_action_done_hook` picked the move; nothing was validated.
    expect(await moves()).toMatchObject([{ quantity: 4, picked: true, state: "assigned" }]);
  });

  it("confirms and cancels sales orders as Odoo does", async () => {
    const odoo = await connect();
    const order = (await call(odoo, "sale.order", "create", [
      { partner_id: 21, order_line: [[0, 0, { product_id: 1 }]] },
    ])) as number;
    expect(await call(odoo, "sale.order", "action_confirm", [[order]])).toBe(true);
    expect(((await call(odoo, "sale.order", "read", [[order], ["state"]])) as Rec[])[0]?.state).toBe("sale");
    expect((await faultOf(call(odoo, "sale.order", "action_confirm", [[order]]))).faultString).toContain(
      "not in a state requiring confirmation",
    );
    // 17.0 asks a person to confirm the cancellation of a confirmed order in a wizard.
    expect(await call(odoo, "sale.order", "action_cancel", [[order]])).toMatchObject({
      type: "ir.actions.act_window",
      res_model: "sale.order.cancel",
    });
    expect(((await call(odoo, "sale.order", "read", [[order], ["state"]])) as Rec[])[0]?.state).toBe("sale");
    const quietly = { context: { disable_cancel_warning: true } };
    expect(await call(odoo, "sale.order", "action_cancel", [[order]], quietly)).toBe(true);
    expect(await call(odoo, "sale.order", "action_draft", [[order]])).toBe(true);
    expect(((await call(odoo, "sale.order", "read", [[order], ["state"]])) as Rec[])[0]?.state).toBe("draft");
    const demo = await connect("demo", "demo");
    expect((await faultOf(call(demo, "sale.order", "action_confirm", [[order]]))).faultCode).toBe(4);
  });

  it("shows another company's records in the companies allowed: the context's, else all of the user's", async () => {
    const odoo = await connect();
    const mexican = [["name", "=", "Ferretería Guadalajara"]];
    // The admin works in both companies: without allowed_company_ids, env.companies is all of them.
    expect(await call(odoo, "res.partner", "search_count", [mexican])).toBe(1);
    expect(await call(odoo, "res.partner", "search_count", [mexican], { context: { allowed_company_ids: [1] } })).toBe(
      0,
    );
    expect(await call(odoo, "res.partner", "search_count", [mexican], { context: { allowed_company_ids: [2] } })).toBe(
      1,
    );
    // demo works in the first company only: asking for the second is refused, not ignored.
    const demo = await connect("demo", "demo");
    expect(await call(demo, "res.partner", "search_count", [mexican])).toBe(0);
    expect(
      (await faultOf(call(demo, "res.partner", "search_count", [mexican], { context: { allowed_company_ids: [2] } })))
        .faultString,
    ).toContain("Access to unauthorized or invalid companies.");
  });
});

describe("company consistency (check_company)", () => {
  const releases = { "17.0": useSim({ version: "17.0" }), "19.0": useSim({ version: "19.0" }) };
  it.each([
    [
      "17.0",
      /^Incompatible companies on records:\n- 'S\d+' belongs to company 'Mi Empresa S\.L\.' and 'Customer' \(partner_id: 'Ferretería Guadalajara'\) belongs to another company\.$/,
    ],
    [
      "19.0",
      /^Uh-oh! You’ve got some company inconsistencies here:\n- “S\d+” belongs to company “Mi Empresa S\.L\.” while “Customer” \(partner_id: 'Ferretería Guadalajara'\) belongs to another company\.\nTo avoid a mess, no company crossover is allowed!$/,
    ],
  ] as const)(
    "on %s refuses an order whose customer is another company's, and stores nothing",
    async (version, words) => {
      const odoo = await releases[version].connect();
      const [mexican] = (await call(odoo, "res.partner", "search", [
        [["name", "=", "Ferretería Guadalajara"]],
      ])) as number[];
      const before = await call(odoo, "sale.order", "search_count", [[]]);
      const fault = await faultOf(call(odoo, "sale.order", "create", [{ partner_id: mexican }]));
      expect(fault.faultCode).toBe(2);
      expect(fault.faultString).toMatch(words);
      expect(await call(odoo, "sale.order", "search_count", [[]])).toBe(before);
      // Moved to the customer's own company, the order is fine.
      expect(await call(odoo, "sale.order", "create", [{ partner_id: mexican, company_id: 2 }])).toEqual(
        expect.any(Number),
      );
    },
  );
});

describe("fields restricted to groups (groups=)", () => {
  it("are left out of fields_get and refused to a reader outside the groups, as check_field_access_rights does", async () => {
    const [admin, demo] = [await connect(), await connect("demo", "demo")];
    const described = (odoo: Awaited<ReturnType<typeof connect>>) =>
      call(odoo, "mail.message", "fields_get", [], { attributes: ["type"] }) as Promise<Record<string, unknown>>;
    expect(Object.keys(await described(admin))).toContain("mail_ids");
    expect(Object.keys(await described(demo))).not.toContain("mail_ids");
    const posted = await call(admin, "res.partner", "message_post", [[1]], { body: "Hello", message_type: "comment" });
    const message = (Array.isArray(posted) ? posted[0] : posted) as number;
    expect(await call(admin, "mail.message", "read", [[message], ["mail_ids"]])).toEqual([
      { id: message, mail_ids: expect.any(Array) },
    ]);
    const refused = await faultOf(call(demo, "mail.message", "read", [[message], ["mail_ids"]]));
    expect(refused.faultString).toBe(
      'You do not have enough rights to access the fields "mail_ids" on Message (mail.message). Please contact your system administrator.\n\n(Operation: read)',
    );
    // Reading every field leaves it out rather than failing.
    const [all] = (await call(demo, "mail.message", "read", [[message]])) as Record<string, unknown>[];
    expect(all).not.toHaveProperty("mail_ids");
    // fields_get names the groups to whoever may see the field (`_description_groups`).
    const withGroups = (await call(admin, "mail.message", "fields_get", [["mail_ids"]], {
      attributes: ["groups"],
    })) as Record<string, { groups?: string }>;
    expect(withGroups.mail_ids?.groups).toBe("base.group_system");
  });
});
