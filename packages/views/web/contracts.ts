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

/** `_meta` key of the Confirm view's part. */
export const CONFIRM_META_KEY = "odoo-mcp/confirm";

/**
 * What the Confirm view needs to run the change when the person clicks: the single-use confirmation
 * token and the app-only tool that redeems it. Kept in `_meta`, out of the model's sight.
 */
export interface ConfirmMeta {
  token: string;
  expiresAt: string;
  /** The app-only tool the view calls with `{ confirmation: token }`. */
  confirmTool: string;
  /** Where a record opens in Odoo, `{id}` standing for the id. */
  recordUrl: string;
}

/** The structured result of a change awaiting the person's confirmation (what the model reads too). */
export interface PendingChangeResult {
  status: "awaiting_confirmation";
  /** delete: odoo_delete_record; call_method: a workflow button through odoo_call_method. */
  action: "delete" | "call_method";
  model: string;
  /** The model's name as Odoo shows it ("Transfer"), when known. */
  model_label?: string;
  /** The method a workflow button runs, and the button's label where Odoo gives it. */
  method?: string;
  button?: string;
  records: { id: number; name: string }[];
  note: string;
}

/** What odoo_delete_record and odoo_call_method answer once they ran (the model reads it too). */
export interface ChangeOutcome {
  model: string;
  ids: number[];
  deleted?: boolean;
  method?: string;
  /** Odoo's answer to a workflow button, as it gave it. */
  result?: unknown;
  /** The records' state after the button, for models that have one, and its label in Odoo ("Ready"). */
  states?: { id: number; state: unknown; label?: string }[];
  /**
   * Odoo answered the button with an action for a person in its web client (a wizard such as "Create
   * Backorder?"): the button did not finish, and nothing moved on until someone completes it there.
   */
  unfinished?: UnfinishedAction;
  note?: string;
}

export interface UnfinishedAction {
  /** Odoo's action type, as `ir.actions.act_window`. */
  type: string;
  /** The wizard's model and title, where Odoo gives them. */
  model?: string;
  name?: string;
}

/** `_meta` key of the Totals view's part. */
export const TOTALS_META_KEY = "odoo-mcp/totals";

export interface TotalsMeta {
  /** The grouped and totalled fields, by field name (a spec's `amount_total:sum` is `amount_total`). */
  fields: Record<string, RecordsField>;
  /** Each group's records as a domain for odoo_search_read_records, in the order of the groups. */
  domains: unknown[][];
}
