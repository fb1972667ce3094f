/** Tools that change Odoo (scope odoo:write). Never retried automatically. */
import { adaptProductValues, adaptStockMoveValues } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import { checkedModel, contextArg, idsArg, modelArg, odooContext } from "./common.js";
import { defineTool, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

const valuesArg = z
  .record(z.string().min(1).max(128), z.unknown())
  .refine((values) => Object.keys(values).length > 0, "give at least one field")
  .describe(
    'Field values, e.g. {"name": "Laptop Dell", "list_price": 899, "default_code": "LAP-DELL-001"}. Many2one fields take an id; ' +
      "one2many/many2many take Odoo commands such as [[0, 0, {...}]] (create a line) or [[6, 0, [ids]]] (set).",
  );

/**
 * The values in this Odoo's own terms (product type across 18.0, stock moves across 19.0), then
 * checked: unknown fields are refused, naming the fields that exist, rather than left to Odoo.
 */
async function checkedValues(context: ToolContext, model: string, given: Record<string, unknown>) {
  const fields = await checkedModel(context, model);
  const product = adaptProductValues(await context.odoo.server(), model, given);
  const moves = await adaptStockMoveValues(context.odoo, model, product.value);
  context.adaptations.push(...product.notes, ...moves.notes);
  const values = moves.value;
  const unknown = Object.keys(values).filter((name) => !(name in fields));
  if (unknown.length > 0) {
    throw new ToolRefusal(
      `${model} has no field ${unknown.map((name) => `"${name}"`).join(", ")}. Use odoo_get_model_fields to see its fields.`,
    );
  }
  const binary = Object.keys(values).filter((name) => fields[name]?.type === "binary");
  if (binary.length > 0)
    throw new ToolRefusal(`Binary fields (${binary.join(", ")}) cannot be set through this server.`);
  return values;
}

const createRecord = defineTool({
  name: "odoo_create_record",
  title: "Create an Odoo record",
  description:
    'Create one record, e.g. a product: model "product.template", values {"name": "Laptop Dell", "list_price": 899, "default_code": "LAP-DELL-001"}. Returns the new id and its display name.',
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  input: z.object({ model: modelArg, values: valuesArg, context: contextArg }),
  async run(context, { model, values, context: callContext }) {
    const checked = await checkedValues(context, model, values);
    const kwargs = odooContext(context, callContext);
    const id = (await context.odoo.executeKw(model, "create", [checked], kwargs)) as number;
    const [record] = (await context.odoo.executeKw(model, "read", [[id], ["display_name"]], kwargs)) as {
      display_name: string;
    }[];
    return { model, id, display_name: record?.display_name ?? null, created: true };
  },
});

const updateRecord = defineTool({
  name: "odoo_update_record",
  title: "Update Odoo records",
  description:
    'Change field values of one or more records, e.g. model "res.partner", ids [42], values {"phone": "+34 600 000 000"}. Overwrites the given fields.',
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ model: modelArg, ids: idsArg, values: valuesArg, context: contextArg }),
  async run(context, { model, ids, values, context: callContext }) {
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Update at most ${context.limits.maxRecords} records per call.`);
    const checked = await checkedValues(context, model, values);
    await context.odoo.executeKw(model, "write", [ids, checked], odooContext(context, callContext));
    return { model, ids, updated: true, fields: Object.keys(checked) };
  },
});

const deleteRecord = defineTool({
  name: "odoo_delete_record",
  title: "Delete Odoo records",
  description:
    "Delete records for good (archiving, by setting active to false with odoo_update_record, can be undone; this cannot).",
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ model: modelArg, ids: idsArg, context: contextArg }),
  async run(context, { model, ids, context: callContext }) {
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Delete at most ${context.limits.maxRecords} records per call.`);
    await checkedModel(context, model);
    await context.odoo.executeKw(model, "unlink", [ids], odooContext(context, callContext));
    return { model, ids, deleted: true };
  },
});

/** What the operator lets odoo_call_method run on `model`, for a refusal that says what is possible. */
function allowedOn(context: ToolContext, model: string): string {
  const methods = [...context.allowedMethods]
    .filter((entry) => entry.startsWith(`${model}:`))
    .map((entry) => entry.slice(model.length + 1));
  return methods.length > 0 ? `Allowed on ${model}: ${methods.join(", ")}.` : `No method is allowed on ${model}.`;
}

/** A window action means Odoo wants a person to fill in a wizard: say so instead of pretending it is done. */
function wizardNote(result: unknown): string | undefined {
  if (!result || typeof result !== "object" || Array.isArray(result)) return undefined;
  const action = result as { type?: unknown; res_model?: unknown };
  if (typeof action.type !== "string" || !action.type.startsWith("ir.actions.")) return undefined;
  return `Odoo answered with an action (${action.type}${typeof action.res_model === "string" ? ` on ${action.res_model}` : ""}) that needs a person in Odoo's web client; it is not finished.`;
}

const callMethod = defineTool({
  name: "odoo_call_method",
  title: "Run an Odoo workflow action",
  description:
    "Press a workflow button on records, as in Odoo's web client: confirm a quotation (sale.order action_confirm), " +
    "confirm then validate a transfer (stock.picking action_confirm, button_validate), cancel (action_cancel). " +
    "Only the public methods the operator allows; returns Odoo's answer and the records' new state.",
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: z.object({
    model: modelArg,
    method: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "A public method name: lower case, never starting with _")
      .max(128)
      .describe("Method to run, e.g. action_confirm, button_validate, action_cancel"),
    ids: idsArg,
    args: z.array(z.unknown()).max(20).default([]).describe("More positional arguments after the ids, rarely needed"),
    kwargs: z
      .record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.unknown())
      .refine((kwargs) => !("context" in kwargs), "Give the context with the context argument")
      .default({})
      .describe("Keyword arguments, rarely needed"),
    context: contextArg,
  }),
  async run(context, { model, method, ids, args, kwargs, context: callContext }) {
    const fields = await checkedModel(context, model);
    if (!context.allowedMethods.has(`${model}:${method}`)) {
      throw new ToolRefusal(
        `${model}.${method} is not allowed through this server. ${allowedOn(context, model)} The operator can allow more with ODOO_METHODS_ALLOWED.`,
      );
    }
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Run ${method} on at most ${context.limits.maxRecords} records per call.`);
    const odooKwargs = { ...kwargs, ...odooContext(context, callContext) };
    const result = await context.odoo.executeKw(model, method, [ids, ...args], odooKwargs);
    const note = wizardNote(result);
    const states =
      "state" in fields
        ? ((await context.odoo.executeKw(model, "read", [ids, ["state"]], odooContext(context, callContext))) as {
            id: number;
            state: unknown;
          }[])
        : undefined;
    return { model, method, ids, result: result ?? null, ...(states ? { states } : {}), ...(note ? { note } : {}) };
  },
});

export const writeTools: ToolDefinition[] = [createRecord, updateRecord, deleteRecord, callMethod];
