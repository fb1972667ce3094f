/** Deterministic demo data: the same records, ids and names on every start. */
import { createRecord } from "../orm/crud.js";
import type { Database } from "../orm/database.js";
import { type Env, superuserEnv } from "../orm/env.js";
import type { SimRelease } from "../release.js";
import { GROUPS_BY_ROLE } from "./base.js";
import { DEMO_USERS } from "./demo-users.js";
import { loadMailDemo } from "./mail.js";
import { isStorable, type ProductKind, productKindValues } from "./product.js";
import { DEMO_REPORTS } from "./reports.js";

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

/** [company, country code, city, customer?, supplier?, archived?] */
const COMPANIES: [string, string, string, boolean, boolean, boolean][] = [
  ["Azure Interior", "US", "Fremont", true, false, false],
  ["Deco Addict", "US", "Pleasant Hill", true, false, false],
  ["Gemini Furniture", "US", "Fairfield", true, true, false],
  ["Lumber Inc", "US", "Stockton", false, true, false],
  ["Ready Mat", "US", "Tracy", true, false, false],
  ["Wood Corner", "US", "Turlock", false, true, false],
  ["Construcciones Ebro S.L.", "ES", "Zaragoza", true, false, false],
  ["Distribuciones Levante S.A.", "ES", "Valencia", true, false, false],
  ["Ferretería Martínez", "ES", "Madrid", true, false, false],
  ["Hostelería del Sur S.L.", "ES", "Sevilla", true, false, false],
  ["Informática Cantábrica S.L.", "ES", "Santander", true, false, false],
  ["Muebles Galicia S.A.", "ES", "A Coruña", true, true, false],
  ["Oficinas Barcelona S.L.", "ES", "Barcelona", true, false, false],
  ["Papelería Castilla", "ES", "Valladolid", true, false, false],
  ["Suministros Bilbao S.L.", "ES", "Bilbao", true, false, false],
  ["Tecnología Balear S.L.", "ES", "Palma", true, false, false],
  ["Viajes Canarias S.A.", "ES", "Las Palmas", true, false, true],
  ["Componentes Ibéricos S.A.", "ES", "Alicante", false, true, false],
  ["Bureau Parisien SARL", "FR", "Paris", true, false, false],
  ["Lyon Logistique SAS", "FR", "Lyon", true, false, false],
  ["Berliner Büro GmbH", "DE", "Berlin", true, false, false],
  ["Münchner Technik AG", "DE", "München", false, true, false],
  ["Milano Design S.r.l.", "IT", "Milano", true, false, false],
  ["Lisboa Serviços Lda", "PT", "Lisboa", true, false, false],
  ["Brussels Supplies NV", "BE", "Brussels", false, true, false],
  ["London Office Ltd", "GB", "London", true, false, false],
  ["Comercial Azteca S.A. de C.V.", "MX", "Ciudad de México", true, false, false],
  ["Pampa Digital S.A.", "AR", "Buenos Aires", true, false, true],
  ["Andes Tech S.A.S.", "CO", "Bogotá", true, false, false],
  ["Pacífico Import SpA", "CL", "Santiago", false, true, false],
];

const FIRST_NAMES = [
  "Ana",
  "Luis",
  "Marta",
  "Jorge",
  "Lucía",
  "Pablo",
  "Elena",
  "David",
  "Sara",
  "Carlos",
  "Julie",
  "Thomas",
];
const LAST_NAMES = [
  "García",
  "López",
  "Martín",
  "Sánchez",
  "Pérez",
  "Gómez",
  "Ruiz",
  "Díaz",
  "Moreno",
  "Dubois",
  "Schmidt",
  "Rossi",
];
const JOBS = ["Purchasing Manager", "Accountant", "CEO", "Office Manager", "IT Manager"];

