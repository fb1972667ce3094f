/** Deterministic demo data: the same records, ids and names on every start. */

import { GROUPS_BY_ROLE } from "../orm/access.js";
import { createRecord, writeRecords } from "../orm/crud.js";
import type { Database } from "../orm/database.js";
import { type Env, superuserEnv } from "../orm/env.js";
import type { SimRelease } from "../release.js";
import { DEMO_USERS } from "./demo-users.js";
import {
  guidePartners,
  guideProducts,
  MAIN_COMPANY,
  PARTNER_TAGS,
  PRODUCT_CATEGORIES,
  SECOND_COMPANY,
  SHELF,
  SPANISH_COUNTRY_NAMES,
  WAREHOUSES,
} from "./guide-fixtures.js";
import { loadMailDemo } from "./mail.js";
import { productKindValues } from "./product.js";
import { DEMO_REPORTS } from "./reports.js";

/** Name, code, calling code and currency; the Spanish names are the guide's (SPANISH_COUNTRY_NAMES). */
const COUNTRIES: [string, string, number, number][] = [
  ["Spain", "ES", 34, 1],
  ["France", "FR", 33, 1],
  ["Germany", "DE", 49, 1],
  ["Italy", "IT", 39, 1],
  ["Portugal", "PT", 351, 1],
  ["Belgium", "BE", 32, 1],
  ["United States", "US", 1, 2],
  ["United Kingdom", "GB", 44, 3],
  ["Mexico", "MX", 52, 4],
  ["Argentina", "AR", 54, 2],
  ["Colombia", "CO", 57, 2],
  ["Chile", "CL", 56, 2],
];

export function loadDemoData(db: Database): void {
  db.frozenNow = "2025-01-06 08:00:00";
  const env = superuserEnv(db);
  const create = (model: string, values: Record<string, unknown>) => createRecord(env, db.requireModel(model), values);

  for (const [name, symbol] of [
    ["EUR", "€"],
    ["USD", "$"],
    ["GBP", "£"],
    ["MXN", "$"],
  ] as const) {
    create("res.currency", { name, symbol });
  }
  const countryIds = new Map<string, number>();
  for (const [name, code, phone_code, currency_id] of COUNTRIES) {
    const id = create("res.country", { name, code, phone_code, currency_id });
    const nombre = SPANISH_COUNTRY_NAMES[code];
    if (nombre)
      db.withLanguage("es_ES", () => writeRecords(env, db.requireModel("res.country"), [id], { name: nombre }));
    countryIds.set(code, id);
  }
  create("res.company", {
    name: MAIN_COMPANY.name,
    currency_id: 1,
    country_id: countryIds.get(MAIN_COMPANY.country),
    email: MAIN_COMPANY.email,
  });
  create("res.company", {
    name: SECOND_COMPANY.name,
    currency_id: 4,
    country_id: countryIds.get(SECOND_COMPANY.country),
  });
  for (const user of DEMO_USERS) {
    const id = create("res.users", {
      name: user.name,
      login: user.login,
      active: user.active,
      share: user.group === "portal",
      email: user.login.startsWith("_") ? false : `${user.login}@miempresa.example`,
      company_id: 1,
      // The administrator also works in the second company, as the real targets' fixtures make them.
      company_ids: user.login === "admin" ? [1, 2] : [1],
    });
    if (id !== user.id) throw new Error(`demo user ${user.login} got id ${id}, expected ${user.id}`);
  }
  loadPartners(create, countryIds);
  loadProducts(db.release, create);
  loadStock(env, create);
  loadSales(db, create);
  loadInvoices(db, create);
  for (const { xmlId, ...report } of DEMO_REPORTS) {
    const [module, name] = xmlId.split(".") as [string, string];
    create("ir.model.data", { module, name, model: "ir.actions.report", res_id: create("ir.actions.report", report) });
  }
  loadMailDemo(db, create);
  // A binary field's value kept as an attachment (Odoo stores images, keys and certificates so).
  create("ir.attachment", {
    name: "image_1920",
    res_model: "res.partner",
    res_id: idOf(db, "res.partner", "name", "Azure Interior"),
    res_field: "image_1920",
    mimetype: "image/png",
    datas: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  });
  for (const model of db.models.values()) create("ir.model", { name: model.def.description, model: model.name });
  loadAccessRights(db, create);
  db.frozenNow = undefined;
}

type Create = (model: string, values: Record<string, unknown>) => number;

/**
 * The groups the demo roles hold, with their XML ids, and an access rule per model that matches
 * orm/access.ts: internal users read everything, Settings may do everything, portal users nothing.
 */
