/** Argument shapes and checks the Odoo tools share. */
import { adaptProductDomain } from "@odoo-mcp/odoo-client";
import { z } from "zod";
import { domainProblem, domainTerms, SUBDOMAIN_OPERATORS } from "../odoo/domain.js";
import { type FieldInfo, secretFieldProblem } from "../odoo/fields.js";
import { type ToolContext, ToolRefusal } from "./types.js";

export const modelArg = z
  .string()
  .min(1)
  .max(128)
  .describe("Technical Odoo model name, e.g. res.partner (contacts), product.product, sale.order, stock.picking");

/**
 * Published schemas every model provider and client accepts: every array says what its items are
 * (OpenAI's function calling refuses "array schema missing items"), no `prefixItems` (tuples) and no
 * `propertyNames`, which strict validators and several providers do not know, and no `$ref`, which some
 * providers' converters do not follow. At run time the tools accept what `z.unknown()` accepts from JSON
 * and check what is inside (domains, x2many commands) with messages that say what to fix; a schema error
 * could not name the item at fault as clearly. Each branch of an `anyOf` carries a description: zod folds
 * an `anyOf` of bare types into a `type` array, which the MCP Inspector's portability lint reports.
 */
const SCALAR_TYPES = [
  { type: "string", description: "text" },
  { type: "number", description: "a number" },
  { type: "boolean", description: "true or false" },
  { type: "null", description: "null" },
];
const OBJECT_VALUE = { type: "object", description: "an object: nested values" };
/**
 * A list, three levels deep at most in the schema: ids, `in` values, x2many commands such as
 * [[0, 0, {values}]] or [[6, 0, [ids]]], a sub-domain of `any` with its terms. A fixed depth rather
 * than a recursive `$ref`, which not every provider follows; deeper lists still reach the server.
 */
const listOf = (description: string, depth: number): Record<string, unknown> => ({
  type: "array",
  description,
  items: {
    anyOf: [...SCALAR_TYPES, ...(depth > 1 ? [listOf("a list inside the list", depth - 1)] : []), OBJECT_VALUE],
  },
});
const JSON_VALUE_TYPES = [...SCALAR_TYPES, listOf("a list: ids, x2many commands, a sub-domain", 3), OBJECT_VALUE];

/** Any JSON value, published as the types it may have (an empty schema is "untyped" to the Inspector). */
export const jsonValue = z.unknown().meta({ anyOf: JSON_VALUE_TYPES });

/**
 * Field name → value, as create, update and call_method's keyword arguments take them: an object whose
 * properties are any JSON value (`additionalProperties`), the names checked here (`nameProblem`) rather
 * than by a `propertyNames` schema.
 */
export const jsonMap = (nameProblem: (name: string) => string | undefined) =>
  z
    .object({})
    .catchall(jsonValue)
    .superRefine((map, ctx) => {
      for (const name of Object.keys(map)) {
        const problem = nameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem });
      }
    });

/**
 * One domain item as published: an operator ("&", "|", "!") or a [field, operator, value] term, a
 * three-item list (no `prefixItems`: its items are described in turn). `domainProblem` refuses a
 * malformed item at run time, naming it ("Item 2 …").
 */
const domainItem = z.unknown().meta({
  anyOf: [
    {
      type: "string",
      enum: ["&", "|", "!"],
      description: '"&" (and), "|" (or) or "!" (not), before the terms it joins',
    },
    {
      type: "array",
      description:
        'A term: [field path, operator, value], e.g. ["country_id.code", "=", "ES"], ["id", "in", [1, 2]], ["active", "=", true]',
      items: { anyOf: [...SCALAR_TYPES, listOf("a list of values, or a sub-domain for any / not any", 3)] },
      minItems: 3,
      maxItems: 3,
    },
  ],
});

export const domainArg = z
  .array(domainItem)
  .max(200)
  .default([])
  .describe(
    'Odoo domain: a list of [field, operator, value] terms, ANDed unless prefixed by "|" (or) or "!" (not). ' +
      'Fields may follow relations with dots. Examples: [["customer_rank", ">", 0], ["active", "=", true]]; ' +
      '[["country_id.code", "=", "ES"]]; ["|", ["name", "ilike", "dell"], ["default_code", "ilike", "LAP"]]. ' +
      "Credential fields (passwords, API keys, tokens) cannot be searched on.",
  );

export const fieldsArg = z
  .array(z.string().min(1).max(128))
  .max(200)
  .optional()
  .describe(
    'Fields to return, e.g. ["name", "email", "country_id"]. Leave out for the usual fields (binary fields are left out unless named).',
  );

export const idsArg = z
  .union([z.number().int().positive(), z.array(z.number().int().positive()).min(1).max(1000)])
  .transform((value) => (Array.isArray(value) ? value : [value]))
  .describe("Record id, or a list of ids, e.g. 42 or [42, 43]");

