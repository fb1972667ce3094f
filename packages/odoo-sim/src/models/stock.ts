import type { Database, Row } from "../orm/database.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";
import type { SimRelease } from "../release.js";
import { pickingMethods } from "./workflows.js";

const PICKING_STATES = [
  ["draft", "Draft"],
  ["waiting", "Waiting Another Operation"],
  ["confirmed", "Waiting"],
  ["assigned", "Ready"],
  ["done", "Done"],
  ["cancel", "Cancelled"],
] as const;

/** Odoo's complete_name: a view location is named alone ("WH"), any other after its parent ("WH/Stock"). */
const locationName = (row: Row, db: Database): string => {
  const parent =
    typeof row.location_id === "number" ? db.requireModel("stock.location").rows.get(row.location_id) : undefined;
  return parent && row.usage !== "view" ? `${locationName(parent, db)}/${row.name}` : String(row.name);
};

/** Fills what Odoo derives from the operation type: source, destination and the `WH/INT/00001` name. */
function pickingDefaults(values: Record<string, unknown>, db: Database): void {
  const type = db.requireModel("stock.picking.type").rows.get(values.picking_type_id as number);
  if (!type) return;
  values.location_id ||= type.default_location_src_id;
  values.location_dest_id ||= type.default_location_dest_id;
  if (!values.name || values.name === "/") {
    const warehouse = db.requireModel("stock.warehouse").rows.get(type.warehouse_id as number);
    const prefix = `${warehouse?.code ?? "WH"}/${type.sequence_code}/`;
    values.name = db.nextSequence(`stock.picking.${type.id}`, prefix, 5);
  }
}

/**
 * From 18.0 a move computes its locations from its picking (`_compute_location_id`, precompute); in 17.0
 * they are plain required fields (stock_move.py 17.0 L70-79, 18.0 L77-86).
 */
function moveDefaults(values: Record<string, unknown>, db: Database): void {
  const picking = db.requireModel("stock.picking").rows.get(values.picking_id as number);
  if (picking && db.release.major >= 18) {
    values.location_id ||= picking.location_id;
    values.location_dest_id ||= picking.location_dest_id;
  }
}

/**
 * The fields of stock.move that changed (addons/stock/models/stock_move.py): `name` is required up to
 * 18.0 and gone from 19.0 (the product names a move); the unit is `product_uom` up to 19.0, `uom_id`
 * in 20.0. `quantity` (what is moved) and `product_uom_qty` (the demand) are the same throughout.
 */
function moveFields(release: SimRelease) {
  return {
    ...(release.major < 19 ? { name: field.char("Description", { required: true }) } : {}),
    ...(release.major < 20
      ? { product_uom: field.many2one("UoM", "uom.uom", { required: true, default: 1 }) }
      : { uom_id: field.many2one("Unit", "uom.uom", { required: true, default: 1 }) }),
  };
}

const OPERATION_TYPES = [
  ["incoming", "Receipt"],
  ["outgoing", "Delivery"],
  ["internal", "Internal Transfer"],
] as const;

