/**
 * A field's value as a person reads it, the same in every view that shows records: many2one names,
 * selection labels, Yes/No, money with its currency, dates in the person's locale and time zone.
 */
import type { RecordsField } from "../contracts.js";
import type { Formatter } from "./format.js";
import { type COMMON, fill } from "./i18n.js";

/** Field types a cell can show (binary, one2many, html and the like make no cell worth reading). */
export const SHOWABLE_TYPES = new Set([
  "char",
  "text",
  "integer",
  "float",
  "monetary",
  "date",
  "datetime",
  "boolean",
  "selection",
  "many2one",
]);

/** Field types shown right-aligned with tabular figures. */
export const NUMERIC_TYPES = new Set(["integer", "float", "monetary"]);

type Words = Pick<(typeof COMMON)["en"], "yes" | "no" | "linked">;

/** What a cell shows for `record[name]`, a field described by `field` (from the result's `_meta`). */
export function cellText(
  format: Formatter,
  words: Words,
  record: Record<string, unknown>,
  name: string,
  field: RecordsField | undefined,
): string {
  const value = record[name];
  const type = field?.type;
  if (type === "boolean") return value ? words.yes : words.no;
  if (value === false || value === null || value === undefined) return "";
  if (Array.isArray(value)) {
    // A many2one is [id, name]; a many2many or one2many, ids.
    if (value.length === 2 && typeof value[1] === "string" && type !== "many2many" && type !== "one2many")
      return value[1];
    return fill(words.linked, { count: value.length });
  }
  if (typeof value === "number") {
    if (type === "monetary") {
      const currency = field?.currencyField ? record[field.currencyField] : undefined;
      return format.money(value, Array.isArray(currency) ? String(currency[1]) : undefined);
    }
    return format.number(value, type === "integer" ? 0 : undefined);
  }
  if (typeof value === "string") {
    if (type === "date") return format.date(value);
    if (type === "datetime") return format.dateTime(value);
    if (type === "selection") return field?.options?.find(([key]) => key === value)?.[1] ?? value;
    return value;
  }
  return String(value);
}
