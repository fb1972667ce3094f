/**
 * Chatter and email (scope odoo:write). These reach people outside the chat, so they are annotated
 * openWorldHint and never retried. Messages go through Odoo's own mail.thread methods — message_post
 * on a record's chatter, message_notify for an email to named people — so Odoo's notification rules,
 * templates and mail queue apply; nothing creates mail.mail or mail.message directly.
 */
import { postedMessageId } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import { checkedOwner } from "./attachments.js";
import { modelArg, writableModel } from "./common.js";
import {
  allowedRecipients,
  attachmentIdsArg,
  callerPartner,
  checkedRecord,
  filesOf,
  htmlBody,
  htmlToText,
  type Partner,
  partnerIdsArg,
  recordIdArg,
} from "./outbound.js";
import { defineTool, type ToolAnnotations, type ToolContext, type ToolDefinition, ToolRefusal } from "./types.js";

const REACHES_PEOPLE: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

const bodyArg = z.string().min(1).max(100_000);

/** Takes `count` e-mails from the caller's hour (ODOO_MAIL_HOURLY_LIMIT), or refuses before anything is sent. */
function spend(context: ToolContext, count: number): void {
  const { mailBudget } = filesOf(context);
  if (count === 0 || mailBudget.take(context.caller.sub ?? context.caller.clientId, count)) return;
  throw new ToolRefusal(
    `This would send ${count} e-mail${count > 1 ? "s" : ""}, past the ${mailBudget.limit} you may send in an hour ` +
      "through this server (ODOO_MAIL_HOURLY_LIMIT); try again later, or send it from Odoo itself.",
  );
}

/** The record's followers Odoo would e-mail: those with an address, the author left out. */
async function followersWithEmail(context: ToolContext, model: string, id: number, author: number): Promise<number> {
  return (await context.odoo.executeKw("mail.followers", "search_count", [
    [
      ["res_model", "=", model],
      ["res_id", "=", id],
      ["partner_id", "!=", author],
      ["partner_id.email", "!=", false],
    ],
  ])) as number;
}
const htmlArg = z
  .boolean()
  .default(false)
  .describe("true when body is HTML (a table, a list); otherwise it is plain text and line breaks are kept");

/**
 * Attachments must exist, be readable by the caller and belong to records the model policy allows
 * before Odoo is asked to send them: what odoo_read_attachment refuses to show is not mailed either.
 */
async function checkedAttachments(context: ToolContext, ids: number[] | undefined): Promise<number[]> {
  if (!ids?.length) return [];
  const found = (await context.odoo.executeKw("ir.attachment", "search_read", [[["id", "in", ids]]], {
    fields: ["res_model", "res_field"],
  })) as { id: number; res_model: string | false; res_field: string | false }[];
  const missing = ids.filter((id) => !found.some((info) => info.id === id));
  if (missing.length > 0)
    throw new ToolRefusal(`Attachment ${missing.join(", ")} does not exist or you may not read it.`);
  for (const info of found) await checkedOwner(context, info);
  return ids;
}