function loadAccessRights(db: Database, create: Create): void {
  const groupIds = new Map<string, number>();
  const granted = [...db.models.values()].flatMap((model) => Object.keys(model.def.grantedTo ?? {}));
  for (const xmlId of new Set([...Object.values(GROUPS_BY_ROLE).flat(), ...granted])) {
    const [module, name] = xmlId.split(".") as [string, string];
    const id = create("res.groups", { name: GROUP_NAMES[xmlId] ?? name, share: xmlId === "base.group_portal" });
    create("ir.model.data", { module, name, model: "res.groups", res_id: id });
    groupIds.set(xmlId, id);
  }
  for (const model of db.requireModel("ir.model").rows.values()) {
    const suffix = String(model.model).replaceAll(".", "_");
    const userAccess = db.requireModel(String(model.model)).def.userAccess ?? ["read"];
    if (userAccess.length > 0)
      create("ir.model.access", {
        name: `access_${suffix}_user`,
        model_id: model.id,
        group_id: groupIds.get("base.group_user"),
        perm_read: userAccess.includes("read"),
        perm_write: userAccess.includes("write"),
        perm_create: userAccess.includes("create"),
        perm_unlink: userAccess.includes("unlink"),
      });
    for (const [group, operations] of Object.entries(db.requireModel(String(model.model)).def.grantedTo ?? {}))
      create("ir.model.access", {
        name: `access_${suffix}_${group.replace(".", "_")}`,
        model_id: model.id,
        group_id: groupIds.get(group),
        perm_read: operations.includes("read"),
        perm_write: operations.includes("write"),
        perm_create: operations.includes("create"),
        perm_unlink: operations.includes("unlink"),
      });
    create("ir.model.access", {
      name: `access_${suffix}_system`,
      model_id: model.id,
      group_id: groupIds.get("base.group_system"),
      perm_read: true,
      perm_write: true,
      perm_create: true,
      perm_unlink: true,
    });
  }
}

const GROUP_NAMES: Record<string, string> = {
  "base.group_user": "Internal User",
  "base.group_system": "Settings",
  "base.group_erp_manager": "Access Rights",
  "base.group_portal": "Portal",
  "sales_team.group_sale_salesman": "User: Own Documents Only",
  "sales_team.group_sale_manager": "Administrator",
  "stock.group_stock_user": "User",
  "stock.group_stock_manager": "Administrator",
  "base.group_partner_manager": "Contact Creation",
  "account.group_account_invoice": "Invoicing",
};

/** The id of the one record whose `field` equals `value`, so the data below can name records instead of numbering them. */
function idOf(db: Database, model: string, field: string, value: string): number {
  const target = db.requireModel(model);
  for (const row of target.rows.values()) if (db.value(target, row, field) === value) return row.id;
  throw new Error(`demo data: no ${model} with ${field} = ${value}`);
}

function loadPartners(create: Create, countryIds: Map<string, number>): void {
  const tags = new Map(PARTNER_TAGS.map((name, color) => [name, create("res.partner.category", { name, color })]));
  const ids = new Map<string, number>();
  for (const partner of guidePartners()) {
    const id = create("res.partner", {
      name: partner.name,
      is_company: partner.is_company,
      ...(partner.parent ? { parent_id: ids.get(partner.parent) } : {}),
      city: partner.city,
      country_id: countryIds.get(partner.country),
      ...(partner.email ? { email: partner.email } : {}),
      ...(partner.phone ? { phone: partner.phone } : {}),
      ...(partner.website ? { website: partner.website } : {}),
      ...(partner.function ? { function: partner.function } : {}),
      ...(partner.is_company && !partner.secondCompany ? { vat: partner.vat ?? false } : {}),
      customer_rank: partner.customer_rank,
      ...(partner.supplier_rank || partner.is_company ? { supplier_rank: partner.supplier_rank } : {}),
      ...(partner.lang ? { lang: partner.lang } : {}),
      active: partner.active,
      ...(partner.adminIsSalesperson !== undefined ? { user_id: partner.adminIsSalesperson ? 2 : false } : {}),
      ...(partner.tags.length || (partner.is_company && !partner.secondCompany)
        ? { category_id: partner.tags.map((tag) => tags.get(tag)) }
        : {}),
      ...(partner.secondCompany ? { company_id: 2 } : {}),
    });
    ids.set(partner.name, id);
  }
}

/** The demo uom.uom ids: Units (1), Hours (3). */
const UOM_OF_KIND = { service: 3, storable: 1, consu: 1 } as const;

