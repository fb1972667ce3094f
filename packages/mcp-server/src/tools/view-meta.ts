/**
 * What the views read besides a tool's structured result (packages/views/src/contracts.ts), built from
 * what the tool already asked Odoo: the field catalog (cached) and the release (asked once), so a view
 * costs no extra Odoo call. It goes in the result's `_meta`, never in what the model reads.
 */
import {
  RECORDS_META_KEY,
  type RecordsField,
  type RecordsMeta,
  TOTALS_META_KEY,
  type TotalsMeta,
} from "@odoo-mcp/views";
import type { ToolContext } from "./types.js";

/** A record's page in the Odoo web client, in the release's own URL form, `{id}` standing for the id. */
export async function recordUrlTemplate(context: ToolContext, model: string): Promise<string> {
  const { odooPaths } = await context.odoo.server();
  return odooPaths
    ? `${context.webUrl}/odoo/${model}/{id}`
    : `${context.webUrl}/web#id={id}&model=${encodeURIComponent(model)}&view_type=form`;
}

/** The fields `names` of `model` as the views show them: label, type, currency field, selection labels. */
async function viewFields(context: ToolContext, model: string, names: readonly string[]) {
  const catalog = await context.fields.describe(model);
  const fields: Record<string, RecordsField> = {};
  for (const name of names) {
    const info = catalog[name];
    if (!info) continue;
    // Odoo's Monetary fields take their currency from `currency_id` unless told otherwise.
    const currencyField = info.type === "monetary" && "currency_id" in catalog ? "currency_id" : undefined;
    fields[name] = {
      label: info.string,
      type: info.type,
      ...(currencyField && { currencyField }),
      ...(info.type === "selection" && Array.isArray(info.selection) && { options: info.selection }),
    };
  }
  return fields;
}

/** The Records view's `_meta` for records of `model` read with the fields `names`. */
export async function recordsMeta(
  context: ToolContext,
  model: string,
  names: readonly string[],
): Promise<Record<string, RecordsMeta>> {
  const fields = await viewFields(context, model, names);
  return { [RECORDS_META_KEY]: { recordUrl: await recordUrlTemplate(context, model), fields } };
}

/** The Totals view's `_meta`: the fields of the group-by and aggregate `specs`, and each group's domain. */
export async function totalsMeta(
  context: ToolContext,
  model: string,
  specs: readonly string[],
  domains: unknown[][],
): Promise<Record<string, TotalsMeta>> {
  const names = [...new Set(specs.map((spec) => spec.split(":")[0] as string))];
  return { [TOTALS_META_KEY]: { fields: await viewFields(context, model, names), domains } };
}
