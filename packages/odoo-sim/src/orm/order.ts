import { PythonError } from "../faults.js";
import type { Database, Model, Row } from "./database.js";

interface OrderTerm {
  field: string;
  descending: boolean;
  /** Where unset values go; PostgreSQL's default is last ascending, first descending. */
  nullsFirst: boolean;
}

const TERM = /^\s*([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$/i;
const collator = new Intl.Collator("en", { sensitivity: "base", numeric: false });

/** Parses an `order` specification (`"name asc, id desc"`) as Odoo's `_order_to_sql` accepts it. */
export function parseOrder(model: Model, spec: string): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const part of spec.split(",")) {
    const match = TERM.exec(part);
    if (!match) {
      throw new PythonError(
        "ValueError",
        `Invalid "order" specified (${spec}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
      );
    }
    const [, field, direction, nulls] = match as unknown as [string, string, string | undefined, string | undefined];
    if (!model.fields.has(field))
      throw new PythonError("ValueError", `Invalid field '${field}' on model '${model.name}'`);
    const descending = direction?.toLowerCase() === "desc";
    terms.push({ field, descending, nullsFirst: nulls ? nulls.toLowerCase() === "first" : descending });
  }
  return terms;
}

/** Sorts rows in place by `spec`, else by the model's `_order`, always ending with `id` as Odoo does. */
export function sortRows(db: Database, model: Model, rows: Row[], spec?: string): Row[] {
  const terms = parseOrder(model, spec || model.def.order || "id");
  if (!terms.some((term) => term.field === "id")) terms.push({ field: "id", descending: false, nullsFirst: false });
  const keyed = rows.map((row) => ({ row, keys: terms.map((term) => sortKey(db, model, row, term.field)) }));
  keyed.sort((a, b) => {
    for (const [index, term] of terms.entries()) {
      const result = compareKeys(a.keys[index], b.keys[index], term);
      if (result !== 0) return result;
    }
    return 0;
  });
  return keyed.map((entry) => entry.row);
}

/** A many2one sorts by the target's display name, as Odoo sorts it by the comodel's order. */
function sortKey(db: Database, model: Model, row: Row, name: string): unknown {
  const value = db.value(model, row, name);
  const def = model.fields.get(name);
  if (def?.type === "many2one")
    return typeof value === "number" ? db.displayNameOf(def.relation as string, value) : null;
  if (value === false || value === undefined || value === "") return def?.type === "boolean" ? false : null;
  return value;
}

function compareKeys(a: unknown, b: unknown, term: OrderTerm): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === term.nullsFirst ? -1 : 1;
  }
  let result: number;
  if (typeof a === "string" && typeof b === "string") result = collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
  else result = (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  return term.descending ? -result : result;
}