const postMessage = defineTool({
  name: "odoo_post_message",
  title: "Post on a record's chatter",
  description:
    'Post on the chatter of a record (a quotation, a contact, a transfer…), as in Odoo: kind "note" is an internal note that ' +
    'notifies only the people named in partner_ids; kind "message" is sent to the record\'s followers by email, as Odoo does. ' +
    "Returns the message id.",
  scope: SCOPES.write,
  annotations: REACHES_PEOPLE,
  input: z.object({
    model: modelArg,
    id: recordIdArg,
    body: bodyArg.describe("The message"),
    html: htmlArg,
    kind: z
      .enum(["note", "message"])
      .default("note")
      .describe('"note" (internal, default) or "message" (to the followers)'),
    partner_ids: partnerIdsArg,
    attachment_ids: attachmentIdsArg,
  }),
  async run(context, { model, id, body, html, kind, partner_ids, attachment_ids }) {
    await writableModel(context, model);
    const name = await checkedRecord(context, model, id);
    if (kind === "message" && filesOf(context).mailRecipients === "self")
      throw new ToolRefusal(
        `A message on ${name} is e-mailed to its followers, and this server sends e-mail only to you ` +
          '(the operator set ODOO_MAIL_RECIPIENTS=self): post it as kind "note", or ask the operator to allow partners.',
      );
    const self = await callerPartner(context);
    const named = await allowedRecipients(context, self, partner_ids, { model, id, name });
    const attachments = await checkedAttachments(context, attachment_ids);
    // Each follower with an address gets a message; a note reaches only those named.
    const followers = kind === "message" ? await followersWithEmail(context, model, id, self.id) : 0;
    spend(context, followers + named.length);
    const answer = await context.odoo.executeKw(model, "message_post", [[id]], {
      body: htmlBody(body, html),
      body_is_html: true,
      message_type: "comment",
      subtype_xmlid: kind === "note" ? "mail.mt_note" : "mail.mt_comment",
      partner_ids: named.map((partner) => partner.id),
      attachment_ids: attachments,
    });
    return {
      model,
      id,
      record: name,
      message_id: postedMessageId(answer),
      kind,
      notified: named.map(({ id: partnerId, name: partnerName }) => ({ id: partnerId, name: partnerName })),
      ...(kind === "message" ? { note: "Odoo also emails the record's followers, by their own preferences." } : {}),
    };
  },
});

/** The button that opens a model's email composer with its template, where the model has one. */
const SEND_BUTTONS: Record<string, string> = { "sale.order": "action_quotation_send" };

interface Composer {
  id: number;
  /** The send button's context (template, model, mark_so_as_sent…): the Send button runs in it too. */
  context: Record<string, unknown>;
  subject: string;
  body: string;
  attachmentIds: number[];
}

/**
 * The model's own email: its send button gives the composer's context (template, model, res_ids,
 * comment mode); the composer renders the template's subject, body and report attachments.
 */
async function openComposer(context: ToolContext, model: string, id: number): Promise<Composer | undefined> {
  const button = SEND_BUTTONS[model];
  if (!button) return undefined;
  const action = (await context.odoo.executeKw(model, button, [[id]])) as { context?: Record<string, unknown> };
  if (!action?.context?.default_template_id) return undefined;
  const composerId = (await context.odoo.executeKw("mail.compose.message", "create", [{}], {
    context: action.context,
  })) as number;
  const [composer] = (await context.odoo.executeKw("mail.compose.message", "read", [
    [composerId],
    ["subject", "body", "attachment_ids"],
  ])) as { subject: string | false; body: string | false; attachment_ids: number[] }[];
  return {
    id: composerId,
    context: action.context,
    subject: composer?.subject || "",
    body: composer?.body || "",
    attachmentIds: composer?.attachment_ids ?? [],
  };
}

/**
 * Sends the composer as its Send button does: it posts the rendered HTML on the record to these
 * partners (and the followers, by their preferences), and Odoo's own hooks run (a quotation is
 * marked sent). The button answers a window action, so the message is the record's newest by the caller.
 */
async function sendComposer(
  context: ToolContext,
  composer: Composer,
  record: { model: string; id: number },
  changes: { subject: string; body: string; partnerIds: number[]; attachmentIds: number[]; selfId: number },
): Promise<number | false> {
  await context.odoo.executeKw("mail.compose.message", "write", [
    [composer.id],
    {
      subject: changes.subject,
      body: changes.body,
      partner_ids: [[6, 0, changes.partnerIds]],
      attachment_ids: [[6, 0, changes.attachmentIds]],
    },
  ]);
  // Writing to oneself: Odoo leaves the author out of the recipients unless told (_notify_get_recipients).
  const toSelf = changes.partnerIds.includes(changes.selfId);
  await context.odoo.executeKw("mail.compose.message", "action_send_mail", [[composer.id]], {
    context: { ...composer.context, ...(toSelf ? { mail_notify_author: true } : {}) },
  });
  const [message] = (await context.odoo.executeKw(
    "mail.message",
    "search",
    [
      [
        ["model", "=", record.model],
        ["res_id", "=", record.id],
        ["message_type", "=", "comment"],
      ],
    ],
    { order: "id desc", limit: 1 },
  )) as number[];
  return message ?? false;
}

