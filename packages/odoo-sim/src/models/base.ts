import { AccessDenied, AccessError, PythonError, UserError } from "../faults.js";
import { GROUPS_BY_ROLE } from "../orm/access.js";
import type { Database, Row } from "../orm/database.js";
import type { Env } from "../orm/env.js";
import { type FieldDef, field } from "../orm/fields.js";
import type { ModelDef, RecordMethod } from "../orm/model.js";
import type { SimRelease } from "../release.js";

const partnerName = (row: Row, db: Database): string => {
  const own = typeof row.name === "string" ? row.name : "";
  const parent = typeof row.parent_id === "number" ? db.displayNameOf("res.partner", row.parent_id) : "";
  return parent && !row.is_company ? (own ? `${parent}, ${own}` : parent) : own;
};

function inGroup(env: Env, uid: number, group: unknown): boolean {
  if (typeof group !== "string" || !group.includes(".")) {
    throw new PythonError("ValueError", "External ID must be fully qualified");
  }
  const user = env.db.users.find((candidate) => candidate.id === uid);
  return user ? GROUPS_BY_ROLE[user.group].includes(group) : false;
}

/**
 * res.users' own public methods (odoo/addons/base/models/res_users.py):
 * - `has_group(group_ext_id)`: @api.model in 17.0 (the user is the context's); from 18.0 a record method
 *   on one user, which only that user, the superuser or an internal user may ask about;
 * - `context_get()`: @api.model, the caller's lang, tz and uid;
 * - `change_password(old_passwd, new_passwd)`: @api.model, the caller's own password.
 */
function userMethods(release: SimRelease): Pick<ModelDef, "modelMethods" | "methods" | "methodParams"> {
  const hasGroupOnRecords: RecordMethod = (env, ids, _args, kwargs) => {
    if (ids.length !== 1) throw new PythonError("ValueError", `Expected singleton: res.users(${ids.join(", ")})`);
    const uid = ids[0] as number;
    if (uid !== env.uid && env.group === "portal")
      throw new AccessError("You can ony call user.has_group() with your current user.");
    return inGroup(env, uid, kwargs.group_ext_id);
  };
  return {
    modelMethods: {
      context_get: (env) => ({
        lang: env.context.lang ?? "en_US",
        tz: env.context.tz ?? "Europe/Brussels",
        uid: env.uid,
      }),
      change_password: (env, _args, kwargs) => {
        const user = env.db.users.find((candidate) => candidate.id === env.uid);
        if (!user || kwargs.old_passwd !== user.password) throw new AccessDenied();
        if (typeof kwargs.new_passwd !== "string" || kwargs.new_passwd === "") {
          throw new UserError("Setting empty passwords is not allowed for security reasons!");
        }
        user.password = kwargs.new_passwd;
        return true;
      },
      ...(release.major < 18 ? { has_group: (env, _args, kwargs) => inGroup(env, env.uid, kwargs.group_ext_id) } : {}),
    },
    methods: release.major < 18 ? {} : { has_group: hasGroupOnRecords },
    methodParams: {
      has_group: [["group_ext_id"]],
      change_password: [["old_passwd"], ["new_passwd"]],
      context_get: [],
    },
  };
}

export const baseModels = (release: SimRelease): ModelDef[] => [
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
    // res_country.py: a two-letter name is tried as a code first (17.0 `_name_search`, 18.0+ `name_search`);
    // from 18.0 `_rec_names_search = ['name', 'code']` matches codes among the names too.
    nameSearchFirst: { field: "code", when: (name) => name.length === 2 },
    ...(release.major >= 18 ? { nameSearchFields: ["code"] } : {}),
    fields: {
      name: field.char("Country Name", { required: true, translate: true }),
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
    grantedTo: { "base.group_partner_manager": ["read", "write", "create", "unlink"] },
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
    // base, sale and stock ir.model.access.csv: contact creation, sales and inventory administrators.
    grantedTo: {
      "base.group_partner_manager": ["read", "write", "create", "unlink"],
      "sales_team.group_sale_manager": ["read", "write", "create"],
      "stock.group_stock_manager": ["read", "write", "create"],
    },
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
      // res_partner.py: the users whose contact this is (res.users _inherits res.partner).
      user_ids: field.one2many("Users", "res.users", "partner_id"),
      company_id: field.many2one("Company", "res.company"),
      active: field.boolean("Active", { default: true }),
    },
  },
  {
    name: "res.users",
    description: "User",
    order: "name, login",
    inherits: { "res.partner": "partner_id" },
    ...userMethods(release),
    fields: {
      partner_id: field.many2one("Related Partner", "res.partner", { required: true, ondelete: "restrict" }),
      login: field.char("Login", { required: true }),
      active: field.boolean("Active", { default: true }),
      // Computed from the groups, as res_users.py `_compute_share` does: not an internal user.
      share: field.boolean("Share User", {
        compute: (row, db) => db.users.find((user) => user.id === row.id)?.group === "portal",
        stored: true,
        help: "External user with limited access (portal).",
      }),
      company_id: field.many2one("Company", "res.company", { required: true, default: 1 }),
      // The companies the user may work in: env.companies without allowed_company_ids (api.py `companies`).
      company_ids: field.many2many("Companies", "res.company", { default: () => [1] }),
      ...userGroupFields(release),
    },
  },
  {
    name: "res.groups",
    description: "Access Groups",
    order: "name",
    fields: {
      name: field.char("Name", { required: true }),
      share: field.boolean("Share Group", { default: false }),
    },
  },
];

/** The ids of the groups a user's role holds, found through their XML ids (ir.model.data). */
function roleGroupIds(row: Row, db: Database): number[] {
  const user = db.users.find((candidate) => candidate.id === row.id);
  if (!user) return [];
  const xmlIds = [...db.requireModel("ir.model.data").rows.values()].filter((data) => data.model === "res.groups");
  return GROUPS_BY_ROLE[user.group].flatMap((xmlId) => {
    const [module, name] = xmlId.split(".");
    const data = xmlIds.find((entry) => entry.module === module && entry.name === name);
    return data ? [data.res_id as number] : [];
  });
}

/**
 * A user's groups (odoo/addons/base/models/res_users.py): `groups_id`, implied groups included, up to
 * 18.0; from 19.0 `group_ids` holds the groups given and `all_group_ids` adds the implied ones. The
 * demo roles' groups are their implied closure already.
 */
function userGroupFields(release: SimRelease): Record<string, FieldDef> {
  const groups = (label: string) => field.many2many(label, "res.groups", { compute: roleGroupIds });
  return release.major < 19
    ? { groups_id: groups("Groups") }
    : { group_ids: groups("Groups"), all_group_ids: groups("Groups and implied groups") };
}