export const pagingArgs = {
  limit: z.number().int().min(1).max(100_000).optional().describe("How many records at most (the server caps it)"),
  offset: z.number().int().min(0).max(10_000_000).default(0).describe("How many matching records to skip, for paging"),
  order: z
    .string()
    .regex(
      /^\s*[a-z_][a-z0-9_]*(\s+(asc|desc))?(\s*,\s*[a-z_][a-z0-9_]*(\s+(asc|desc))?)*\s*$/i,
      'Use "field asc" or "field desc", comma-separated',
    )
    .optional()
    .describe('Sort order, e.g. "name asc" or "date_order desc, id desc"'),
};

/** Refuses models the policy keeps out; returns the model's fields (credential fields left out). */
export async function checkedModel(context: ToolContext, model: string) {
  const refusal = context.policy.refusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  // Described first, so a model Odoo does not have is answered in Odoo's words.
  const fields = await context.fields.describe(model);
  const reserved = await context.guard?.refusal(model, "read");
  if (reserved) throw new ToolRefusal(reserved);
  return fields;
}

/**
 * Refuses models the tools may not change (ODOO_MODELS_WRITE_DENIED) before Odoo is asked anything, and
 * in service mode those Odoo lets only its administrators change.
 */
export async function writableModel(context: ToolContext, model: string) {
  const refusal = context.policy.writeRefusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  const fields = await context.fields.describe(model);
  const reserved = await context.guard?.refusal(model, "write");
  if (reserved) throw new ToolRefusal(reserved);
  return fields;
}

/**
 * Service mode: the records about to be changed or acted on must not be Odoo users' contacts. Odoo lets
 * only a user (or an administrator) change their own contact, whose e-mail password resets go to; the
 * service account would change it for anyone.
 */
export async function checkedTargets(context: ToolContext, model: string, ids: readonly number[]): Promise<void> {
  if (model !== "res.partner" || !context.guard) return;
  const refusal = await context.guard.userContactsRefusal(ids);
  if (refusal) throw new ToolRefusal(refusal);
}

/**
 * Refuses credential fields among `names` (paths, or specs such as "date_order:month desc"); synchronous,
 * so a tool calls it before anything that asks Odoo for field lists.
 */
export function refuseSecrets(where: string, names: readonly string[] | undefined): void {
  for (const name of names ?? []) {
    const secret = secretFieldProblem(name.trim().split(/[\s:]/)[0] as string);
    if (secret) throw new ToolRefusal(`${where}: ${secret}`);
  }
}

/** The field names of a sort order such as "date_order desc, id desc". */
export const orderFields = (order: string | undefined): string[] =>
  (order ?? "")
    .split(",")
    .map((term) => term.trim().split(/[\s:]/)[0] ?? "")
    .filter(Boolean);

/** A field path has at most this many segments ("partner_id.country_id.code" has three). */
const MAX_PATH_SEGMENTS = 5;
/** What may follow a date or datetime in a path (Odoo 18's date parts); nothing else follows a non-relation. */
const DATE_PARTS = new Set([
  "year_number",
  "quarter_number",
  "month_number",
  "iso_week_number",
  "day_of_week",
  "day_of_month",
  "day_of_year",
  "hour_number",
  "minute_number",
  "second_number",
]);

export interface PathEnd {
  /** The model the last field belongs to. */
  model: string;
  name: string;
  info: FieldInfo;
}

/**
 * Walks a dotted field path from `model`, hop by hop: no segment is a credential field, each field
 * exists on its model, each hop is a relation, and the policy lets the tools use each model reached.
 * `where` starts each refusal ("Item 0", "Field", "Group-by").
 */
export async function checkedPath(context: ToolContext, model: string, path: string, where: string): Promise<PathEnd> {
  const refusal = context.policy.refusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  const secret = secretFieldProblem(path);
  if (secret) throw new ToolRefusal(`${where}: ${secret}`);
  const segments = path.split(".");
  if (segments.length > MAX_PATH_SEGMENTS || segments.some((segment) => segment === ""))
    throw new ToolRefusal(
      `${where}: "${path}" is not a usable field path; use at most ${MAX_PATH_SEGMENTS} field names joined by dots, e.g. "partner_id.country_id.code".`,
    );
  let current = model;
  for (const [position, name] of segments.entries()) {
    const fields = await context.fields.describe(current);
    const info = fields[name];
    if (!info)
      throw new ToolRefusal(
        `${where}: ${current} has no field "${name}"${position > 0 ? ` (in "${path}")` : ""}. Use odoo_get_model_fields to see its fields.`,
      );
    if (position === segments.length - 1) return { model: current, name, info };
    if (!info.relation) {
      const next = segments[position + 1] as string;
      const datePart = (info.type === "date" || info.type === "datetime") && DATE_PARTS.has(next);
      const property = info.type === "properties";
      if ((datePart || property) && position + 1 === segments.length - 1) return { model: current, name, info };
      throw new ToolRefusal(
        `${where}: ${current}.${name} is a ${info.type} field, not a relation, so "${path}" cannot go on past it.`,
      );
    }
    const refusal = context.policy.refusal(info.relation) ?? (await context.guard?.refusal(info.relation, "read"));
    if (refusal)
      throw new ToolRefusal(`${where}: "${path}" goes through ${current}.${name} to ${info.relation}. ${refusal}`);
    current = info.relation;
  }
  throw new ToolRefusal(`${where}: "${path}" is not a field path.`); // unreachable: split gives a segment
}

