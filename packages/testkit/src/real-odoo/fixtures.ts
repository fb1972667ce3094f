/**
 * Loads the guide's fixtures (the simulator's own, `guideFixtures`) into a real Odoo through the Odoo
 * client the tools use, as its administrator: Spanish active with the guide's countries named in it, the
 * main company renamed, Spanish and other customers, a
 * second company with its own customers, products with stock in the central warehouse and the north
 * store, and an archived user.
 */
import { createOdooClient, type OdooClient, OdooError } from "@odoo-mcp/odoo-client";
import { guideFixtures } from "@odoo-mcp/odoo-sim";

type Rec = Record<string, unknown>;
type Many2one = [number, string] | false;

export async function loadGuideFixtures(url: string, db: string, admin: { login: string; apiKey: string }) {
  const odoo = createOdooClient({
    url,
    db,
    username: admin.login,
    secret: admin.apiKey,
    timeoutMs: 120_000,
    rejectedMessage: "the administrator's API key was refused",
    protocol: "auto",
  });
  const { major } = await odoo.server();
  const call = (model: string, method: string, args: unknown[], kwargs: Rec = {}) =>
    odoo.executeKw(model, method, args, kwargs);
  const search = async (model: string, domain: unknown[], kwargs: Rec = {}) =>
    (await call(model, "search", [domain], kwargs)) as number[];
  const create = async (model: string, values: Rec, context: Rec = {}) =>
    (await call(model, "create", [values], { context })) as number;

  const countries = new Map<string, number>();
  for (const { id, code } of (await call("res.country", "search_read", [[]], { fields: ["code"] })) as {
    id: number;
    code: string;
  }[])
    countries.set(code, id);
  // Spanish as a Spanish company has it: the language active and the guide's countries named in it.
  const [spanish] = await search("res.lang", [["code", "=", "es_ES"]], { context: { active_test: false } });
  await call("res.lang", "write", [[spanish], { active: true }]);
  for (const [code, name] of Object.entries(guideFixtures.SPANISH_COUNTRY_NAMES))
    await call("res.country", "write", [[countries.get(code)], { name }], { context: { lang: "es_ES" } });
  const [adminUser] = (await call("res.users", "search_read", [[["login", "=", admin.login]]], {
    fields: ["company_id"],
  })) as { id: number; company_id: Many2one }[];
  if (!adminUser?.company_id) throw new Error("the administrator has no company");
  const mainCompany = adminUser.company_id[0];
  await call("res.company", "write", [
    [mainCompany],
    {
      name: guideFixtures.MAIN_COMPANY.name,
      email: guideFixtures.MAIN_COMPANY.email,
      country_id: countries.get(guideFixtures.MAIN_COMPANY.country),
    },
  ]);

  const second = guideFixtures.SECOND_COMPANY;
  const [currency] = await search("res.currency", [["name", "=", second.currency]], {
    context: { active_test: false },
  });
  await call("res.currency", "write", [[currency], { active: true }]);
  const secondCompany = await create("res.company", {
    name: second.name,
    country_id: countries.get(second.country),
    currency_id: currency,
  });
  await call("res.users", "write", [[adminUser.id], { company_ids: [[4, secondCompany]] }]);
  const bothCompanies = { allowed_company_ids: [mainCompany, secondCompany] };

  const languages = new Set(
    ((await call("res.lang", "search_read", [[]], { fields: ["code"] })) as { code: string }[]).map((l) => l.code),
  );
  const tags = new Map<string, number>();
  for (const name of guideFixtures.PARTNER_TAGS) tags.set(name, await create("res.partner.category", { name }));
  const partners = new Map<string, number>();
  for (const partner of guideFixtures.guidePartners()) {
    const values: Rec = {
      name: partner.name,
      is_company: partner.is_company,
      city: partner.city,
      country_id: countries.get(partner.country),
      customer_rank: partner.customer_rank,
      supplier_rank: partner.supplier_rank,
      active: partner.active,
      category_id: [[6, 0, partner.tags.map((tag) => tags.get(tag))]],
    };
    if (partner.parent) values.parent_id = partners.get(partner.parent);
    for (const key of ["email", "phone", "website", "function", "vat"] as const)
      if (partner[key]) values[key] = partner[key];
    // Only the languages installed (a fresh Odoo has English alone); the others stay the default.
    if (partner.lang && languages.has(partner.lang)) values.lang = partner.lang;
    if (partner.adminIsSalesperson) values.user_id = adminUser.id;
    if (partner.secondCompany) values.company_id = secondCompany;
    // Odoo's demo data has some of these companies already (Azure Interior, Deco Addict…): made to match.
    const [existing] = partner.is_company
      ? await search("res.partner", [
          ["name", "=", partner.name],
          ["is_company", "=", true],
        ])
      : [];
    if (existing) await call("res.partner", "write", [[existing], values]);
    const context = partner.secondCompany ? bothCompanies : {};
    partners.set(partner.name, existing ?? (await create("res.partner", values, context)));
  }

  const categories = new Map<string, number>();
  for (const [name, parent] of guideFixtures.PRODUCT_CATEGORIES) {
    const parentId = parent ? (categories.get(parent) as number) : false;
    const [existing] = await search("product.category", [
      ["name", "=", name],
      ["parent_id", "=", parentId],
    ]);
    categories.set(name, existing ?? (await create("product.category", { name, parent_id: parentId })));
  }
  const kindValues = (kind: guideFixtures.ProductKind): Rec => {
    if (kind !== "storable") return { type: kind };
    return major < 18 ? { type: "product" } : { type: "consu", is_storable: true };
  };
  const quants: Rec[] = [];
  const warehouses = await prepareWarehouses(odoo, mainCompany);
  for (const product of guideFixtures.guideProducts()) {
    const template = await create("product.template", {
      name: product.name,
      default_code: product.default_code,
      list_price: product.list_price,
      standard_price: product.standard_price,
      categ_id: categories.get(product.category),
      weight: product.weight,
      active: product.active,
      ...(product.barcode ? { barcode: product.barcode } : {}),
      ...kindValues(product.kind),
    });
    if (!product.stock) continue;
    const [variant] = await search("product.product", [["product_tmpl_id", "=", template]]);
    quants.push({ product_id: variant, location_id: warehouses.central, inventory_quantity: product.stock.central });
    if (product.stock.store > 0)
      quants.push({ product_id: variant, location_id: warehouses.store, inventory_quantity: product.stock.store });
  }
  // Stock on hand as a person counts it: an inventory adjustment, applied.
  const counted = (await call("stock.quant", "create", [quants], { context: { inventory_mode: true } })) as number[];
  await call("stock.quant", "action_apply_inventory", [counted]).catch((error: unknown) => {
    // It answers None, which Odoo's XML-RPC cannot send (allow_none=False, addons/base/controllers/rpc.py)
    // once the inventory is applied and committed; JSON-2 answers null.
    if (!(error instanceof OdooError && error.message.includes("cannot marshal None"))) throw error;
  });

  const former = guideFixtures.FORMER_USER;
  const formerId = await create("res.users", { name: former.name, login: former.login, password: former.password });
  await call("res.users", "write", [[formerId], { active: false }]);
}