function loadProducts(release: SimRelease, create: Create): void {
  for (const name of ["Units", "kg", "Hours"]) create("uom.uom", { name });
  const categories = new Map<string, number>();
  for (const [name, parent] of PRODUCT_CATEGORIES)
    categories.set(
      name,
      create("product.category", { name, ...(parent ? { parent_id: categories.get(parent) } : {}) }),
    );
  for (const product of guideProducts()) {
    create("product.template", {
      name: product.name,
      default_code: product.default_code,
      list_price: product.list_price,
      ...productKindValues(release, product.kind),
      categ_id: categories.get(product.category),
      ...(product.active
        ? {
            standard_price: product.standard_price,
            uom_id: UOM_OF_KIND[product.kind],
            barcode: product.barcode ?? false,
            weight: product.weight,
          }
        : { active: false }),
    });
  }
}

function loadStock(env: Env, create: Create): void {
  const physical = create("stock.location", { name: "Physical Locations", usage: "view" });
  const partners = create("stock.location", { name: "Partners", usage: "view" });
  const virtual = create("stock.location", { name: "Virtual Locations", usage: "view" });
  const vendors = create("stock.location", { name: "Vendors", usage: "supplier", location_id: partners });
  const customers = create("stock.location", { name: "Customers", usage: "customer", location_id: partners });
  create("stock.location", { name: "Inventory adjustment", usage: "inventory", location_id: virtual });

  const warehouses: { id: number; stock: number; code: string }[] = [];
  for (const { name, code } of WAREHOUSES) {
    const view = create("stock.location", { name: code, usage: "view", location_id: physical });
    const stock = create("stock.location", { name: "Stock", usage: "internal", location_id: view });
    const id = create("stock.warehouse", {
      name,
      code,
      view_location_id: view,
      lot_stock_id: stock,
      partner_id: false,
    });
    env.db.requireModel("stock.location").rows.forEach((row) => {
      if (row.id === view || row.id === stock) row.warehouse_id = id;
    });
    warehouses.push({ id, stock, code });
    create("stock.picking.type", {
      name: "Receipts",
      code: "incoming",
      sequence_code: "IN",
      warehouse_id: id,
      default_location_src_id: vendors,
      default_location_dest_id: stock,
      sequence: 1,
    });
    create("stock.picking.type", {
      name: "Delivery Orders",
      code: "outgoing",
      sequence_code: "OUT",
      warehouse_id: id,
      default_location_src_id: stock,
      default_location_dest_id: customers,
      sequence: 2,
    });
    create("stock.picking.type", {
      name: "Internal Transfers",
      code: "internal",
      sequence_code: "INT",
      warehouse_id: id,
      default_location_src_id: stock,
      default_location_dest_id: stock,
      sequence: 3,
    });
  }
  create("stock.location", {
    name: SHELF,
    usage: "internal",
    location_id: warehouses[0]?.stock,
    warehouse_id: warehouses[0]?.id,
  });

  // Stock of every storable product: plenty in the central warehouse, a little in the store.
  for (const product of guideProducts()) {
    if (!product.stock) continue;
    const product_id = idOf(env.db, "product.product", "default_code", product.default_code);
    create("stock.quant", { product_id, location_id: warehouses[0]?.stock, quantity: product.stock.central });
    if (product.stock.store > 0)
      create("stock.quant", { product_id, location_id: warehouses[1]?.stock, quantity: product.stock.store });
  }

  const { db } = env;
  const partner = (name: string) => idOf(db, "res.partner", "name", name);
  const product = (code: string) => idOf(db, "product.product", "default_code", code);
  // A move line as this release spells it: up to 18.0 a move needs its own name (the product's); in
  // 17.0 it needs its own locations too (the picking's, as the form's onchange gives them).
  const move = (code: string, values: Record<string, unknown>) => {
    const productId = product(code);
    const name = db.release.major < 19 ? { name: db.displayNameOf("product.product", productId) } : {};
    return [0, 0, { product_id: productId, ...name, ...values }];
  };
  const picking = (values: Record<string, unknown>, moves: [string, Record<string, unknown>][]) => {
    const type = db.requireModel("stock.picking.type").rows.get(values.picking_type_id as number);
    const locations = {
      location_id: values.location_id ?? type?.default_location_src_id,
      location_dest_id: values.location_dest_id ?? type?.default_location_dest_id,
    };
    create("stock.picking", {
      ...values,
      move_ids: moves.map(([code, line]) => move(code, { ...locations, ...line })),
    });
  };
  const [receiptType, deliveryType, internalType] = [1, 2, 3];
  picking(
    {
      picking_type_id: receiptType,
      partner_id: partner("Lumber Inc"),
      origin: "P00001",
      scheduled_date: "2025-01-03 09:00:00",
      date_done: "2025-01-03 11:30:00",
      state: "done",
    },
    [["LAP-LEN-X1", { product_uom_qty: 10, quantity: 10, picked: true, state: "done" }]],
  );
  picking(
    {
      picking_type_id: deliveryType,
      partner_id: partner("Distribuciones Levante S.A."),
      origin: "S00002",
      scheduled_date: "2025-01-08 10:00:00",
      state: "assigned",
    },
    [
      ["LAP-HP-840", { product_uom_qty: 3, quantity: 3, state: "assigned" }],
      ["ACC-MOUSE-W", { product_uom_qty: 5, quantity: 5, state: "assigned" }],
    ],
  );
  picking(
    {
      picking_type_id: internalType,
      location_dest_id: warehouses[1]?.stock,
      scheduled_date: "2025-01-09 08:00:00",
      state: "draft",
    },
    [["LAP-ASU-ZB14", { product_uom_qty: 4 }]],
  );
  picking(
    {
      picking_type_id: deliveryType,
      partner_id: partner("Bureau Parisien SARL"),
      scheduled_date: "2025-01-02 16:00:00",
      state: "cancel",
    },
    [["MON-DEL-U27", { product_uom_qty: 1, state: "cancel" }]],
  );
}