export const stockModels = (release: SimRelease): ModelDef[] => [
  {
    name: "stock.location",
    description: "Inventory Locations",
    grantedTo: { "stock.group_stock_manager": ["read", "write", "create", "unlink"] },
    order: "complete_name, id",
    parentName: "location_id",
    displayName: locationName,
    fields: {
      name: field.char("Location Name", { required: true }),
      complete_name: field.char("Full Location Name", { compute: locationName, stored: true }),
      location_id: field.many2one("Parent Location", "stock.location", { ondelete: "cascade" }),
      child_ids: field.one2many("Contains", "stock.location", "location_id"),
      usage: field.selection(
        "Location Type",
        [
          ["supplier", "Vendor Location"],
          ["view", "View"],
          ["internal", "Internal Location"],
          ["customer", "Customer Location"],
          ["inventory", "Inventory Loss"],
          ["production", "Production"],
          ["transit", "Transit Location"],
        ],
        { required: true, default: "internal" },
      ),
      warehouse_id: field.many2one("Warehouse", "stock.warehouse"),
      barcode: field.char("Barcode"),
      company_id: field.many2one("Company", "res.company"),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "stock.warehouse",
    description: "Warehouse",
    grantedTo: { "stock.group_stock_manager": ["read", "write", "create", "unlink"] },
    order: "sequence, id",
    fields: {
      name: field.char("Warehouse", { required: true }),
      code: field.char("Short Name", { required: true }),
      sequence: field.integer("Sequence", { default: 10, aggregator: undefined }),
      view_location_id: field.many2one("View Location", "stock.location"),
      lot_stock_id: field.many2one("Location Stock", "stock.location"),
      partner_id: field.many2one("Address", "res.partner"),
      company_id: field.many2one("Company", "res.company", { required: true, default: 1 }),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "stock.picking.type",
    description: "Picking Type",
    grantedTo: { "stock.group_stock_manager": ["read", "write", "create", "unlink"] },
    order: "sequence, id",
    displayName: (row, db) => {
      const warehouse =
        typeof row.warehouse_id === "number" ? db.displayNameOf("stock.warehouse", row.warehouse_id) : "";
      return warehouse ? `${warehouse}: ${row.name}` : String(row.name);
    },
    fields: {
      name: field.char("Operation Type", { required: true }),
      code: field.selection("Type of Operation", OPERATION_TYPES, { required: true }),
      sequence_code: field.char("Sequence Prefix", { required: true }),
      sequence: field.integer("Sequence", { default: 10, aggregator: undefined }),
      warehouse_id: field.many2one("Warehouse", "stock.warehouse", { ondelete: "cascade" }),
      default_location_src_id: field.many2one("Default Source Location", "stock.location"),
      default_location_dest_id: field.many2one("Default Destination Location", "stock.location"),
      // Whether validating less than the demand asks for a backorder (stock_picking.py 17.0 L139, 19.0 L132).
      create_backorder: field.selection(
        "Create Backorder",
        [
          ["ask", "Ask"],
          ["always", "Always"],
          ["never", "Never"],
        ],
        { required: true, default: "ask" },
      ),
      company_id: field.many2one("Company", "res.company", { default: 1 }),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "stock.quant",
    description: "Quants",
    grantedTo: {
      "stock.group_stock_user": ["read", "write", "create"],
      "stock.group_stock_manager": ["read", "write", "create", "unlink"],
    },
    order: "id",
    displayName: (row, db) =>
      `${db.displayNameOf("stock.location", row.location_id as number)} - ${db.displayNameOf("product.product", row.product_id as number)}`,
    fields: {
      product_id: field.many2one("Product", "product.product", { required: true, ondelete: "restrict" }),
      location_id: field.many2one("Location", "stock.location", { required: true, ondelete: "restrict" }),
      quantity: field.float("Quantity", { default: 0 }),
      reserved_quantity: field.float("Reserved Quantity", { default: 0 }),
      in_date: field.datetime("Incoming Date", { default: (db: Database) => db.now() }),
      company_id: field.many2one("Company", "res.company", { default: 1 }),
    },
  },
  {
    name: "stock.picking",
    description: "Transfer",
    grantedTo: {
      "stock.group_stock_user": ["read", "write", "create"],
      "stock.group_stock_manager": ["read", "write", "create", "unlink"],
    },
    order: "priority desc, scheduled_date asc, id desc",
    beforeCreate: pickingDefaults,
    methods: pickingMethods,
    fields: {
      name: field.char("Reference", { default: "/" }),
      origin: field.char("Source Document"),
      priority: field.selection(
        "Priority",
        [
          ["0", "Normal"],
          ["1", "Urgent"],
        ],
        { default: "0" },
      ),
      picking_type_id: field.many2one("Operation Type", "stock.picking.type", { required: true }),
      // related='picking_type_id.code' (stock_picking.py 17.0 L458, 19.0 L624)
      picking_type_code: field.selection("Type of Operation", OPERATION_TYPES, {
        readonly: true,
        compute: (row, db) =>
          db.requireModel("stock.picking.type").rows.get(row.picking_type_id as number)?.code ?? false,
      }),
      location_id: field.many2one("Source Location", "stock.location", { required: true }),
      location_dest_id: field.many2one("Destination Location", "stock.location", { required: true }),
      partner_id: field.many2one("Contact", "res.partner"),
      state: field.selection("Status", PICKING_STATES, { default: "draft", readonly: true }),
      scheduled_date: field.datetime("Scheduled Date", { default: (db: Database) => db.now() }),
      date_done: field.datetime("Date of Transfer", { readonly: true }),
      move_ids: field.one2many("Stock Moves", "stock.move", "picking_id"),
      // 17.0 and 18.0 only (stock_picking.py): the moves not in an entire package.
      ...(release.major < 19
        ? { move_ids_without_package: field.one2many("Stock moves not in package", "stock.move", "picking_id") }
        : {}),
      note: field.html("Notes"),
      company_id: field.many2one("Company", "res.company", { default: 1 }),
    },
  },
  {
    name: "stock.move",
    description: "Stock Move",
    grantedTo: {
      "stock.group_stock_user": ["read", "write", "create"],
      "stock.group_stock_manager": ["read", "write", "create", "unlink"],
    },
    order: "sequence, id",
    beforeCreate: moveDefaults,
    fields: {
      ...moveFields(release),
      sequence: field.integer("Sequence", { default: 10, aggregator: undefined }),
      picking_id: field.many2one("Transfer", "stock.picking", { ondelete: "cascade" }),
      product_id: field.many2one("Product", "product.product", { required: true }),
      product_uom_qty: field.float("Demand", { default: 0 }),
      // What is reserved, then moved: the demand once reserved (stock_move.py 17.0 L157, 19.0 L171).
      quantity: field.float("Quantity", { default: 0 }),
      // Set on every move at validation when none is (`_pre_action_done_hook`; stock_move.py 17.0 L110, 19.0 L121).
      picked: field.boolean("Picked", { default: false }),
      location_id: field.many2one("Source Location", "stock.location", { required: true }),
      location_dest_id: field.many2one("Destination Location", "stock.location", { required: true }),
      state: field.selection(
        "Status",
        [
          ["draft", "New"],
          ["waiting", "Waiting Another Move"],
          ["confirmed", "Waiting Availability"],
          ["partially_available", "Partially Available"],
          ["assigned", "Available"],
          ["done", "Done"],
          ["cancel", "Cancelled"],
        ],
        { default: "draft", readonly: true },
      ),
      date: field.datetime("Date Scheduled", { default: (db: Database) => db.now() }),
      company_id: field.many2one("Company", "res.company", { default: 1 }),
    },
  },
];
