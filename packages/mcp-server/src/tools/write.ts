/** Tools that change Odoo (scope odoo:write). Never retried automatically. */
import { adaptProductValues, adaptStockMoveValues } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import type { ChangeOutcome, UnfinishedAction } from "@odoo-mcp/views";
import { z } from "zod";
import { type FieldInfo, secretFieldProblem } from "../odoo/fields.js";
import {
  checkedTargets,
  contextArg,
  idsArg,
  jsonMap,
  jsonValue,
  modelArg,
  odooContext,
  writableModel,
} from "./common.js";
import { awaitsConfirmation, confirmTool, pendingChange } from "./confirm.js";
import { defineTool, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

const valuesArg = jsonMap((name) =>
  name.length === 0 || name.length > 128 ? "a field name is 1 to 128 characters long" : undefined,
)
  .refine((values) => Object.keys(values).length > 0, "give at least one field")
  .describe(
    'Field values, e.g. {"name": "Laptop Dell", "list_price": 899, "default_code": "LAP-DELL-001"}. Many2one fields take an id; ' +
      "one2many/many2many take Odoo commands such as [[0, 0, {...}]] (create a line) or [[6, 0, [ids]]] (set), " +
      "checked like the record's own values. Credential fields (passwords, API keys, tokens) cannot be set.",
  );

/** x2many commands nest values at most this deep (an order's lines are one level). */
const MAX_NESTING = 3;

const COMMANDS =
  "use [0, 0, {values}] (create), [1, id, {values}] (update), [2, id] (delete), [3, id] (unlink), " +
  "[4, id] (link), [5] (unlink all) or [6, 0, [ids]] (replace)";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isId = (value: unknown) => typeof value === "number" && Number.isInteger(value) && value > 0;

/**
 * Before Odoo is asked anything: no credential field among the values, at any nesting level of x2many
 * commands, and no deeper nesting than MAX_NESTING.
 */
function secretOrDeep(values: Record<string, unknown>, at: string, depth: number): string | undefined {
  for (const [name, value] of Object.entries(values)) {
    const where = `${at}${name}`;
    const secret = secretFieldProblem(name);
    if (secret) return `Values "${where}": ${secret}`;
    if (!Array.isArray(value)) continue;
    for (const [index, command] of value.entries()) {
      if (!Array.isArray(command) || !isRecord(command[2])) continue;
      if (depth + 1 > MAX_NESTING)
        return `Values "${where}[${index}]": x2many commands nest at most ${MAX_NESTING} levels deep; create the deeper records with another call.`;
      const inner = secretOrDeep(command[2], `${where}[${index}].`, depth + 1);
      if (inner) return inner;
    }
  }
  return undefined;
}

/**
 * Each value checked against its model's fields, recursively through x2many commands: the field
 * exists and is not binary; an x2many's comodel may be changed through this server (whatever the
 * command: creating, updating, linking or replacing its records), and each command is well formed.
 */
async function checkedNested(
  context: ToolContext,
  model: string,
  fields: Record<string, FieldInfo>,
  values: Record<string, unknown>,
  at: string,
  depth: number,
): Promise<void> {
  const within = at ? `In "${at.slice(0, -1)}", ` : "";
  const unknown = Object.keys(values).filter((name) => !(name in fields));
  if (unknown.length > 0) {
    throw new ToolRefusal(
      `${within}${model} has no field ${unknown.map((name) => `"${name}"`).join(", ")}. Use odoo_get_model_fields to see its fields.`,
    );
  }
  const binary = Object.keys(values).filter((name) => fields[name]?.type === "binary");
  if (binary.length > 0)
    throw new ToolRefusal(
      `${within ? `${within}binary` : "Binary"} fields (${binary.join(", ")}) cannot be set through this server.`,
    );
  for (const [name, value] of Object.entries(values)) {
    const info = fields[name] as FieldInfo;
    if (info.type !== "one2many" && info.type !== "many2many") continue;
    const where = `${at}${name}`;
    const comodel = info.relation ?? "";
    const refusal = context.policy.writeRefusal(comodel) ?? (await context.guard?.refusal(comodel, "write"));
    if (refusal)
      throw new ToolRefusal(
        `Values "${where}": ${model}.${name} holds ${comodel} records, so leave it out of the values. ${refusal}`,
      );
    if (value === false || value === null) continue;
    if (!Array.isArray(value)) throw new ToolRefusal(`Values "${where}": give a list of commands; ${COMMANDS}.`);
    if (value.every(isId)) continue; // a plain id list is [6, 0, ids]
    let comodelFields: Record<string, FieldInfo> | undefined;
    for (const [index, command] of value.entries()) {
      const bad = () =>
        new ToolRefusal(
          `Values "${where}[${index}]": ${JSON.stringify(command)} is not an x2many command; ${COMMANDS}.`,
        );
      if (!Array.isArray(command) || command.length === 0 || command.length > 3) throw bad();
      const [code, id, payload] = command as [unknown, unknown, unknown];
      switch (code) {
        case 0:
        case 1: {
          if ((code === 1 && !isId(id)) || !isRecord(payload)) throw bad();
          if (code === 1) await checkedTargets(context, comodel, [id as number]);
          comodelFields ??= await context.fields.describe(comodel);
          await checkedNested(context, comodel, comodelFields, payload, `${where}[${index}].`, depth + 1);
          break;
        }
        case 2:
        case 3:
        case 4:
          if (!isId(id)) throw bad();
          if (code === 2) await checkedTargets(context, comodel, [id as number]);
          break;
        case 5:
          break;
        case 6:
          if (!Array.isArray(payload) || !payload.every(isId)) throw bad();
          break;
        default:
          throw bad();
      }
    }
  }
}

/**
 * The values in this Odoo's own terms (product type across 18.0, stock moves across 19.0), then
 * checked: unknown fields are refused, naming the fields that exist, rather than left to Odoo; nested
 * x2many commands are checked the same way on their comodels. Model and credential refusals come
 * before any call to Odoo.
 */
async function checkedValues(context: ToolContext, model: string, given: Record<string, unknown>) {
  const refusal = context.policy.writeRefusal(model);
  if (refusal) throw new ToolRefusal(refusal);
  const early = secretOrDeep(given, "", 0);
  if (early) throw new ToolRefusal(early);
  const fields = await writableModel(context, model);
  const product = adaptProductValues(await context.odoo.server(), model, given);
  const moves = await adaptStockMoveValues(context.odoo, model, product.value);
  context.adaptations.push(...product.notes, ...moves.notes);
  const values = moves.value;
  await checkedNested(context, model, fields, values, "", 0);
  return values;
}

const createRecord = defineTool({
  name: "odoo_create_record",
  title: "Create an Odoo record",
  description:
    'Create one record, e.g. a product: model "product.template", values {"name": "Laptop Dell", "list_price": 899, "default_code": "LAP-DELL-001"}. Returns the new id and its display name. ' +
    "Users, groups, companies, settings and other security-sensitive models can be read but not created or changed here.",
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
    'Change field values of one or more records, e.g. model "res.partner", ids [42], values {"phone": "+34 600 000 000"}. Overwrites the given fields. ' +
    "Users, groups, companies, settings and other security-sensitive models cannot be changed here.",
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: z.object({ model: modelArg, ids: idsArg, values: valuesArg, context: contextArg }),
  async run(context, { model, ids, values, context: callContext }) {
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Update at most ${context.limits.maxRecords} records per call.`);
    const checked = await checkedValues(context, model, values);
    await checkedTargets(context, model, ids);
    await context.odoo.executeKw(model, "write", [ids, checked], odooContext(context, callContext));
    return { model, ids, updated: true, fields: Object.keys(checked) };
  },
});

const deleteRecord = defineTool({
  name: "odoo_delete_record",
  title: "Delete Odoo records",
  description:
    "Delete records for good (archiving, by setting active to false with odoo_update_record, can be undone; this cannot). " +
    "Records of security-sensitive models (users, groups, companies, settings) cannot be deleted here.",
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  view: "confirm",
  input: z.object({ model: modelArg, ids: idsArg, context: contextArg }),
  async run(context, { model, ids, context: callContext }) {
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Delete at most ${context.limits.maxRecords} records per call.`);
    await writableModel(context, model);
    await checkedTargets(context, model, ids);
    if (awaitsConfirmation(context))
      return pendingChange(
        context,
        { tool: "odoo_delete_record", args: { model, ids, context: callContext } },
        { action: "delete", model, ids },
      );
    await context.odoo.executeKw(model, "unlink", [ids], odooContext(context, callContext));
    return { model, ids, deleted: true } satisfies ChangeOutcome;
  },
});