const recipientView = (partners: Partner[]) =>
  partners.map(({ id, name, email }) => ({ id, name, email: email || null }));

const sendEmail = defineTool({
  name: "odoo_send_email",
  title: "Send an email through Odoo",
  description:
    "Send an email through Odoo's mail system, to you (the signed-in person) by default — e.g. a report or a table you asked for. " +
    "About a record (model and id), the record's own template is used when it has one (a quotation's), with its PDF attached. " +
    "Other people (partner_ids) only when the operator allows it, and only a record's followers or contact. " +
    "Attach files with attachment_ids (odoo_add_attachment, odoo_get_report).",
  scope: SCOPES.write,
  annotations: REACHES_PEOPLE,
  input: z.object({
    subject: z.string().min(1).max(500).optional().describe("Subject; required unless the record's template gives one"),
    body: bodyArg.optional().describe("The email's text; required unless the record's template gives one"),
    html: htmlArg,
    model: modelArg.optional().describe("The record the email is about, e.g. sale.order (optional)"),
    id: recordIdArg.optional(),
    use_template: z.boolean().default(true).describe("Use the record's email template when its model has one"),
    partner_ids: partnerIdsArg,
    attachment_ids: attachmentIdsArg,
  }),
  async run(context, { subject, body, html, model, id, use_template, partner_ids, attachment_ids }) {
    if ((model === undefined) !== (id === undefined))
      throw new ToolRefusal("Give both model and id of the record the email is about, or neither.");
    const name = model && id ? await checkedRecord(context, model, id) : undefined;
    const record = model && id && name ? { model, id, name } : undefined;
    const self = await callerPartner(context);
    if (!self.email) throw new ToolRefusal("Your Odoo contact has no email address; add one in Odoo first.");
    const others = await allowedRecipients(context, self, partner_ids, record);
    const partners = partner_ids?.length && !partner_ids.includes(self.id) ? others : [self, ...others];
    const attachments = await checkedAttachments(context, attachment_ids);
    spend(context, partners.length);
    const template = record && use_template ? await openComposer(context, record.model, record.id) : undefined;
    // A subject is one line: CR, LF and other control characters would forge mail headers.
    const finalSubject = (subject ?? template?.subject)?.replace(/\p{Cc}+/gu, " ").trim();
    if (!finalSubject) throw new ToolRefusal("Give a subject for the email.");
    if (!body && !template?.body) throw new ToolRefusal("Give the email's body.");
    const allAttachments = [...attachments, ...(template?.attachmentIds ?? [])];
    const partnerIds = partners.map((partner) => partner.id);
    const answer =
      record && template
        ? await sendComposer(context, template, record, {
            subject: finalSubject,
            body: body !== undefined ? htmlBody(body, html) : template.body,
            partnerIds,
            attachmentIds: allAttachments,
            selfId: self.id,
          })
        : // message_notify emails exactly these partners (no followers) with a text body (Odoo escapes any
          // str body); the author is one of them when writing to oneself, which Odoo skips unless
          // mail_notify_author is set (_notify_get_recipients).
          await context.odoo.executeKw(record?.model ?? "res.partner", "message_notify", [record ? [record.id] : []], {
            subject: finalSubject,
            body: html ? htmlToText(body as string) : body,
            partner_ids: partnerIds,
            attachment_ids: allAttachments,
            ...(record ? {} : { model: false, res_id: false }),
            context: { mail_notify_author: true },
          });
    const messageId = postedMessageId(answer);
    if (messageId === false) throw new ToolRefusal("Odoo sent nothing: no recipient had an email address.");
    return {
      message_id: messageId,
      subject: finalSubject,
      to: recipientView(partners),
      ...(record ? { record: record.name } : {}),
      ...(template ? { template: "the record's email template" } : html ? { body_sent_as: "text" } : {}),
      attachment_ids: allAttachments,
      note: "Odoo queues the email and its mail server sends it within minutes.",
    };
  },
});

export const mailTools: ToolDefinition[] = [postMessage, sendEmail];