/**
 * The domain in this Odoo's own terms (product type across 18.0), checked against the models' fields:
 * its shape and credential fields before Odoo is asked anything, then every hop of every path and the
 * sub-domains of `any` / `not any` on the models they reach.
 */
export async function checkedDomain(context: ToolContext, model: string, domain: unknown[]): Promise<unknown[]> {
  const refusal = context.policy.refusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  const problem = domainProblem(domain);
  if (problem) throw new ToolRefusal(`Invalid domain: ${problem}`);
  await checkedModel(context, model);
  const adapted = adaptProductDomain(await context.odoo.server(), model, domain);
  context.adaptations.push(...adapted.notes);
  await checkedTerms(context, model, adapted.value, "Invalid domain: ");
  return adapted.value;
}

async function checkedTerms(context: ToolContext, model: string, domain: unknown[], prefix: string): Promise<void> {
  for (const term of domainTerms(domain)) {
    const end = await checkedPath(context, model, term.path, `${prefix}Item ${term.index}`);
    if (!SUBDOMAIN_OPERATORS.has(term.operator)) continue;
    if (!end.info.relation)
      throw new ToolRefusal(
        `${prefix}Item ${term.index}: "${term.operator}" needs a relational field, and ${end.model}.${end.name} is a ${end.info.type} field.`,
      );
    const refusal =
      context.policy.refusal(end.info.relation) ?? (await context.guard?.refusal(end.info.relation, "read"));
    if (refusal)
      throw new ToolRefusal(
        `${prefix}Item ${term.index}: "${term.operator}" searches ${end.info.relation} through ${end.model}.${end.name}. ${refusal}`,
      );
    await checkedTerms(
      context,
      end.info.relation,
      term.value as unknown[],
      `${prefix}Item ${term.index}, in its sub-domain on ${end.info.relation}: `,
    );
  }
}

/** The fields to read: the usual ones when none are named, else the named ones, each checked. */
export async function checkedFields(
  context: ToolContext,
  model: string,
  requested: string[] | undefined,
  where = "Field",
): Promise<string[]> {
  const refusal = context.policy.refusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  refuseSecrets(where, requested);
  const fields = await checkedModel(context, model);
  if (!requested || requested.length === 0) return context.fields.defaultFields(model);
  for (const path of requested.filter((name) => name.includes("."))) {
    const end = await checkedPath(context, model, path, where);
    const head = path.split(".")[0] as string;
    throw new ToolRefusal(
      `${where}: "${path}" follows relations, and a read returns ${model}'s own fields only: read "${head}", ` +
        `then the related records' fields (${end.model}.${end.name} at the end) with odoo_read_records.`,
    );
  }
  const unknown = requested.filter((name) => !(name in fields));
  if (unknown.length > 0) {
    throw new ToolRefusal(
      `${model} has no field ${unknown.map((name) => `"${name}"`).join(", ")}. Use odoo_get_model_fields to see its fields.`,
    );
  }
  return requested;
}

/** A sort order ("date_order desc, id desc") naming only fields of the model, none of them a credential. */
export async function checkedOrder(context: ToolContext, model: string, order: string | undefined): Promise<void> {
  const names = orderFields(order);
  refuseSecrets("Order", names);
  for (const name of names) await checkedPath(context, model, name, "Order");
}

/** The limit to send: never 0 (odoo-await and Odoo read 0 as "no limit"), never above the server's cap. */
export function clampLimit(context: ToolContext, requested: number | undefined): { limit: number; note?: string } {
  const wanted = requested ?? context.limits.defaultLimit;
  if (wanted <= context.limits.maxRecords) return { limit: Math.max(1, wanted) };
  return {
    limit: context.limits.maxRecords,
    note: `limit reduced to ${context.limits.maxRecords}, this server's maximum per call; page with offset`,
  };
}

export const contextArg = z
  .object({
    lang: z.string().max(16).optional().describe("Language of translated values, e.g. es_ES"),
    tz: z.string().max(64).optional().describe("Time zone, e.g. Europe/Madrid"),
    allowed_company_ids: z
      .array(z.number().int().positive())
      .min(1)
      .max(50)
      .optional()
      .describe("Companies to act in; the first is the current one"),
  })
  .strict()
  .optional()
  .describe("Odoo context for this call (multi-company users: allowed_company_ids)");

/** The `context` keyword for an Odoo call: the operator's default, then what the call asks for. */
export function odooContext(
  context: ToolContext,
  requested: z.output<typeof contextArg>,
): { context?: Record<string, unknown> } {
  const merged = { ...context.defaultContext, ...requested };
  return Object.keys(merged).length > 0 ? { context: merged } : {};
}
