/** Tools that change Odoo (scope odoo:write). Never retried automatically. */
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import { checkedModel, idsArg, modelArg } from "./common.js";
import { defineTool, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

const valuesArg = z
  .record(z.string().min(1).max(128), z.unknown())
  .refine((values) => Object.keys(values).length > 0, "give at least one field")
  .describe(
    'Field values, e.g. {"name": "Laptop Dell", "list_price": 899, "default_code": "LAP-DELL-001"}. Many2one fields take an id; ' +
      "one2many/many2many take Odoo commands such as [[0, 0, {...}]] (create a line) or [[6, 0, [ids]]] (set).",
  );

/** Odoo silently drops unknown fields on create: refuse them instead, naming the fields that exist. */
async function checkedValues(context: ToolContext, model: string, values: Record<string, unknown>) {
  const fields = await checkedModel(context, model);
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
  input: z.object({ model: modelArg, values: valuesArg }),
  async run(context, { model, values }) {
    const checked = await checkedValues(context, model, values);
    const id = (await context.odoo.executeKw(model, "create", [checked])) as number;
    const [record] = (await context.odoo.executeKw(model, "read", [[id], ["display_name"]])) as {
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
  input: z.object({ model: modelArg, ids: idsArg, values: valuesArg }),
  async run(context, { model, ids, values }) {
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Update at most ${context.limits.maxRecords} records per call.`);
    const checked = await checkedValues(context, model, values);
    await context.odoo.executeKw(model, "write", [ids, checked]);
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
  input: z.object({ model: modelArg, ids: idsArg }),
  async run(context, { model, ids }) {
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Delete at most ${context.limits.maxRecords} records per call.`);
    await checkedModel(context, model);
    await context.odoo.executeKw(model, "unlink", [ids]);
    return { model, ids, deleted: true };
  },
});

export const writeTools: ToolDefinition[] = [createRecord, updateRecord, deleteRecord];
