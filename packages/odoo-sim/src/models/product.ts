import { createRecord } from "../orm/crud.js";
import type { Database, Row } from "../orm/database.js";
import type { FieldDef } from "../orm/fields.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";
import type { SimRelease } from "../release.js";

const categoryName = (row: Row, db: Database): string => {
  const parent = typeof row.parent_id === "number" ? db.displayNameOf("product.category", row.parent_id) : "";
  return parent ? `${parent} / ${row.name}` : String(row.name);
};

/** `[LAP-DELL-001] Laptop Dell`, as Odoo names a product that has an internal reference. */
const codedName = (template: Row | undefined): string => {
  const name = String(template?.name ?? "");
  return template?.default_code ? `[${template.default_code}] ${name}` : name;
};

/** On-hand quantity: the quants of the product in internal locations. */
const quantityOnHand = (row: Row, db: Database): number => {
  const locations = db.requireModel("stock.location");
  let total = 0;
  for (const quant of db.requireModel("stock.quant").rows.values()) {
    if (quant.product_id !== row.id) continue;
    if (locations.rows.get(quant.location_id as number)?.usage === "internal") total += Number(quant.quantity) || 0;
  }
  return total;
};

/**
 * What kind of product it is, which changed in 18.0:
 * - 17.0 (addons/product product_template.py, stock product.py): `detailed_type` (consu, service, and
 *   stock's `product` "Storable Product") with `type` computed from it, stored and writable; a create
 *   that names one fills the other (`_sanitize_vals`).
 * - 18.0 on: `type` is consu "Goods", service or combo; stock's `is_storable` ("Track Inventory") says
 *   whether stock is managed, and only goods can be (`compute_is_storable`).
 */
function productTypeFields(release: SimRelease): Record<string, FieldDef> {
  if (release.major < 18) {
    const kinds = [
      ["consu", "Consumable"],
      ["service", "Service"],
      ["product", "Storable Product"],
    ] as const;
    return {
      detailed_type: field.selection("Product Type", kinds, {
        default: (_db: Database, values: Record<string, unknown>) => values.type ?? "consu",
        required: true,
      }),
      type: field.selection("Type", kinds, {
        default: (_db: Database, values: Record<string, unknown>) => values.detailed_type ?? "consu",
        required: true,
      }),
    };
  }
  return {
    type: field.selection(
      "Product Type",
      [
        ["consu", "Goods"],
        ["service", "Service"],
        ["combo", "Combo"],
      ],
      { default: "consu", required: true },
    ),
    is_storable: field.boolean("Track Inventory", { default: false }),
  };
}

/** What the demo data says of a product; each release spells it its own way. */
export type ProductKind = "storable" | "consu" | "service";

export function productKindValues(release: SimRelease, kind: ProductKind): Record<string, unknown> {
  if (kind !== "storable") return { type: kind };
  return release.major < 18 ? { type: "product" } : { type: "consu", is_storable: true };
}

/** Whether stock is managed for a product template's row. */
export const isStorable = (release: SimRelease, template: Row): boolean =>
  release.major < 18 ? template.type === "product" : template.is_storable === true;

/** 18.0 on: only goods track inventory. */
function storableOnlyIfGoods(values: Record<string, unknown>): void {
  if (values.type !== "consu") values.is_storable = false;
}

export const productModels = (release: SimRelease): ModelDef[] => [
  {
    name: "uom.uom",
    description: "Product Unit of Measure",
    order: "name",
    fields: {
      name: field.char("Unit of Measure", { required: true }),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "product.category",
    description: "Product Category",
    order: "complete_name",
    displayName: categoryName,
    fields: {
      name: field.char("Name", { required: true }),
      complete_name: field.char("Complete Name", { compute: categoryName, stored: true }),
      parent_id: field.many2one("Parent Category", "product.category", { ondelete: "cascade" }),
      child_id: field.one2many("Child Categories", "product.category", "parent_id"),
    },
  },
  {
    name: "product.template",
    description: "Product",
    grantedTo: { "sales_team.group_sale_manager": ["read", "write", "create", "unlink"] },
    order: "name",
    displayName: (row) => codedName(row),
    nameSearchFields: ["default_code"],
    fields: {
      name: field.char("Name", { required: true }),
      default_code: field.char("Internal Reference"),
      barcode: field.char("Barcode"),
      ...productTypeFields(release),
      categ_id: field.many2one("Product Category", "product.category", { required: true, default: 1 }),
      list_price: field.float("Sales Price", { default: 1.0 }),
      standard_price: field.float("Cost", { default: 0 }),
      uom_id: field.many2one("Unit of Measure", "uom.uom", { required: true, default: 1 }),
      sale_ok: field.boolean("Can be Sold", { default: true }),
      purchase_ok: field.boolean("Can be Purchased", { default: true }),
      description_sale: field.text("Sales Description"),
      weight: field.float("Weight"),
      company_id: field.many2one("Company", "res.company"),
      active: field.boolean("Active", { default: true }),
      product_variant_ids: field.one2many("Products", "product.product", "product_tmpl_id"),
    },
    ...(release.major >= 18 ? { beforeCreate: storableOnlyIfGoods } : {}),
    afterCreate: (env, id, asParentOf) => {
      if (asParentOf !== "product.product")
        createRecord(env, env.db.requireModel("product.product"), { product_tmpl_id: id });
    },
  },
  {
    name: "product.product",
    description: "Product Variant",
    grantedTo: { "sales_team.group_sale_manager": ["read", "write", "create", "unlink"] },
    order: "default_code, name, id",
    inherits: { "product.template": "product_tmpl_id" },
    nameSearchFields: ["default_code", "barcode"],
    displayName: (row, db) => codedName(db.requireModel("product.template").rows.get(row.product_tmpl_id as number)),
    fields: {
      product_tmpl_id: field.many2one("Product Template", "product.template", { required: true, ondelete: "cascade" }),
      active: field.boolean("Active", { default: true }),
      qty_available: field.float("Quantity On Hand", { compute: quantityOnHand }),
    },
  },
];