/** [name, code, price, cost, type, category] */
const PRODUCTS: [string, string, number, number, ProductKind, number][] = [
  ["Laptop Lenovo ThinkPad X1 Carbon", "LAP-LEN-X1", 1499, 1100, "storable", 3],
  ["Laptop HP EliteBook 840", "LAP-HP-840", 1199, 880, "storable", 3],
  ["Laptop Apple MacBook Air 13", "LAP-APL-MBA13", 1249, 990, "storable", 3],
  ["Laptop Asus ZenBook 14", "LAP-ASU-ZB14", 999, 720, "storable", 3],
  ["Laptop Acer Swift 3", "LAP-ACE-SW3", 749, 540, "storable", 3],
  ["Laptop Dell Latitude 5440", "LAP-DEL-5440", 1099, 810, "storable", 3],
  ['Monitor Dell 27" UltraSharp', "MON-DEL-U27", 429, 300, "storable", 3],
  ['Monitor LG 24" Full HD', "MON-LG-24", 159, 105, "storable", 3],
  ["Docking Station USB-C", "ACC-DOCK-C", 189, 120, "storable", 3],
  ["Wireless Mouse", "ACC-MOUSE-W", 29, 12, "storable", 3],
  ["Mechanical Keyboard", "ACC-KEY-MECH", 89, 45, "storable", 3],
  ["Webcam Full HD", "ACC-CAM-FHD", 69, 35, "storable", 3],
  ["USB-C Charger 65W", "ACC-CHG-65", 39, 18, "storable", 3],
  ["Headset with Microphone", "ACC-HEAD-01", 59, 28, "storable", 3],
  ["Laser Printer Brother", "PRN-BRO-L1", 249, 170, "storable", 3],
  ["Office Chair Ergonomic", "FUR-CHAIR-ERG", 329, 190, "storable", 4],
  ["Standing Desk 160x80", "FUR-DESK-STD", 549, 360, "storable", 4],
  ["Meeting Table 8 seats", "FUR-TABLE-M8", 899, 610, "storable", 4],
  ["Filing Cabinet 3 drawers", "FUR-CAB-3D", 199, 120, "storable", 4],
  ["Bookshelf Oak", "FUR-SHELF-OAK", 179, 95, "storable", 4],
  ["Desk Lamp LED", "FUR-LAMP-LED", 45, 20, "consu", 4],
  ["Paper A4 500 sheets", "SUP-PAPER-A4", 5.5, 3.2, "consu", 2],
  ["Ballpoint Pens (box of 50)", "SUP-PENS-50", 12.9, 6.5, "consu", 2],
  ["Toner Brother TN-2420", "SUP-TONER-BRO", 79, 48, "consu", 2],
  ["Notebook A5 Ruled", "SUP-NOTE-A5", 3.75, 1.4, "consu", 2],
  ["Whiteboard Markers (set of 4)", "SUP-MARK-4", 7.9, 3.1, "consu", 2],
  ["On-site Installation (hour)", "SRV-INST-H", 65, 0, "service", 5],
  ["Remote Support (hour)", "SRV-SUPP-H", 55, 0, "service", 5],
  ["Laptop Setup and Imaging", "SRV-IMG-LAP", 49, 0, "service", 5],
  ["Extended Warranty 3 years", "SRV-WAR-3Y", 149, 0, "service", 5],
  ["Office Relocation Service", "SRV-RELOC", 1200, 0, "service", 5],
  ["Tablet Samsung Galaxy Tab S9", "TAB-SAM-S9", 799, 590, "storable", 3],
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
    countryIds.set(code, create("res.country", { name, code, phone_code, currency_id }));
  }
  create("res.company", {
    name: "Mi Empresa S.L.",
    currency_id: 1,
    country_id: countryIds.get("ES"),
    email: "info@miempresa.example",
  });
  create("res.company", { name: "Mi Empresa México S.A. de C.V.", currency_id: 4, country_id: countryIds.get("MX") });
  for (const user of DEMO_USERS) {
    const id = create("res.users", {
      name: user.name,
      login: user.login,
      active: user.active,
      share: user.group === "portal",
      email: user.login.startsWith("_") ? false : `${user.login}@miempresa.example`,
      company_id: 1,
    });
    if (id !== user.id) throw new Error(`demo user ${user.login} got id ${id}, expected ${user.id}`);
  }
  loadPartners(env, create, countryIds);
  loadProducts(db.release, create);
  loadStock(env, create);
  loadSales(db, create);
  loadInvoices(db, create);
  for (const { xmlId, ...report } of DEMO_REPORTS) {
    const [module, name] = xmlId.split(".") as [string, string];
    create("ir.model.data", { module, name, model: "ir.actions.report", res_id: create("ir.actions.report", report) });
  }
  loadMailDemo(db, create);
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
  for (const xmlId of new Set(Object.values(GROUPS_BY_ROLE).flat())) {
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
};

