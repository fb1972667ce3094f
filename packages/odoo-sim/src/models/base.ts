import { AccessDenied, PythonError, UserError } from "../faults.js";
import type { Database, Row } from "../orm/database.js";
import type { Group } from "../orm/env.js";
import { field } from "../orm/fields.js";
import type { ModelDef } from "../orm/model.js";

const partnerName = (row: Row, db: Database): string => {
  const own = typeof row.name === "string" ? row.name : "";
  const parent = typeof row.parent_id === "number" ? db.displayNameOf("res.partner", row.parent_id) : "";
  return parent && !row.is_company ? (own ? `${parent}, ${own}` : parent) : own;
};

/** The Odoo groups (XML ids) each demo role holds. */
const GROUPS_BY_ROLE: Record<Group, readonly string[]> = {
  admin: [
    "base.group_user",
    "base.group_system",
    "base.group_erp_manager",
    "sales_team.group_sale_manager",
    "stock.group_stock_manager",
  ],
  user: ["base.group_user", "sales_team.group_sale_salesman", "stock.group_stock_user"],
  portal: ["base.group_portal"],
};

export const baseModels: ModelDef[] = [
  {
    name: "res.currency",
    description: "Currency",
    order: "name",
    fields: {
      name: field.char("Currency", { required: true }),
      symbol: field.char("Symbol", { required: true }),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "res.country",
    description: "Country",
    order: "name",
    fields: {
      name: field.char("Country Name", { required: true }),
      code: field.char("Country Code", { required: true, help: "The ISO country code in two chars." }),
      phone_code: field.integer("Country Calling Code", { aggregator: undefined }),
      currency_id: field.many2one("Currency", "res.currency"),
    },
  },
  {
    name: "res.company",
    description: "Companies",
    order: "sequence, name",
    fields: {
      name: field.char("Company Name", { required: true }),
      sequence: field.integer("Sequence", { default: 10, aggregator: undefined }),
      currency_id: field.many2one("Currency", "res.currency", { required: true }),
      country_id: field.many2one("Country", "res.country"),
      email: field.char("Email"),
      phone: field.char("Phone"),
    },
  },
  {
    name: "res.partner.category",
    description: "Partner Tags",
    order: "name",
    fields: {
      name: field.char("Tag Name", { required: true }),
      color: field.integer("Color", { aggregator: undefined }),
      parent_id: field.many2one("Parent Category", "res.partner.category", { ondelete: "cascade" }),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "res.partner",
    description: "Contact",
    order: "complete_name ASC, id DESC",
    displayName: partnerName,
    fields: {
      name: field.char("Name", { required: true }),
      complete_name: field.char("Complete Name", { compute: partnerName, stored: true }),
      is_company: field.boolean("Is a Company", { default: false }),
      company_type: field.selection(
        "Company Type",
        [
          ["person", "Individual"],
          ["company", "Company"],
        ],
        { compute: (row) => (row.is_company ? "company" : "person") },
      ),
      parent_id: field.many2one("Related Company", "res.partner"),
      child_ids: field.one2many("Contact", "res.partner", "parent_id"),
      type: field.selection(
        "Address Type",
        [
          ["contact", "Contact"],
          ["invoice", "Invoice Address"],
          ["delivery", "Delivery Address"],
          ["other", "Other Address"],
        ],
        { default: "contact" },
      ),
      function: field.char("Job Position"),
      street: field.char("Street"),
      city: field.char("City"),
      zip: field.char("Zip"),
      country_id: field.many2one("Country", "res.country", { ondelete: "restrict" }),
      email: field.char("Email"),
      phone: field.char("Phone"),
      mobile: field.char("Mobile"),
      website: field.char("Website Link"),
      vat: field.char("Tax ID"),
      ref: field.char("Reference"),
      lang: field.selection(
        "Language",
        [
          ["en_US", "English (US)"],
          ["es_ES", "Spanish / Español"],
          ["fr_FR", "French / Français"],
          ["de_DE", "German / Deutsch"],
        ],
        { default: "en_US" },
      ),
      comment: field.html("Notes"),
      customer_rank: field.integer("Customer Rank", { default: 0 }),
      supplier_rank: field.integer("Supplier Rank", { default: 0 }),
      category_id: field.many2many("Tags", "res.partner.category"),
      user_id: field.many2one("Salesperson", "res.users"),
      company_id: field.many2one("Company", "res.company"),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "res.users",
    description: "User",
    order: "name, login",
    inherits: { "res.partner": "partner_id" },
    modelMethods: {
      // res.users.change_password(old, new): a person changes their own password (Odoo 17).
      change_password: (env, args, kwargs) => {
        const [oldPassword = kwargs.old_passwd, newPassword = kwargs.new_passwd] = args;
        const user = env.db.users.find((candidate) => candidate.id === env.uid);
        if (!user || oldPassword !== user.password) throw new AccessDenied();
        if (typeof newPassword !== "string" || newPassword === "") {
          throw new UserError("Setting empty passwords is not allowed for security reasons!");
        }
        user.password = newPassword;
        return true;
      },
    },
    methods: {
      // res.users.has_group(group_ext_id), on one user: the demo users' groups by their role.
      has_group: (env, ids, args, kwargs) => {
        const group = args[0] ?? kwargs.group_ext_id;
        if (typeof group !== "string" || !group.includes(".")) {
          throw new PythonError("ValueError", "External ID must be fully qualified");
        }
        const user = env.db.users.find((candidate) => candidate.id === ids[0]);
        return user ? GROUPS_BY_ROLE[user.group].includes(group) : false;
      },
    },
    fields: {
      partner_id: field.many2one("Related Partner", "res.partner", { required: true, ondelete: "restrict" }),
      login: field.char("Login", { required: true }),
      active: field.boolean("Active", { default: true }),
      share: field.boolean("Share User", { default: false, help: "External user with limited access (portal)." }),
      company_id: field.many2one("Company", "res.company", { required: true, default: 1 }),
    },
  },
];
