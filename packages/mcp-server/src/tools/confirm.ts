/**
 * Changes a person confirms in a view (MCP Apps' Confirm view, ui://odoo/confirm). For a client that
 * renders views, odoo_delete_record and odoo_call_method check everything as usual and then, instead of
 * changing Odoo, answer a pending change: what will happen, on which records, and (in `_meta`, for the
 * view only) a confirmation token. The view shows it; the change runs only when the person clicks, through
 * odoo_confirm_change, an app-only tool that redeems the token and runs the very same tool with the very
 * same arguments, under the caller's token, scopes, policy and limits. Clients that do not render views
 * get today's behaviour: the change at once.
 */
import { SCOPES } from "@odoo-mcp/shared";
import { CONFIRM_META_KEY, type ConfirmMeta, type PendingChangeResult } from "@odoo-mcp/views";
import { z } from "zod";
import type { PendingChange } from "./confirmations.js";
import { defineTool, RESULT_META, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";
import { recordUrlTemplate } from "./view-meta.js";

export const CONFIRM_TOOL = "odoo_confirm_change";

/** Whether this call should wait for the person: the client renders views, and the server can bind a token. */
export const awaitsConfirmation = (context: ToolContext) =>
  context.rendersViews === true && context.confirmations !== undefined;

/** The model's name as Odoo shows it ("Transfer"); undefined when Odoo will not say. */
async function modelLabel(context: ToolContext, model: string): Promise<string | undefined> {
  const [found] = (await context.odoo
    .executeKw("ir.model", "search_read", [[["model", "=", model]]], { fields: ["name"], limit: 1 })
    .catch(() => [])) as { name?: string }[];
  return found?.name;
}

/**
 * The answer to a delete or a workflow button awaiting the person: names of the records (read now, so a
 * missing one fails here as the change would), and the token for the view. Nothing changes in Odoo.
 */
export async function pendingChange(
  context: ToolContext,
  change: PendingChange,
  summary: { action: PendingChangeResult["action"]; model: string; ids: readonly number[]; method?: string },
): Promise<Record<string, unknown>> {
  const confirmations = context.confirmations;
  if (!confirmations) throw new Error("pendingChange needs the confirmations service");
  const { model, ids } = summary;
  const read = (await context.odoo.executeKw(model, "read", [[...ids], ["display_name"]])) as {
    id: number;
    display_name?: string;
  }[];
  const label = await modelLabel(context, model);
  const result: PendingChangeResult = {
    status: "awaiting_confirmation",
    action: summary.action,
    model,
    ...(label && { model_label: label }),
    ...(summary.method && { method: summary.method }),
    records: read.map((record) => ({ id: record.id, name: record.display_name || `${model} #${record.id}` })),
    note:
      "Nothing has changed yet: the person is shown this change and decides. Do not ask again or call another " +
      "tool to do it; you will be told whether they confirmed or cancelled.",
  };
  const { token, expires_at } = confirmations.issue(context.caller, change);
  const meta: ConfirmMeta = {
    token,
    expiresAt: expires_at,
    confirmTool: CONFIRM_TOOL,
    recordUrl: await recordUrlTemplate(context, model),
  };
  return Object.assign({ ...result }, { [RESULT_META]: { [CONFIRM_META_KEY]: meta } });
}

/** The app-only tool the Confirm view calls when the person clicks; `tools` are the ones it may run. */
export function confirmTool(tools: readonly ToolDefinition[]): ToolDefinition {
  return defineTool({
    name: CONFIRM_TOOL,
    title: "Run a change the person confirmed",
    description:
      "Called by the confirmation view when the person confirms a delete or a workflow button; needs the " +
      "confirmation that view was given.",
    scope: SCOPES.write,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    visibility: ["app"],
    input: z.object({ confirmation: z.string().min(1).max(8192).describe("The view's confirmation token") }),
    async run(context, { confirmation }) {
      const redeemed = context.confirmations?.redeem(context.caller, confirmation) ?? {
        problem: "This server does not take confirmations.",
      };
      if ("problem" in redeemed) throw new ToolRefusal(redeemed.problem);
      const tool = tools.find((each) => each.name === redeemed.change.tool);
      const args = tool?.input.safeParse(redeemed.change.args);
      if (!tool || !args?.success) throw new ToolRefusal("This confirmation is not valid; ask for the change again.");
      // The same tool and checks as the model's call, this time carried out.
      const outcome = await tool.run({ ...context, rendersViews: false }, args.data);
      return { confirmed: true, tool: tool.name, outcome };
    },
  });
}
