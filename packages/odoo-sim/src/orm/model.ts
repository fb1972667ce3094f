import type { Operation } from "./access.js";
import type { Database, Row } from "./database.js";
import type { Env } from "./env.js";
import type { FieldDef } from "./fields.js";
import type { Param } from "./signatures.js";

/** A public method a model offers beyond the ORM's (workflow buttons such as `action_confirm`). */
export type RecordMethod = (env: Env, ids: number[], args: unknown[], kwargs: Record<string, unknown>) => unknown;

/** A model as Odoo declares it: `_name`, `_description`, `_order`, `_rec_name`, `_inherits` and fields. */
export interface ModelDef {
  name: string;
  description: string;
  fields: Record<string, FieldDef>;
  /** `_order`, e.g. `"complete_name asc, id desc"`; defaults to `id`. */
  order?: string;
  /** `_rec_name`: the field display_name and name_search use; defaults to `name`. */
  recName?: string;
  /** `_parent_name`, for child_of / parent_of; defaults to `parent_id` when the model has it. */
  parentName?: string;
  /** `_inherits`: parent model -> the many2one on this model that points to it. */
  inherits?: Record<string, string>;
  /** Overrides the display name computed from the rec name (`[CODE] Name`, `Company, Contact`). */
  displayName?: (row: Row, db: Database) => string;
  /** Extra fields name_search matches with the operator, besides the rec name (product codes). */
  nameSearchFields?: string[];
  /**
   * A model's own name_search that looks one field up first, when `when(name)`: those records come
   * first, then the rest of the usual matches (res.country: a two-letter name is tried as a code).
   */
  nameSearchFirst?: { field: string; when: (name: string) => boolean };
  /** Runs after defaults, before the row is stored: sequences and other create-time values. */
  beforeCreate?: (values: Record<string, unknown>, db: Database, env: Env) => void;
  /**
   * Runs once the row exists. `asParentOf` names the child model when the record was created through
   * `_inherits` (a product.template made for a new product.product must not get a second variant).
   */
  afterCreate?: (env: Env, id: number, asParentOf?: string) => void;
  methods?: Record<string, RecordMethod>;
  /**
   * A record rule (ir.rule) on internal users who are not administrators: which records they reach,
   * by its name as Odoo's access error may cite it.
   */
  userRule?: { name: string; allows: (env: Env, row: Row) => boolean };
  /**
   * Other groups' ir.model.access rows, by the group's XML id, as the release's ir.model.access.csv files
   * grant them (data only: what the demo users may do follows their role, orm/access.ts).
   */
  grantedTo?: Record<string, readonly Operation[]>;
  /** A model's own `_search`: the domain every search of it (search, count, read_group) really runs. */
  searchDomain?: (domain: unknown[]) => unknown[];
  /** What internal users may do (ir.model.access for base.group_user); read only when absent, nothing when empty. */
  userAccess?: readonly Operation[];
  /** Inherits `mail.thread`: its public methods (message_post…) with that release's signatures. */
  mailThread?: boolean;
  /** The parameters (after `self`) of the public methods above, as Python declares them; none when absent. */
  methodParams?: Record<string, readonly Param[]>;
  /** Public methods decorated @api.model in Odoo: no ids, arguments as given. */
  modelMethods?: Record<string, (env: Env, args: unknown[], kwargs: Record<string, unknown>) => unknown>;
}
