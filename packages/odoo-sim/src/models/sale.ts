import type { Database, Row } from "../orm/database.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";
import { saleOrderMethods } from "./workflows.js";

const round2 = (value: number) => Math.round(value * 100) / 100;

const lineSubtotal = (row: Row) =>
  round2((Number(row.product_uom_qty) || 0) * (Number(row.price_unit) || 0) * (1 - (Number(row.discount) || 0) / 100));

const orderUntaxed = (row: Row, db: Database) => {
  let total = 0;
  for (const line of db.requireModel("sale.order.line").rows.values())
    if (line.order_id === row.id) total += lineSubtotal(line);
  return round2(total);
};

/** A line takes its description and unit price from the product when they are not given. */
function lineDefaults(values: Record<string, unknown>, db: Database): void {
  if (typeof values.product_id !== "number") return;
  const products = db.requireModel("product.product");
  const product = products.rows.get(values.product_id);
  if (!product) return;
  values.name ||= db.displayNameOf("product.product", product.id);
  if (values.price_unit === false || values.price_unit === undefined)
    values.price_unit = db.value(products, product, "list_price");
}

export const saleModels: ModelDef[] = [
  {
    name: "sale.order",
    description: "Sales Order",
    grantedTo: {
      "sales_team.group_sale_salesman": ["read", "write", "create"],
      "sales_team.group_sale_manager": ["read", "write", "create", "unlink"],
    },
    order: "date_order desc, id desc",
    // sale_order_personal_rule: a salesman (own documents only) reaches their own orders and the unassigned
    // ones (sale/security/ir_rules.xml, 17.0 L44-49); managers see all (sale_order_see_all).
    userRule: {
      name: "Personal Orders",
      allows: (env, row) => row.user_id === env.uid || !row.user_id,
    },
    methods: saleOrderMethods,
    beforeCreate: (values, db) => {
      if (!values.name || values.name === "New") values.name = db.nextSequence("sale.order", "S", 5);
    },
    fields: {
      name: field.char("Order Reference", { required: true, default: "New" }),
      partner_id: field.many2one("Customer", "res.partner", { required: true, checkCompany: true }),
      date_order: field.datetime("Order Date", { required: true, default: (db: Database) => db.now() }),
      validity_date: field.date("Expiration"),
      client_order_ref: field.char("Customer Reference"),
      origin: field.char("Source Document"),
      state: field.selection(
        "Status",
        [
          ["draft", "Quotation"],
          ["sent", "Quotation Sent"],
          ["sale", "Sales Order"],
          ["cancel", "Cancelled"],
        ],
        { default: "draft", readonly: true },
      ),
      locked: field.boolean("Locked", { default: false }),
      user_id: field.many2one("Salesperson", "res.users"),
      company_id: field.many2one("Company", "res.company", { required: true, default: 1 }),
      currency_id: field.many2one("Currency", "res.currency", { default: 1 }),
      order_line: field.one2many("Order Lines", "sale.order.line", "order_id"),
      amount_untaxed: field.monetary("Untaxed Amount", { compute: orderUntaxed, stored: true, readonly: true }),
      amount_tax: field.monetary("Taxes", { compute: () => 0, stored: true, readonly: true }),
      amount_total: field.monetary("Total", { compute: orderUntaxed, stored: true, readonly: true }),
      note: field.html("Terms and conditions"),
    },
  },
  {
    name: "sale.order.line",
    description: "Sales Order Line",
    grantedTo: {
      "sales_team.group_sale_salesman": ["read", "write", "create", "unlink"],
      "sales_team.group_sale_manager": ["read", "write", "create", "unlink"],
    },
    order: "order_id, sequence, id",
    beforeCreate: lineDefaults,
    fields: {
      order_id: field.many2one("Order Reference", "sale.order", { required: true, ondelete: "cascade" }),
      sequence: field.integer("Sequence", { default: 10, aggregator: undefined }),
      product_id: field.many2one("Product", "product.product", { ondelete: "restrict" }),
      name: field.text("Description", { required: true }),
      product_uom_qty: field.float("Quantity", { default: 1.0 }),
      price_unit: field.float("Unit Price", { aggregator: undefined }),
      discount: field.float("Discount (%)", { default: 0, aggregator: undefined }),
      price_subtotal: field.monetary("Subtotal", { compute: lineSubtotal, stored: true, readonly: true }),
      price_total: field.monetary("Total", { compute: lineSubtotal, stored: true, readonly: true }),
      state: field.selection(
        "Order Status",
        [
          ["draft", "Quotation"],
          ["sent", "Quotation Sent"],
          ["sale", "Sales Order"],
          ["cancel", "Cancelled"],
        ],
        {
          compute: (row, db) => db.requireModel("sale.order").rows.get(row.order_id as number)?.state ?? false,
          stored: true,
        },
      ),
    },
  },
];
