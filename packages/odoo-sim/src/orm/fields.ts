import type { Database, Row } from "./database.js";

export type FieldType =
  | "char"
  | "text"
  | "html"
  | "integer"
  | "float"
  | "monetary"
  | "boolean"
  | "date"
  | "datetime"
  | "selection"
  | "many2one"
  | "one2many"
  | "many2many"
  /** Base64 text on the wire (ir.attachment's `datas`). */
  | "binary";

export interface FieldDef {
  type: FieldType;
  /** The label Odoo shows (`string` in fields_get). */
  string: string;
  required?: boolean;
  readonly?: boolean;
  help?: string;
  /** Comodel of a relational field. */
  relation?: string;
  /** The many2one on the comodel that a one2many mirrors. */
  inverseName?: string;
  selection?: readonly (readonly [string, string])[];
  /** Default for create: a raw value or a function of the database and the values being created. */
  default?: unknown | ((db: Database, values: Record<string, unknown>) => unknown);
  /** A computed field: its raw value from the row. */
  compute?: (row: Row, db: Database) => unknown;
  /** A computed field Odoo stores (`store=True`): searchable, sortable and groupable like a column. */
  stored?: boolean;
  /** Aggregate read_group applies when the field is listed without one (Odoo's `aggregator`). */
  aggregator?: "sum" | "avg" | "min" | "max" | "count" | "count_distinct" | "bool_and" | "bool_or";
  /** What deleting the target of a many2one does to this record (SQL ON DELETE); `set null` by default. */
  ondelete?: "cascade" | "restrict" | "set null";
  /**
   * `groups=`: the XML ids of the groups whose members may see and use the field; for anyone else
   * fields_get leaves it out and reading it is an AccessError (models.py `check_field_access_rights`).
   */
  groups?: readonly string[];
  /** `check_company=True`: the target must be shared or of the record's own company (`_check_company`). */
  checkCompany?: boolean;
  /** Set on delegated fields (Odoo's `_inherits`): the many2one through which the value lives. */
  delegatedThrough?: string;
  /**
   * `translate=True`: one value per language, as Odoo 16+ keeps it (a jsonb `{"en_US": …, "es_ES": …}`);
   * read, searched and sorted in the call's `lang`, falling back to en_US (Database.value).
   */
  translate?: boolean;
}

type Options = Omit<FieldDef, "type" | "string" | "relation" | "selection">;

export const field = {
  char: (string: string, o: Options = {}): FieldDef => ({ type: "char", string, ...o }),
  text: (string: string, o: Options = {}): FieldDef => ({ type: "text", string, ...o }),
  html: (string: string, o: Options = {}): FieldDef => ({ type: "html", string, ...o }),
  binary: (string: string, o: Options = {}): FieldDef => ({ type: "binary", string, ...o }),
  integer: (string: string, o: Options = {}): FieldDef => ({ type: "integer", string, aggregator: "sum", ...o }),
  float: (string: string, o: Options = {}): FieldDef => ({ type: "float", string, aggregator: "sum", ...o }),
  monetary: (string: string, o: Options = {}): FieldDef => ({ type: "monetary", string, aggregator: "sum", ...o }),
  boolean: (string: string, o: Options = {}): FieldDef => ({ type: "boolean", string, ...o }),
  date: (string: string, o: Options = {}): FieldDef => ({ type: "date", string, ...o }),
  datetime: (string: string, o: Options = {}): FieldDef => ({ type: "datetime", string, ...o }),
  selection: (string: string, selection: FieldDef["selection"], o: Options = {}): FieldDef => ({
    type: "selection",
    string,
    selection,
    ...o,
  }),
  many2one: (string: string, relation: string, o: Options = {}): FieldDef => ({
    type: "many2one",
    string,
    relation,
    ...o,
  }),
  one2many: (string: string, relation: string, inverseName: string, o: Options = {}): FieldDef => ({
    type: "one2many",
    string,
    relation,
    inverseName,
    ...o,
  }),
  many2many: (string: string, relation: string, o: Options = {}): FieldDef => ({
    type: "many2many",
    string,
    relation,
    ...o,
  }),
};

export const isX2many = (def: FieldDef) => def.type === "one2many" || def.type === "many2many";
export const isNumeric = (def: FieldDef) => def.type === "integer" || def.type === "float" || def.type === "monetary";

/** The empty value Odoo stores for a field that is not set. */
export function emptyValue(def: FieldDef): unknown {
  if (isX2many(def)) return [];
  if (def.type === "integer" || def.type === "float" || def.type === "monetary") return 0;
  return false;
}

/** A float as XML-RPC `<double>`; JSON encodes it as a plain number. */
export class OdooFloat {
  constructor(readonly value: number) {}
  toJSON(): number {
    return this.value;
  }
}