/** What the operator lets odoo_call_method run on `model`, for a refusal that says what is possible. */
function allowedOn(context: ToolContext, model: string): string {
  const methods = [...context.allowedMethods]
    .filter((entry) => entry.startsWith(`${model}:`))
    .map((entry) => entry.slice(model.length + 1));
  return methods.length > 0 ? `Allowed on ${model}: ${methods.join(", ")}.` : `No method is allowed on ${model}.`;
}

/** An action in answer to a button means Odoo wants a person to go on in its web client (a wizard). */
function unfinishedAction(result: unknown): UnfinishedAction | undefined {
  if (!result || typeof result !== "object" || Array.isArray(result)) return undefined;
  const action = result as { type?: unknown; res_model?: unknown; name?: unknown };
  if (typeof action.type !== "string" || !action.type.startsWith("ir.actions.")) return undefined;
  return {
    type: action.type,
    ...(typeof action.res_model === "string" && { model: action.res_model }),
    ...(typeof action.name === "string" && { name: action.name }),
  };
}

/** The model's words for an unfinished button: say so instead of pretending it is done. */
const unfinishedNote = ({ type, model, name }: UnfinishedAction) =>
  `Not finished: Odoo answered with an action (${type}${model ? ` on ${model}` : ""}${name ? `, “${name}”` : ""}) ` +
  "that needs a person in Odoo's web client; the records did not move on.";

