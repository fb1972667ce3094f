/**
 * What the server gives each view besides the structured result, in the tool result's `_meta` (which
 * MCP Apps hosts hand to the view and keep out of the model's context): one type per view, shared by the
 * server that writes it and the view that reads it.
 */

/** `_meta` key of the Records view's part. */
export const RECORDS_META_KEY = "odoo-mcp/records";

/** A column of the Records view: a field of the model, as fields_get describes it. */
export interface RecordsField {
  label: string;
  /** Odoo's field type: char, integer, float, monetary, date, datetime, boolean, selection, many2one… */
  type: string;
  /** For monetary fields: the field holding the currency (`currency_id`), when the model has one. */
  currencyField?: string;
  /** For selection fields: [value, label] pairs. */
  options?: [string, string][];
}

export interface RecordsMeta {
  /** Where a record opens in Odoo, in this release's URL form, with `{id}` in place of the id. */
  recordUrl: string;
  /** The shown fields (and the currency fields they need), by name. */
  fields: Record<string, RecordsField>;
}

/** `_meta` key of the Totals view's part. */
export const TOTALS_META_KEY = "odoo-mcp/totals";

export interface TotalsMeta {
  /** The grouped and totalled fields, by field name (a spec's `amount_total:sum` is `amount_total`). */
  fields: Record<string, RecordsField>;
  /** Each group's records as a domain for odoo_search_read_records, in the order of the groups. */
  domains: unknown[][];
}
