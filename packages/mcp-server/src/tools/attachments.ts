/**
 * A record's attachments: list them, read a small text one in the chat, get any as a short-lived
 * download link (served by this server with the caller's rights, so no base64 goes through the chat),
 * and add one from text, small base64 or an https URL.
 */
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import { ATTACHMENT_FIELDS, type AttachmentInfo, attachmentFile, attachmentInfo } from "../downloads/files.js";
import { checkedModel, modelArg, writableModel } from "./common.js";
import { checkedRecord, filesOf, recordIdArg } from "./outbound.js";
import { defineTool, READ_ONLY, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

/** Text shown in the chat at most; larger files come as a link. */
const TEXT_MAX_BYTES = 100 * 1024;
/** base64 given in the chat at most (decoded); larger files come by URL. */
const BASE64_MAX_BYTES = 256 * 1024;

const TEXT_LIKE = /^text\/|^application\/(json|xml|csv|x-yaml|yaml|javascript)\b|\+xml$|\+json$/;

/** A download link for the attachment, for the caller only. */
const linkTo = (context: ToolContext, id: number) =>
  filesOf(context).links.mint(context.caller, { kind: "attachment", id });

/**
 * Only attachments of records the model policy allows are handed out (or sent: mail.ts). One bound to no
 * record is refused too: ir.attachment is kept out of the tools, and such files (uploads, drafts) are
 * Odoo's to show only to their creator, a rule the service account would pass.
 */
export async function checkedOwner(
  context: ToolContext,
  info: Pick<AttachmentInfo, "id" | "res_model" | "res_field">,
): Promise<void> {
  if (!info.res_model) throw new ToolRefusal(`Attachment ${info.id} is not attached to a record; open it in Odoo.`);
  // A binary field's value kept as an attachment (a key, a certificate, a token file) is no file of the record:
  // Odoo's own attachment search leaves these out (ir_attachment.py `_search`, res_field = False).
  if (info.res_field)
    throw new ToolRefusal(
      `Attachment ${info.id} holds the value of a field of a ${info.res_model} record, not a file.`,
    );
  const refusal = context.policy.refusal(info.res_model) ?? (await context.guard?.refusal(info.res_model, "read"));
  if (refusal) throw new ToolRefusal(`Attachment ${info.id} belongs to a ${info.res_model} record. ${refusal}`);
}

const listAttachments = defineTool({
  name: "odoo_list_attachments",
  title: "List a record's attachments",
  description:
    "List the files attached to a record (name, type, size), each with a download link that works for a few minutes, for you only.",
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({ model: modelArg, id: recordIdArg }),
  async run(context, { model, id }) {
    await checkedModel(context, model);
    const found = (await context.odoo.executeKw(
      "ir.attachment",
      "search_read",
      [
        [
          ["res_model", "=", model],
          ["res_id", "=", id],
        ],
      ],
      { fields: ATTACHMENT_FIELDS, limit: context.limits.maxRecords, order: "id desc" },
    )) as AttachmentInfo[];
    return {
      model,
      id,
      attachments: found.map((info) => {
        const link = linkTo(context, info.id);
        return { id: info.id, name: info.name, mimetype: info.mimetype, size: info.file_size, download_url: link.url };
      }),
      links_expire_at: found.length > 0 ? linkTo(context, found[0]?.id as number).expires_at : null,
    };
  },
});

const readAttachment = defineTool({
  name: "odoo_read_attachment",
  title: "Read an attachment",
  description: `Read an attachment: its text when it is a small text file (up to ${TEXT_MAX_BYTES / 1024} KB), otherwise a download link that works for a few minutes, for you only.`,
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({ id: z.number().int().positive().describe("The ir.attachment id, from odoo_list_attachments") }),
  async run(context, { id }) {
    const info = await attachmentInfo(context.odoo, id);
    await checkedOwner(context, info);
    const about = { id, name: info.name, mimetype: info.mimetype, size: info.file_size };
    if (TEXT_LIKE.test(info.mimetype || "") && info.file_size <= TEXT_MAX_BYTES) {
      const file = await attachmentFile(context.odoo, id, TEXT_MAX_BYTES);
      return { ...about, text: file.bytes.toString("utf8") };
    }
    const link = linkTo(context, id);
    return { ...about, download_url: link.url, expires_at: link.expires_at };
  },
});

const addAttachment = defineTool({
  name: "odoo_add_attachment",
  title: "Attach a file to a record",
  description:
    "Attach a file to a record, from text (a note, a CSV), small base64 content, or an https URL this server downloads. " +
    "Returns the attachment id (to send with odoo_send_email) and a download link.",
  scope: SCOPES.write,
  // It fetches URLs from the internet.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: z.object({
    model: modelArg,
    id: recordIdArg,
    name: z.string().min(1).max(255).optional().describe('File name with its extension, e.g. "inventory.csv"'),
    text: z.string().max(1_000_000).optional().describe("The file's content as text"),
    base64: z
      .string()
      .max(Math.ceil(BASE64_MAX_BYTES / 3) * 4)
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, "expected base64")
      .optional()
      .describe(`The file's content in base64, up to ${BASE64_MAX_BYTES / 1024} KB; larger files by url`),
    url: z.string().max(2048).optional().describe("An https:// address to download the file from"),
    mimetype: z.string().max(128).optional().describe("e.g. text/csv; guessed from the name when left out"),
  }),
  async run(context, { model, id, name, text, base64, url, mimetype }) {
    const given = [text, base64, url].filter((value) => value !== undefined).length;
    if (given !== 1) throw new ToolRefusal("Give exactly one of text, base64 or url.");
    await writableModel(context, model);
    await checkedRecord(context, model, id);
    const fetched = url === undefined ? undefined : await filesOf(context).fetchUrl(url);
    const bytes =
      fetched?.bytes ?? (text !== undefined ? Buffer.from(text, "utf8") : Buffer.from(base64 ?? "", "base64"));
    const fileName = name ?? fetched?.name;
    if (!fileName) throw new ToolRefusal("Give the file a name, with its extension.");
    const type = mimetype ?? (fetched ? fetched.contentType.split(";")[0] : undefined);
    const attachmentId = (await context.odoo.executeKw(
      "ir.attachment",
      "create",
      [
        {
          name: fileName,
          datas: bytes.toString("base64"),
          res_model: model,
          res_id: id,
          ...(type ? { mimetype: type } : {}),
        },
      ],
      {
        // Odoo's own guard (ir.attachment _check_contents): HTML and XML are stored as text/plain, as for
        // anyone who may not edit views — the service account may, and a stored page would run in Odoo.
        context: { ...context.defaultContext, attachments_mime_plainxml: true },
      },
    )) as number;
    const link = linkTo(context, attachmentId);
    return { id: attachmentId, name: fileName, size: bytes.length, model, record_id: id, download_url: link.url };
  },
});

export const attachmentTools: ToolDefinition[] = [listAttachments, readAttachment, addAttachment];