/** One posted customer invoice, so the invoice report has a record. */
function loadInvoices(db: Database, create: Create): void {
  const partner = idOf(db, "res.partner", "name", "Construcciones Ebro S.L.");
  create("account.move", {
    name: "INV/2025/00001",
    move_type: "out_invoice",
    state: "posted",
    partner_id: partner,
    date: "2025-01-10",
    invoice_date: "2025-01-10",
    invoice_origin: "S00001",
    amount_total: 1798,
  });
}

function loadSales(db: Database, create: Create): void {
  // [customer, order date, state, lines of [product code, quantity]]
  const orders: [string, string, string, [string, number][]][] = [
    [
      "Construcciones Ebro S.L.",
      "2024-10-07 08:30:00",
      "sale",
      [
        ["FUR-TABLE-M8", 1],
        ["FUR-CAB-3D", 2],
      ],
    ],
    ["Hostelería del Sur S.L.", "2024-10-21 13:15:00", "cancel", [["MON-DEL-U27", 2]]],
    [
      "Azure Interior",
      "2024-11-14 10:12:00",
      "sale",
      [
        ["LAP-LEN-X1", 2],
        ["ACC-MOUSE-W", 2],
      ],
    ],
    [
      "Oficinas Barcelona S.L.",
      "2024-11-29 17:50:00",
      "sale",
      [
        ["LAP-DEL-5440", 4],
        ["ACC-HEAD-01", 4],
        ["SRV-INST-H", 6],
      ],
    ],
    [
      "Distribuciones Levante S.A.",
      "2024-12-02 09:40:00",
      "sale",
      [
        ["LAP-HP-840", 3],
        ["ACC-MOUSE-W", 5],
      ],
    ],
    ["Informática Cantábrica S.L.", "2024-12-11 10:00:00", "draft", [["SRV-RELOC", 1]]],
    [
      "Deco Addict",
      "2024-12-19 15:05:00",
      "sale",
      [
        ["FUR-CHAIR-ERG", 6],
        ["FUR-DESK-STD", 6],
      ],
    ],
    [
      "Tecnología Balear S.L.",
      "2025-01-02 09:00:00",
      "sale",
      [
        ["LAP-ASU-ZB14", 2],
        ["ACC-CAM-FHD", 2],
      ],
    ],
    [
      "Ferretería Martínez",
      "2025-01-04 11:22:00",
      "sale",
      [
        ["LAP-ACE-SW3", 10],
        ["SRV-IMG-LAP", 10],
      ],
    ],
    [
      "Bureau Parisien SARL",
      "2025-01-05 12:00:00",
      "sent",
      [
        ["LAP-APL-MBA13", 1],
        ["ACC-DOCK-C", 1],
      ],
    ],
    [
      "Berliner Büro GmbH",
      "2025-01-05 16:48:00",
      "draft",
      [
        ["SUP-PAPER-A4", 40],
        ["SUP-PENS-50", 10],
      ],
    ],
    ["Ready Mat", "2025-01-06 07:45:00", "draft", [["MON-LG-24", 3]]],
  ];
  for (const [customer, date_order, state, lines] of orders) {
    create("sale.order", {
      partner_id: idOf(db, "res.partner", "name", customer),
      date_order,
      state,
      user_id: 2,
      order_line: lines.map(([code, product_uom_qty]) => [
        0,
        0,
        { product_id: idOf(db, "product.product", "default_code", code), product_uom_qty },
      ]),
    });
  }
}