/** Odoo's first warehouse becomes the central one; the north store is created beside it, with its shelf. */
async function prepareWarehouses(odoo: OdooClient, company: number): Promise<{ central: number; store: number }> {
  const [central, store] = guideFixtures.WAREHOUSES;
  const [main] = (await odoo.executeKw("stock.warehouse", "search_read", [[["company_id", "=", company]]], {
    fields: ["code", "lot_stock_id"],
    order: "id",
    limit: 1,
  })) as { id: number; code: string; lot_stock_id: Many2one }[];
  if (!main?.lot_stock_id || main.code !== central.code)
    throw new Error(`the main company's first warehouse is not ${central.code}`);
  await odoo.executeKw("stock.warehouse", "write", [[main.id], { name: central.name }], {});
  const storeId = await odoo.executeKw("stock.warehouse", "create", [{ ...store, company_id: company }], {});
  const [north] = (await odoo.executeKw("stock.warehouse", "read", [[storeId], ["lot_stock_id"]], {})) as {
    lot_stock_id: Many2one;
  }[];
  if (!north?.lot_stock_id) throw new Error("the north store has no stock location");
  await odoo.executeKw(
    "stock.location",
    "create",
    [{ name: guideFixtures.SHELF, usage: "internal", location_id: main.lot_stock_id[0] }],
    {},
  );
  return { central: main.lot_stock_id[0], store: north.lot_stock_id[0] };
}
