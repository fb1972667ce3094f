import { PythonError } from "../faults.js";
import type { Database, Model, Row } from "./database.js";
import { emptyValue, type FieldDef, OdooFloat } from "./fields.js";
import { pyRepr } from "./python.js";

/** A field's value as Odoo's `read()` returns it (`load='_classic_read'` unless `load` is falsy). */
export function readValue(db: Database, model: Model, row: Row, name: string, classicLoad = true): unknown {
  const def = model.fields.get(name) as FieldDef;
  const raw = db.value(model, row, name);
  switch (def.type) {
    case "many2one":
      if (typeof raw !== "number") return false;
      return classicLoad ? [raw, db.displayNameOf(def.relation as string, raw)] : raw;
    case "one2many":
    case "many2many":
      return Array.isArray(raw) ? [...raw] : [];
    case "float":
    case "monetary":
      return new OdooFloat(typeof raw === "number" ? raw : 0);
    case "integer":
      return typeof raw === "number" ? raw : 0;
    case "boolean":
      return raw === true;
    default:
      return raw === undefined || raw === null || raw === "" ? (name === "display_name" ? "" : false) : raw;
  }
}

/** One x2many command, as Odoo's `Command`: `[0, 0, vals]`, `[1, id, vals]`, `[2, id]`, `[3, id]`, `[4, id]`, `[5]`, `[6, 0, ids]`. */
export type X2manyCommand = [number, number, unknown];

/** Normalises an x2many value given to create/write into a command list (a plain id list means "set"). */
export function x2manyCommands(model: Model, name: string, value: unknown): X2manyCommand[] {
  if (value === false || value === null) return [[5, 0, 0]];
  if (!Array.isArray(value))
    throw new PythonError("ValueError", `Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
  if (value.every((item) => typeof item === "number")) return [[6, 0, value]];
  return value.map((command) => {
    if (!Array.isArray(command) || typeof command[0] !== "number" || command[0] < 0 || command[0] > 6) {
      throw new PythonError("ValueError", `Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
    }
    return [command[0], Number(command[1] ?? 0), command[2]] as X2manyCommand;
  });
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Converts a value sent to create/write into its stored form, raising Odoo's error for a wrong one. */
export function storeValue(model: Model, name: string, def: FieldDef, value: unknown): unknown {
  if (value === false || value === null) return emptyValue(def) === 0 ? false : emptyValue(def);
  const wrong = () => new PythonError("ValueError", `Wrong value for ${model.name}.${name}: ${pyRepr(value)}`);
  switch (def.type) {
    case "char":
    case "text":
    case "html":
    case "binary":
      // Python's str() of what was sent: a list given to a Text field is stored as "[12]".
      return typeof value === "string" ? value : pyRepr(value);
    case "integer": {
      const number = typeof value === "string" ? Number(value.trim()) : value;
      if (typeof number !== "number" || !Number.isFinite(number)) {
        throw new PythonError("ValueError", `invalid literal for int() with base 10: ${pyRepr(value)}`);
      }
      return Math.trunc(number);
    }
    case "float":
    case "monetary": {
      const number = typeof value === "string" ? Number(value.trim()) : value;
      if (typeof number !== "number" || !Number.isFinite(number)) {
        throw new PythonError("ValueError", `could not convert string to float: ${pyRepr(value)}`);
      }
      return number;
    }
    case "boolean":
      return Boolean(value);
    case "selection":
      if (!def.selection?.some(([key]) => key === value)) throw wrong();
      return value;
    case "date":
      if (typeof value !== "string" || !DATE.test(value.slice(0, 10))) {
        throw new PythonError("ValueError", `time data ${pyRepr(value)} does not match format '%Y-%m-%d'`);
      }
      return value.slice(0, 10);
    case "datetime":
      if (typeof value !== "string" || !DATETIME.test(value)) {
        throw new PythonError("ValueError", `time data ${pyRepr(value)} does not match format '%Y-%m-%d %H:%M:%S'`);
      }
      return value.length === 10 ? `${value} 00:00:00` : value.replace("T", " ").padEnd(19, ":00").slice(0, 19);
    case "many2one":
      if (typeof value === "number" && Number.isInteger(value)) return value;
      if (Array.isArray(value) && typeof value[0] === "number") return value[0];
      throw wrong();
    default:
      return value;
  }
}