/** The id of the one record whose `field` equals `value`, so the data below can name records instead of numbering them. */
function idOf(db: Database, model: string, field: string, value: string): number {
  const target = db.requireModel(model);
  for (const row of target.rows.values()) if (db.value(target, row, field) === value) return row.id;
  throw new Error(`demo data: no ${model} with ${field} = ${value}`);
}

function loadPartners(_env: Env, create: Create, countryIds: Map<string, number>): void {
  const tags = ["VIP", "Distributor", "Prospect", "Key Account"].map((name, color) =>
    create("res.partner.category", { name, color }),
  );
  let person = 0;
  COMPANIES.forEach(([name, code, city, customer, supplier, archived], index) => {
    const slug = name
      .toLowerCase()
      .normalize("NFD")
      .replace(/[^a-z]+/g, "")
      .slice(0, 16);
    const companyId = create("res.partner", {
      name,
      is_company: true,
      city,
      country_id: countryIds.get(code),
      email: `info@${slug}.example`,
      phone: `+${index + 10} 555 01${String(index).padStart(2, "0")}`,
      website: `https://${slug}.example`,
      vat: code === "ES" ? `ES B${String(10000000 + index * 7919).slice(0, 8)}` : false,
      customer_rank: customer ? 1 + (index % 4) : 0,
      supplier_rank: supplier ? 1 : 0,
      lang: ["ES", "MX", "AR", "CO", "CL"].includes(code)
        ? "es_ES"
        : code === "FR"
          ? "fr_FR"
          : code === "DE"
            ? "de_DE"
            : "en_US",
      active: !archived,
      user_id: index % 3 === 0 ? 2 : false,
      category_id: [
        customer && index % 4 === 0 ? tags[0] : 0,
        supplier ? tags[1] : 0,
        !customer && !supplier ? tags[2] : 0,
      ].filter(Boolean),
    });
    // One or two contacts per company, so there are companies and people to search among.
    for (let contact = 0; contact < 1 + (index % 2); contact++) {
      const first = FIRST_NAMES[person % FIRST_NAMES.length] as string;
      const last = LAST_NAMES[(person * 5 + 3) % LAST_NAMES.length] as string;
      person++;
      create("res.partner", {
        name: `${first} ${last}`,
        parent_id: companyId,
        function: JOBS[person % JOBS.length],
        email: `${first.toLowerCase()}.${last
          .toLowerCase()
          .normalize("NFD")
          .replace(/[^a-z]/g, "")}@${slug}.example`,
        city,
        country_id: countryIds.get(code),
        customer_rank: customer ? 1 : 0,
        active: !archived,
      });
    }
  });
  // Customers of the Mexican company only: seen when it is among the allowed companies.
  for (const [name, city] of [
    ["Ferretería Guadalajara", "Guadalajara"],
    ["Abarrotes Monterrey", "Monterrey"],
  ] as const) {
    create("res.partner", {
      name,
      is_company: true,
      city,
      country_id: countryIds.get("MX"),
      customer_rank: 1,
      company_id: 2,
    });
  }
  // Individual customers without a company.
  for (const [name, code, city] of [
    ["Carmen Navarro", "ES", "Granada"],
    ["Javier Ortega", "ES", "Murcia"],
    ["Sophie Laurent", "FR", "Nice"],
    ["John Miller", "US", "Austin"],
  ] as const) {
    create("res.partner", {
      name,
      city,
      country_id: countryIds.get(code),
      customer_rank: 1,
      email: `${name.split(" ")[0]?.toLowerCase()}@mail.example`,
    });
  }
}

