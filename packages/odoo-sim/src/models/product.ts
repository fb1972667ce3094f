import { createRecord } from "../orm/crud.js";
import type { Database, Row } from "../orm/database.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";

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

export const productModels: ModelDef[] = [
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
    order: "name",
    displayName: (row) => codedName(row),
    nameSearchFields: ["default_code"],
    fields: {
      name: field.char("Name", { required: true }),
      default_code: field.char("Internal Reference"),
      barcode: field.char("Barcode"),
      type: field.selection(
        "Product Type",
        [
          ["consu", "Consumable"],
          ["service", "Service"],
          ["product", "Storable Product"],
        ],
        { default: "consu", required: true },
      ),
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
    afterCreate: (env, id, asParentOf) => {
      if (asParentOf !== "product.product")
        createRecord(env, env.db.requireModel("product.product"), { product_tmpl_id: id });
    },
  },
  {
    name: "product.product",
    description: "Product Variant",
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
