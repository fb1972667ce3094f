/**
 * ChatGPT's `search` and `fetch` (deep research and company knowledge): `search` answers
 * `{results: [{id, title, url}]}`, `fetch` answers `{id, title, text, url, metadata}`. Ids read
 * `res.partner:42`; urls open the record in the Odoo web client so answers can cite it.
 */
import { nameSearch } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import { checkedModel } from "./common.js";
import { defineTool, READ_ONLY, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

const PER_MODEL = 5;
/** Attachment links a fetched record shows at most. */
const ATTACHMENTS_SHOWN = 10;

const recordUrl = (context: ToolContext, model: string, id: number) =>
  `${context.webUrl}/web#id=${id}&model=${encodeURIComponent(model)}&view_type=form`;

function parseId(context: ToolContext, id: string): { model: string; recordId: number } {
  const match = /^([a-z_][a-z0-9_.]*):(\d+)$/.exec(id.trim());
  if (!match) throw new ToolRefusal(`"${id}" is not a result id; use the ids search returns, such as res.partner:42.`);
  const model = match[1] as string;
  if (!context.searchModels.includes(model))
    throw new ToolRefusal(`fetch covers ${context.searchModels.join(", ")}; ${model} is not one of them.`);
  return { model, recordId: Number(match[2]) };
}

/** A field value as a person reads it. */
function readable(value: unknown): string | undefined {
  if (value === false || value === null || value === undefined || value === "") return undefined;
  if (Array.isArray(value)) {
    if (value.length === 2 && typeof value[0] === "number" && typeof value[1] === "string") return value[1];
    return value.length ? `${value.length} linked record${value.length === 1 ? "" : "s"}` : undefined;
  }
  return String(value);
}

const search = defineTool({
  name: "search",
  title: "Search Odoo",
  description: `Search Odoo contacts, products and sales orders by name or reference. Returns ids to pass to fetch.`,
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({ query: z.string().min(1).max(256).describe("What to look for: a name, a reference, an email…") }),
  async run(context, { query }) {
    const models = context.searchModels.filter((model) => !context.policy.refusal(model));
    const found = await Promise.all(
      models.map(async (model) => {
        const pairs = await nameSearch(context.odoo, model, { name: query, domain: [], limit: PER_MODEL });
        return pairs.map(([id, title]) => ({ id: `${model}:${id}`, title, url: recordUrl(context, model, id) }));
      }),
    );
    return { results: found.flat() };
  },
});

const fetchRecord = defineTool({
  name: "fetch",
  title: "Fetch an Odoo record",
  description: "Fetch the full text of a search result by its id (such as res.partner:42).",
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({ id: z.string().min(3).max(160).describe("An id from search, e.g. res.partner:42") }),
  async run(context, { id }) {
    const { model, recordId } = parseId(context, id);
    const fields = await checkedModel(context, model);
    const names = await context.fields.defaultFields(model);
    // display_name is computed, not stored, so the default fields leave it out: asked for by name. So is a
    // mail.thread's attachment count, which spares the attachment search when there are none.
    const counted = "message_attachment_count" in fields;
    const asked = [...names, "display_name", ...(counted ? ["message_attachment_count"] : [])];
    const [record] = (await context.odoo.executeKw(model, "read", [[recordId], asked])) as Record<string, unknown>[];
    if (!record) throw new ToolRefusal(`${id} does not exist (or was deleted).`);
    const lines = names
      .filter((name) => !["id", "display_name", "create_uid", "write_uid", "write_date"].includes(name))
      .flatMap((name) => {
        const text = readable(record[name]);
        return text === undefined ? [] : [`${fields[name]?.string ?? name}: ${text}`];
      });
    const title = String(record.display_name ?? id);
    const attachments =
      counted && !record.message_attachment_count ? [] : await attachmentLinks(context, model, recordId);
    return {
      id,
      title,
      text: [
        title,
        ...lines,
        ...(attachments.length > 0
          ? ["Attachments (links work for a few minutes):", ...attachments.map((file) => `- ${file.name}: ${file.url}`)]
          : []),
      ].join("\n"),
      url: recordUrl(context, model, recordId),
      metadata: { model, record_id: recordId, ...(attachments.length > 0 ? { attachments } : {}) },
    };
  },
});

/** The record's newest attachments with download links for the caller (none when files are not set up). */
async function attachmentLinks(context: ToolContext, model: string, id: number) {
  if (!context.files) return [];
  const found = (await context.odoo.executeKw(
    "ir.attachment",
    "search_read",
    [
      [
        ["res_model", "=", model],
        ["res_id", "=", id],
      ],
    ],
    { fields: ["name"], limit: ATTACHMENTS_SHOWN, order: "id desc" },
  )) as { id: number; name: string }[];
  const links = context.files.links;
  return found.map((file) => ({
    name: file.name,
    url: links.mint(context.caller, { kind: "attachment", id: file.id }).url,
  }));
}

export const chatgptTools: ToolDefinition[] = [search, fetchRecord];
