/**
 * A minimal `account.move` (addons/account/models/account_move.py): the fields an invoice's report and
 * chatter need — number, type, customer, dates, state and total. No journal, lines or taxes.
 */
import type { Database } from "../orm/database.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";

export const accountModels: ModelDef[] = [
  {
    name: "account.move",
    description: "Journal Entry",
    grantedTo: { "account.group_account_invoice": ["read", "write", "create"] },
    order: "date desc, name desc, id desc",
    fields: {
      name: field.char("Number", { default: "/" }),
      ref: field.char("Reference"),
      move_type: field.selection(
        "Type",
        [
          ["entry", "Journal Entry"],
          ["out_invoice", "Customer Invoice"],
          ["out_refund", "Customer Credit Note"],
          ["in_invoice", "Vendor Bill"],
          ["in_refund", "Vendor Credit Note"],
        ],
        { required: true, default: "entry", readonly: true },
      ),
      state: field.selection(
        "Status",
        [
          ["draft", "Draft"],
          ["posted", "Posted"],
          ["cancel", "Cancelled"],
        ],
        { required: true, default: "draft", readonly: true },
      ),
      partner_id: field.many2one("Partner", "res.partner"),
      date: field.date("Date", { required: true, default: (db: Database) => db.now().slice(0, 10) }),
      invoice_date: field.date("Invoice/Bill Date"),
      invoice_origin: field.char("Origin"),
      amount_total: field.monetary("Total"),
      currency_id: field.many2one("Currency", "res.currency", { default: 1 }),
      company_id: field.many2one("Company", "res.company", { default: 1 }),
    },
  },
];
