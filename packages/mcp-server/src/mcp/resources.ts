/**
 * MCP resources: an Odoo record (`odoo://{model}/{id}`) and a model's description (`odoo://{model}`),
 * read with the caller's Odoo rights and the same model policy and credential-field rules as the tools.
 */
import type { ReadResourceResult, Resource, ResourceTemplate } from "@modelcontextprotocol/sdk/types.js";
import { OdooError } from "@odoo-mcp/odoo-client";
import type { FieldInfo } from "../odoo/fields.js";
import { checkedModel, odooContext } from "../tools/common.js";
import { type ToolContext, ToolRefusal } from "../tools/types.js";

const MIME = "application/json";
export const RECORD_TEMPLATE = "odoo://{model}/{id}";
export const MODEL_TEMPLATE = "odoo://{model}";

export const RESOURCE_TEMPLATES: ResourceTemplate[] = [
  {
    uriTemplate: RECORD_TEMPLATE,
    name: "odoo-record",
    title: "Odoo record",
    description:
      "One record as JSON, read with your Odoo rights: its usual fields, many2one and many2many as [id, name], " +
      "binary fields (files, images) left out, credential fields never. E.g. odoo://res.partner/42.",
    mimeType: MIME,
  },
  {
    uriTemplate: MODEL_TEMPLATE,
    name: "odoo-model",
    title: "Odoo model description",
    description:
      "A model's fields as JSON (type, label, required, read-only, related model, selection values), e.g. odoo://sale.order.",
    mimeType: MIME,
  },
];

/** The models people ask about most, in the order a person meets them. */
export const COMMON_MODELS: readonly { model: string; title: string }[] = [
  { model: "res.partner", title: "Contacts" },
  { model: "product.product", title: "Products" },
  { model: "product.template", title: "Product templates" },
  { model: "sale.order", title: "Sales orders" },
  { model: "stock.quant", title: "Stock on hand" },
  { model: "stock.picking", title: "Transfers" },
  { model: "stock.location", title: "Stock locations" },
  { model: "account.move", title: "Invoices and journal entries" },
];

/** The common models' descriptions the policy lets this server show; no records (there are too many). */
export async function listResources(context: ToolContext): Promise<Resource[]> {
  return COMMON_MODELS.filter(({ model }) => !context.policy.refusal(model)).map(({ model, title }) => ({
    uri: `odoo://${model}`,
    name: model,
    title: `${title} (${model})`,
    description: `The fields of ${model}: read it before searching or writing ${title.toLowerCase()}.`,
    mimeType: MIME,
  }));
}

/** A resource this server does not have or will not show; carries the URI the client asked for. */
export class ResourceNotFound extends Error {
  override name = "ResourceNotFound";

  constructor(
    readonly uri: string,
    message: string,
  ) {
    super(message);
  }
}

/** Odoo ids are PostgreSQL `integer`s: anything larger names no record. */
const MAX_ID = 2_147_483_647;
/** A many2many shows at most this many [id, name] pairs; the rest are counted. */
const MAX_NAMED = 100;

/** `odoo://model` or `odoo://model/id`, nothing else (no query, fragment, trailing slash or zero id). */
function parseUri(uri: string): { model: string; id?: number } {
  const match = /^odoo:\/\/([a-z][a-z0-9_.]*)(?:\/([1-9][0-9]{0,9}))?$/.exec(uri);
  const id = match?.[2] === undefined ? undefined : Number(match[2]);
  if (!match || (id !== undefined && id > MAX_ID))
    throw new ResourceNotFound(
      uri,
      `"${uri}" is not an Odoo resource: use odoo://<model> or odoo://<model>/<id>, e.g. odoo://res.partner/42.`,
    );
  return { model: match[1] as string, ...(id === undefined ? {} : { id }) };
}

export async function readResource(context: ToolContext, uri: string): Promise<ReadResourceResult> {
  const { model, id } = parseUri(uri);
  let fields: Record<string, FieldInfo>;
  try {
    fields = await checkedModel(context, model);
  } catch (error) {
    if (error instanceof ToolRefusal) throw new ResourceNotFound(uri, error.message);
    throw error;
  }
  const body = id === undefined ? { model, fields } : await readRecord(context, uri, model, id, fields);
  return { contents: [{ uri, mimeType: MIME, text: JSON.stringify(body, null, 1) }] };
}

async function readRecord(
  context: ToolContext,
  uri: string,
  model: string,
  id: number,
  fields: Record<string, FieldInfo>,
): Promise<Record<string, unknown>> {
  // The usual fields: stored, no binary, no one2many, no mail plumbing, no credential (the catalog has none).
  const names = await context.fields.defaultFields(model);
  const missing = () => new ResourceNotFound(uri, `${model} has no record ${id} (or it was deleted).`);
  let record: Record<string, unknown> | undefined;
  try {
    [record] = (await context.odoo.executeKw(model, "read", [[id], names], odooContext(context, undefined))) as Record<
      string,
      unknown
    >[];
  } catch (error) {
    if (error instanceof OdooError && error.kind === "missing") throw missing();
    throw error;
  }
  if (!record) throw missing();
  for (const [name, info] of Object.entries(fields)) {
    if (info.type === "many2many" && Array.isArray(record[name]))
      record[name] = await namedIds(context, info.relation as string, record[name] as number[]);
  }
  return record;
}

/**
 * A many2many's ids as [id, name] pairs, as a many2one reads, with the caller's rights; ids stay ids
 * when the policy keeps the related model out (its names are not this server's to show).
 */
async function namedIds(context: ToolContext, comodel: string, ids: number[]): Promise<unknown[]> {
  if (ids.length === 0 || context.policy.refusal(comodel)) return ids;
  const shown = ids.slice(0, MAX_NAMED);
  const rows = (await context.odoo.executeKw(
    comodel,
    "read",
    [shown, ["display_name"]],
    odooContext(context, undefined),
  )) as {
    id: number;
    display_name: string;
  }[];
  const names = new Map(rows.map((row) => [row.id, row.display_name]));
  const pairs: unknown[] = shown.map((id) => [id, names.get(id) ?? null]);
  return ids.length > shown.length ? [...pairs, `… and ${ids.length - shown.length} more`] : pairs;
}