const callMethod = defineTool({
  name: "odoo_call_method",
  title: "Run an Odoo workflow action",
  description:
    "Press a workflow button on records, as in Odoo's web client: confirm a quotation (sale.order action_confirm), " +
    "confirm then validate a transfer (stock.picking action_confirm, button_validate), cancel (action_cancel). " +
    "Only the public methods the operator allows; returns Odoo's answer and the records' new state.",
  scope: SCOPES.write,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  view: "confirm",
  input: z.object({
    model: modelArg,
    method: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, "A public method name: lower case, never starting with _")
      .max(128)
      .describe("Method to run, e.g. action_confirm, button_validate, action_cancel"),
    ids: idsArg,
    args: z.array(jsonValue).max(20).default([]).describe("More positional arguments after the ids, rarely needed"),
    kwargs: jsonMap((name) =>
      /^[a-z][a-z0-9_]*$/.test(name) ? undefined : "a keyword argument's name is lower case letters, digits and _",
    )
      .refine((kwargs) => !("context" in kwargs), "Give the context with the context argument")
      .default({})
      .describe("Keyword arguments, rarely needed"),
    context: contextArg,
  }),
  async run(context, { model, method, ids, args, kwargs, context: callContext }) {
    const fields = await writableModel(context, model);
    if (!context.allowedMethods.has(`${model}:${method}`)) {
      throw new ToolRefusal(
        `${model}.${method} is not allowed through this server. ${allowedOn(context, model)} The operator can allow more with ODOO_METHODS_ALLOWED.`,
      );
    }
    if (ids.length > context.limits.maxRecords)
      throw new ToolRefusal(`Run ${method} on at most ${context.limits.maxRecords} records per call.`);
    await checkedTargets(context, model, ids);
    if (awaitsConfirmation(context))
      return pendingChange(
        context,
        { tool: "odoo_call_method", args: { model, method, ids, args, kwargs, context: callContext } },
        { action: "call_method", model, ids, method },
      );
    const odooKwargs = { ...kwargs, ...odooContext(context, callContext) };
    const result = await context.odoo.executeKw(model, method, [ids, ...args], odooKwargs);
    const unfinished = unfinishedAction(result);
    const stateField = fields.state;
    const states = stateField
      ? (
          (await context.odoo.executeKw(model, "read", [ids, ["state"]], odooContext(context, callContext))) as {
            id: number;
            state: unknown;
          }[]
        ).map(({ id, state }) => {
          const label = stateField.selection?.find(([value]) => value === state)?.[1];
          return { id, state, ...(label && { label }) };
        })
      : undefined;
    return {
      model,
      method,
      ids,
      result: result ?? null,
      ...(states && { states }),
      ...(unfinished && { unfinished, note: unfinishedNote(unfinished) }),
    } satisfies ChangeOutcome;
  },
});

export const writeTools: ToolDefinition[] = [
  createRecord,
  updateRecord,
  deleteRecord,
  callMethod,
  confirmTool([deleteRecord, callMethod]),
];