function loadProducts(release: SimRelease, create: Create): void {
  for (const name of ["Units", "kg", "Hours"]) create("uom.uom", { name });
  const all = create("product.category", { name: "All" });
  const saleable = create("product.category", { name: "Saleable", parent_id: all });
  create("product.category", { name: "Computers", parent_id: saleable });
  create("product.category", { name: "Office Furniture", parent_id: saleable });
  create("product.category", { name: "Services", parent_id: all });
  PRODUCTS.forEach(([name, default_code, list_price, standard_price, kind, categ_id], index) => {
    create("product.template", {
      name,
      default_code,
      list_price,
      standard_price,
      ...productKindValues(release, kind),
      categ_id,
      uom_id: kind === "service" ? 3 : 1,
      barcode: kind === "service" ? false : `84${String(1000000000 + index * 7331).slice(0, 11)}`,
      weight: kind === "storable" ? 1 + (index % 5) * 0.75 : 0,
    });
  });
  create("product.template", {
    name: "Fax Machine",
    default_code: "OLD-FAX",
    list_price: 99,
    ...productKindValues(release, "storable"),
    categ_id: 3,
    active: false,
  });
}

function loadStock(env: Env, create: Create): void {
  const physical = create("stock.location", { name: "Physical Locations", usage: "view" });
  const partners = create("stock.location", { name: "Partners", usage: "view" });
  const virtual = create("stock.location", { name: "Virtual Locations", usage: "view" });
  const vendors = create("stock.location", { name: "Vendors", usage: "supplier", location_id: partners });
  const customers = create("stock.location", { name: "Customers", usage: "customer", location_id: partners });
  create("stock.location", { name: "Inventory adjustment", usage: "inventory", location_id: virtual });

  const warehouses: { id: number; stock: number; code: string }[] = [];
  for (const [name, code] of [
    ["Almacén Central", "WH"],
    ["Tienda Norte", "TN"],
  ] as const) {
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
    name: "Shelf A",
    usage: "internal",
    location_id: warehouses[0]?.stock,
    warehouse_id: warehouses[0]?.id,
  });

  // Stock of every storable product: plenty in the central warehouse, a little in the store.
  const products = env.db.requireModel("product.product");
  for (const product of products.rows.values()) {
    const template = env.db.requireModel("product.template").rows.get(product.product_tmpl_id as number);
    if (!template || !isStorable(env.db.release, template) || product.active === false) continue;
    const central = 10 + ((product.id * 17) % 41);
    create("stock.quant", { product_id: product.id, location_id: warehouses[0]?.stock, quantity: central });
    if (product.id % 2 === 1)
      create("stock.quant", {
        product_id: product.id,
        location_id: warehouses[1]?.stock,
        quantity: 2 + (product.id % 6),
      });
  }

  const { db } = env;
  const partner = (name: string) => idOf(db, "res.partner", "name", name);
  const product = (code: string) => idOf(db, "product.product", "default_code", code);
  // A move line as this release spells it: up to 18.0 a move needs its own name (the product's).
  const move = (code: string, values: Record<string, unknown>) => {
    const productId = product(code);
    const name = db.release.major < 19 ? { name: db.displayNameOf("product.product", productId) } : {};
    return [0, 0, { product_id: productId, ...name, ...values }];
  };
  const [receiptType, deliveryType, internalType] = [1, 2, 3];
  create("stock.picking", {
    picking_type_id: receiptType,
    partner_id: partner("Lumber Inc"),
    origin: "P00001",
    scheduled_date: "2025-01-03 09:00:00",
    date_done: "2025-01-03 11:30:00",
    state: "done",
    move_ids: [move("LAP-LEN-X1", { product_uom_qty: 10, quantity: 10, state: "done" })],
  });
  create("stock.picking", {
    picking_type_id: deliveryType,
    partner_id: partner("Distribuciones Levante S.A."),
    origin: "S00002",
    scheduled_date: "2025-01-08 10:00:00",
    state: "assigned",
    move_ids: [
      move("LAP-HP-840", { product_uom_qty: 3, state: "assigned" }),
      move("ACC-MOUSE-W", { product_uom_qty: 5, state: "assigned" }),
    ],
  });
  create("stock.picking", {
    picking_type_id: internalType,
    location_dest_id: warehouses[1]?.stock,
    scheduled_date: "2025-01-09 08:00:00",
    state: "draft",
    move_ids: [move("LAP-ASU-ZB14", { product_uom_qty: 4 })],
  });
  create("stock.picking", {
    picking_type_id: deliveryType,
    partner_id: partner("Bureau Parisien SARL"),
    scheduled_date: "2025-01-02 16:00:00",
    state: "cancel",
    move_ids: [move("MON-DEL-U27", { product_uom_qty: 1, state: "cancel" })],
  });
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
