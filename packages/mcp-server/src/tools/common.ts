/** Argument shapes and checks the Odoo tools share. */
import { adaptProductDomain } from "@odoo-mcp/odoo-client";
import { z } from "zod";
import { domainProblem } from "../odoo/domain.js";
import { type ToolContext, ToolRefusal } from "./types.js";

export const modelArg = z
  .string()
  .min(1)
  .max(128)
  .describe("Technical Odoo model name, e.g. res.partner (contacts), product.product, sale.order, stock.picking");

export const domainArg = z
  .array(z.unknown())
  .max(200)
  .default([])
  .describe(
    'Odoo domain: a list of [field, operator, value] terms, ANDed unless prefixed by "|" (or) or "!" (not). ' +
      'Fields may follow relations with dots. Examples: [["customer_rank", ">", 0], ["active", "=", true]]; ' +
      '[["country_id.code", "=", "ES"]]; ["|", ["name", "ilike", "dell"], ["default_code", "ilike", "LAP"]]',
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

/** Refuses models the policy keeps out; returns the model's fields. */
export async function checkedModel(context: ToolContext, model: string) {
  const refusal = context.policy.refusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  return context.fields.describe(model);
}

/** The domain in this Odoo's own terms (product type across 18.0), checked against the model's fields. */
export async function checkedDomain(context: ToolContext, model: string, domain: unknown[]): Promise<unknown[]> {
  const fields = await checkedModel(context, model);
  const adapted = adaptProductDomain(await context.odoo.server(), model, domain);
  context.adaptations.push(...adapted.notes);
  const problem = domainProblem(adapted.value, new Set(Object.keys(fields)), model);
  if (problem) throw new ToolRefusal(`Invalid domain: ${problem}`);
  return adapted.value;
}

export async function checkedFields(
  context: ToolContext,
  model: string,
  requested: string[] | undefined,
): Promise<string[]> {
  const fields = await checkedModel(context, model);
  if (!requested || requested.length === 0) return context.fields.defaultFields(model);
  const unknown = requested.filter((name) => !(name in fields));
  if (unknown.length > 0) {
    throw new ToolRefusal(
      `${model} has no field ${unknown.map((name) => `"${name}"`).join(", ")}. Use odoo_get_model_fields to see its fields.`,
    );
  }
  return requested;
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
