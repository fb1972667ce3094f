/**
 * What the mail and attachment tools share: who the caller is in Odoo (their partner), which partners
 * they may address (ODOO_MAIL_RECIPIENTS and the record's followers), and the record a message is about.
 */
import { z } from "zod";
import { checkedModel } from "./common.js";
import { type FileServices, type ToolContext, ToolRefusal } from "./types.js";

/** The app's file services; every app has them, stand-in contexts in tests may not. */
export function filesOf(context: ToolContext): FileServices {
  if (!context.files) throw new ToolRefusal("This server is not set up to send email or hand out files.");
  return context.files;
}

export const recordIdArg = z.number().int().positive().describe("The record's id, e.g. 42");

export const partnerIdsArg = z
  .array(z.number().int().positive())
  .max(20)
  .optional()
  .describe("res.partner ids of other people to address (use odoo_name_search on res.partner to find them)");

export const attachmentIdsArg = z
  .array(z.number().int().positive())
  .max(10)
  .optional()
  .describe("ir.attachment ids to send along (from odoo_list_attachments, odoo_add_attachment or odoo_get_report)");

export interface Partner {
  id: number;
  name: string;
  email: string | false;
}

const readPartners = (context: ToolContext, ids: number[]) =>
  context.odoo.executeKw("res.partner", "read", [ids, ["name", "email"]]) as Promise<Partner[]>;

/** The signed-in person's partner; the subject reads `<database>:<Odoo user id>` (the authorization server's subjectOf). */
export async function callerPartner(context: ToolContext): Promise<Partner> {
  const uid = Number(/(?:^|:)(\d+)$/.exec(context.caller.sub ?? "")?.[1]);
  if (!Number.isInteger(uid) || uid <= 0)
    throw new ToolRefusal("This token does not say which Odoo user you are, so there is no address to send to.");
  const [user] = (await context.odoo.executeKw("res.users", "read", [[uid], ["partner_id"]])) as {
    partner_id: [number, string] | false;
  }[];
  if (!user?.partner_id) throw new ToolRefusal("Your Odoo user has no contact record, so it has no email address.");
  const [partner] = await readPartners(context, [user.partner_id[0]]);
  return partner as Partner;
}

/** The record a message is about, readable by the caller and allowed by the model policy; its display name. */
export async function checkedRecord(context: ToolContext, model: string, id: number): Promise<string> {
  const fields = await checkedModel(context, model);
  const [record] = (await context.odoo.executeKw(model, "read", [[id], ["display_name"]])) as {
    display_name: string;
  }[];
  if (!record) throw new ToolRefusal(`${model} ${id} does not exist (or was deleted).`);
  if (!("message_ids" in fields))
    throw new ToolRefusal(`${model} records have no chatter in Odoo, so messages cannot be posted on them.`);
  return record.display_name;
}

/**
 * The partners a tool may address besides the caller: none with ODOO_MAIL_RECIPIENTS=self; with
 * `partners`, only people already connected to the record — its followers or its own contact
 * (partner_id) — each with an email address. Sending to anyone else is refused: add them as
 * followers in Odoo first.
 */
export async function allowedRecipients(
  context: ToolContext,
  self: Partner,
  requested: number[] | undefined,
  record: { model: string; id: number; name: string } | undefined,
): Promise<Partner[]> {
  const others = [...new Set(requested ?? [])].filter((id) => id !== self.id);
  if (others.length === 0) return [];
  if (filesOf(context).mailRecipients === "self")
    throw new ToolRefusal(
      "This server sends email only to you (the operator set ODOO_MAIL_RECIPIENTS=self); leave partner_ids out, or ask the operator to allow partners.",
    );
  if (!record)
    throw new ToolRefusal(
      "Email to other people must be about a record they follow: give model and id of that record (a quotation, an invoice…).",
    );
  const connected = await connectedPartners(context, record.model, record.id);
  const strangers = others.filter((id) => !connected.has(id));
  if (strangers.length > 0)
    throw new ToolRefusal(
      `Partner${strangers.length > 1 ? "s" : ""} ${strangers.join(", ")} ${strangers.length > 1 ? "are" : "is"} neither a follower nor the contact of ${record.name}; ` +
        "only people connected to the record can be written to. Add them as followers in Odoo first.",
    );
  const partners = await readPartners(context, others);
  const missing = others.filter((id) => !partners.some((partner) => partner.id === id));
  if (missing.length > 0) throw new ToolRefusal(`Partner ${missing.join(", ")} does not exist.`);
  const noEmail = partners.filter((partner) => !partner.email);
  if (noEmail.length > 0)
    throw new ToolRefusal(
      `${noEmail.map((partner) => partner.name).join(", ")} ha${noEmail.length > 1 ? "ve" : "s"} no email address in Odoo; add one first.`,
    );
  return partners;
}

/** Followers of the record and its own contact (partner_id, when the model has one). */
async function connectedPartners(context: ToolContext, model: string, id: number): Promise<Set<number>> {
  const followers = (await context.odoo.executeKw(
    "mail.followers",
    "search_read",
    [
      [
        ["res_model", "=", model],
        ["res_id", "=", id],
      ],
    ],
    { fields: ["partner_id"] },
  )) as { partner_id: [number, string] | false }[];
  const ids = new Set(followers.flatMap((row) => (row.partner_id ? [row.partner_id[0]] : [])));
  const fields = await context.fields.describe(model);
  if (fields.partner_id?.relation === "res.partner") {
    const [record] = (await context.odoo.executeKw(model, "read", [[id], ["partner_id"]])) as {
      partner_id: [number, string] | false;
    }[];
    if (record?.partner_id) ids.add(record.partner_id[0]);
  }
  return ids;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The body as Odoo stores it: HTML as given, or plain text escaped with its line breaks kept. */
export const htmlBody = (body: string, isHtml: boolean) => (isHtml ? body : escapeHtml(body).replace(/\r?\n/g, "<br>"));

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/**
 * HTML as readable text: a line per row, paragraph or list item, cells joined by " | ". For
 * message_notify, which escapes any str body ('body': escape(body), mail_thread.py), so HTML cannot
 * travel over RPC; a short pass of our own, as no dependency of the project converts HTML to text.
 */
export function htmlToText(html: string): string {
  return html
    .replace(/<\/t[dh]>\s*<t[dh]\b[^>]*>/gi, " | ")
    .replace(/<(br|hr)\b[^>]*>|<\/(p|div|tr|li|h[1-6]|table|thead|tbody|ul|ol)>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#\d+|#x[\da-f]+|[a-z]+);/gi, (entity, code: string) => {
      if (code.startsWith("#x") || code.startsWith("#X"))
        return String.fromCodePoint(Number.parseInt(code.slice(2), 16));
      if (code.startsWith("#")) return String.fromCodePoint(Number(code.slice(1)));
      return ENTITIES[code.toLowerCase()] ?? entity;
    })
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trim())
    .filter((line, index, lines) => line !== "" || (index > 0 && lines[index - 1] !== ""))
    .join("\n")
    .trim();
}
