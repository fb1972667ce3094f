/**
 * Odoo's mail app as far as a program reaches it (addons/mail, docs/odoo-versions.md "Mail,
 * attachments and reports"): `mail.thread`'s public methods on the models that inherit it
 * (message_post, message_notify, message_subscribe), followers, messages and their subtypes, the mail
 * queue (`mail.mail`, Settings only), attachments with real content, templates and the composer that
 * renders them. Notifications follow `_notify_get_recipients`: followers subscribed to the subtype,
 * plus the partners named, never the author unless asked (`notify_author`, `mail_notify_author`).
 */
import { PythonError } from "../faults.js";
import { checkAccess } from "../orm/access.js";
import { createRecord, missingRecords } from "../orm/crud.js";
import type { Database, Model, Row } from "../orm/database.js";
import type { Env } from "../orm/env.js";
import { field } from "../orm/fields.js";
import type { ModelDef, RecordMethod } from "../orm/model.js";
import { isFalsy, pyRepr } from "../orm/python.js";
import { escapeHtml, renderReportPdf } from "./reports.js";

/** The models that inherit mail.thread here. */
export const MAIL_THREAD_MODELS = new Set([
  "res.partner",
  "product.template",
  "sale.order",
  "stock.picking",
  "account.move",
]);

type Bound = Record<string, unknown>;

const rowsOf = (model: Model) => [...model.rows.values()];

/** The id of the record an XML id names (ir.model.data), as `env.ref(...).id`. */
export function xmlIdRef(db: Database, xmlId: string): number | undefined {
  const [module, name] = xmlId.split(".");
  return rowsOf(db.requireModel("ir.model.data")).find((data) => data.module === module && data.name === name)
    ?.res_id as number | undefined;
}

function ensureOne(model: Model, ids: number[]): number {
  if (ids.length !== 1) throw new PythonError("ValueError", `Expected singleton: ${model.name}(${ids.join(", ")})`);
  return ids[0] as number;
}

const partnerOf = (env: Env) => env.db.requireModel("res.users").rows.get(env.uid)?.partner_id as number | undefined;

/** A str body is escaped (Markup-safe) unless the caller says it is HTML (`body_is_html`, 17.0 on). */
const bodyOf = (body: unknown, isHtml: unknown) =>
  typeof body !== "string" ? "" : isHtml === true ? body : `<p>${escapeHtml(body)}</p>`;

/**
 * Keyword arguments that are neither mail.message fields nor notification parameters are refused by
 * `_notify_thread` (`_raise_for_invalid_parameters(restricting_names=_get_notify_valid_parameters())`),
 * after message_post or message_notify split off the mail.message fields: mail_thread.py 17.0 L2965,
 * 18.0 L3042, 19.0 L3148 (19.0 adds force_record_name, notify_author_mention, notify_skip_followers and,
 * for internal users, mail_headers); the sms module adds its own (sms/models/mail_thread.py).
 */
function checkNotifyParameters(env: Env, kwargs: Bound): void {
  const major = env.db.release.major;
  const valid = new Set([
    "force_email_company",
    "force_email_lang",
    "force_send",
    "mail_auto_delete",
    "model_description",
    "notify_author",
    "scheduled_date",
    "send_after_commit",
    "skip_existing",
    "subtitles",
    "put_in_queue",
    "sms_numbers",
    "sms_pid_to_number",
    ...(major >= 18 ? ["sms_content"] : []),
    ...(major >= 19
      ? [
          "force_record_name",
          "notify_author_mention",
          "notify_skip_followers",
          ...(env.group === "portal" ? [] : ["mail_headers"]),
        ]
      : ["resend_existing"]),
  ]);
  const messageFields = env.db.requireModel("mail.message").fields;
  const invalid = Object.keys(kwargs).filter((name) => !messageFields.has(name) && !valid.has(name));
  if (invalid.length > 0)
    throw new PythonError(
      "ValueError",
      `Those values are not supported when posting or notifying: ${invalid.join(", ")}`,
    );
}

const idList = (value: unknown, name: string): number[] => {
  if (isFalsy(value)) return [];
  if (!Array.isArray(value) || !value.every((id) => Number.isInteger(id)))
    throw new PythonError("ValueError", `${name} should be a list of ids, got ${pyRepr(value)}`);
  return value as number[];
};

function activePartners(env: Env, ids: number[]): number[] {
  const partners = env.db.requireModel("res.partner");
  const missing = ids.filter((id) => !partners.rows.has(id));
  if (missing.length > 0) throw missingRecords(env, partners, missing);
  return ids;
}

/** `_message_subscribe`: one mail.followers per partner and record, with the default subtypes. */
function subscribe(env: Env, modelName: string, resId: number, partnerIds: number[], subtypeIds?: number[]): void {
  const followers = env.db.requireModel("mail.followers");
  const defaults = rowsOf(env.db.requireModel("mail.message.subtype"))
    .filter((subtype) => subtype.default === true)
    .map((subtype) => subtype.id);
  for (const partnerId of partnerIds) {
    const existing = rowsOf(followers).find(
      (row) => row.res_model === modelName && row.res_id === resId && row.partner_id === partnerId,
    );
    if (existing) {
      if (subtypeIds) existing.subtype_ids = subtypeIds;
      continue;
    }
    createRecord({ ...env, group: "admin" }, followers, {
      res_model: modelName,
      res_id: resId,
      partner_id: partnerId,
      subtype_ids: [[6, 0, subtypeIds ?? defaults]],
    });
  }
}

/** The partners following a record through `subtypeId`. */
const followersFor = (db: Database, modelName: string, resId: number, subtypeId: number) =>
  rowsOf(db.requireModel("mail.followers"))
    .filter(
      (row) =>
        row.res_model === modelName &&
        row.res_id === resId &&
        (row.subtype_ids as number[] | undefined)?.includes(subtypeId),
    )
    .map((row) => row.partner_id as number);

interface Posting {
  modelName: string | false;
  resId: number | false;
  body: string;
  subject: string | false;
  messageType: string;
  subtypeId: number;
  partnerIds: number[];
  attachmentIds: number[];
  /** Whether the author may be among the recipients (notify_author, or 19.0's notify_author_mention). */
  notifyAuthor: boolean;
  notifyAuthorMention: boolean;
  /** message_notify: only the partners named, never the followers. */
  followers: boolean;
}

/**
 * `_message_create` then `_notify_thread`: the mail.message, and one outgoing mail.mail to the
 * recipients that have an email address (partners without one get no email, as Odoo's
 * `mail_email_missing` failure).
 */
function post(env: Env, posting: Posting): number {
  const { db } = env;
  const author = partnerOf(env);
  // _process_attachments_for_post: attachments posted with a message move onto the document.
  for (const id of posting.attachmentIds) {
    const attachment = db.requireModel("ir.attachment").rows.get(id);
    if (!attachment) throw missingRecords(env, db.requireModel("ir.attachment"), [id]);
    if (attachment.res_model === "mail.compose.message" || !attachment.res_id)
      Object.assign(attachment, { res_model: posting.modelName, res_id: posting.resId || 0 });
  }
  const messageId = createRecord({ ...env, group: "admin" }, db.requireModel("mail.message"), {
    model: posting.modelName,
    res_id: posting.resId || 0,
    body: posting.body,
    subject: posting.subject,
    message_type: posting.messageType,
    subtype_id: posting.subtypeId,
    author_id: author ?? false,
    partner_ids: [[6, 0, posting.partnerIds]],
    attachment_ids: [[6, 0, posting.attachmentIds]],
    record_name: posting.modelName && posting.resId ? db.displayNameOf(posting.modelName, posting.resId) : false,
  });
  const fromFollowers =
    posting.followers && posting.modelName && posting.resId
      ? followersFor(db, posting.modelName, posting.resId, posting.subtypeId)
      : [];
  const mentionedAuthor = posting.notifyAuthorMention && author !== undefined && posting.partnerIds.includes(author);
  const recipients = [...new Set([...fromFollowers, ...posting.partnerIds])].filter(
    (id) => posting.notifyAuthor || mentionedAuthor || id !== author,
  );
  const partners = db.requireModel("res.partner");
  const emailed = recipients.filter((id) => Boolean(partners.rows.get(id)?.email));
  if (emailed.length > 0) {
    const authorRow = author === undefined ? undefined : partners.rows.get(author);
    createRecord({ ...env, group: "admin" }, db.requireModel("mail.mail"), {
      mail_message_id: messageId,
      model: posting.modelName,
      res_id: posting.resId || 0,
      subject:
        posting.subject ||
        (posting.modelName && posting.resId ? db.displayNameOf(posting.modelName, posting.resId) : false),
      body_html: posting.body,
      email_from: authorRow ? `"${authorRow.name}" <${authorRow.email}>` : false,
      recipient_ids: [[6, 0, emailed]],
      attachment_ids: [[6, 0, posting.attachmentIds]],
      state: "outgoing",
    });
  }
  return messageId;
}

/** Record-returning methods: an id up to 18.0 (`@api.returns`), a list of ids from 19.0 (service/model.py). */
const returned = (env: Env, id: number) => (env.db.release.major >= 19 ? [id] : id);

/** `(name, content)` tuples, content not base64: new attachments on the document. */
function tupleAttachments(env: Env, value: unknown, modelName: string | false, resId: number | false): number[] {
  if (isFalsy(value)) return [];
  const tuples = Array.isArray(value) ? value : [];
  if (!tuples.every((item) => Array.isArray(item) && (item.length === 2 || item.length === 3)))
    throw new PythonError(
      "ValueError",
      `Posting a message should receive attachments as a list of list or tuples (received ${pyRepr(value)})`,
    );
  return tuples.map(([name, content]: unknown[]) =>
    createRecord({ ...env, group: "admin" }, env.db.requireModel("ir.attachment"), {
      name: String(name),
      datas: Buffer.from(String(content), "utf8").toString("base64"),
      res_model: modelName,
      res_id: resId || 0,
    }),
  );
}

function subtypeOf(env: Env, bound: Bound): number {
  const xmlId = typeof bound.subtype_xmlid === "string" ? bound.subtype_xmlid : undefined;
  const id = xmlId ? xmlIdRef(env.db, xmlId) : typeof bound.subtype_id === "number" ? bound.subtype_id : undefined;
  if (xmlId && id === undefined) throw new PythonError("ValueError", `External ID not found in the system: ${xmlId}`);
  return id ?? (xmlIdRef(env.db, "mail.mt_note") as number);
}

const notifyFlags = (env: Env, kwargs: Bound) => ({
  notifyAuthor: Boolean(kwargs.notify_author || env.context.mail_notify_author),
  notifyAuthorMention: Boolean(kwargs.notify_author_mention || env.context.mail_notify_author_mention),
});

const messagePost =
  (modelName: string): RecordMethod =>
  (env, ids, _args, bound) => {
    const model = env.db.requireModel(modelName);
    const resId = ensureOne(model, ids);
    if (!model.rows.has(resId)) throw missingRecords(env, model, [resId]);
    // mail.message creation checks the document's _mail_post_access: write by default.
    checkAccess(env, model, "write");
    const kwargs = (bound["**kwargs"] ?? {}) as Bound;
    checkNotifyParameters(env, kwargs);
    const messageType = typeof bound.message_type === "string" ? bound.message_type : "notification";
    if (messageType === "user_notification")
      throw new PythonError("ValueError", "Use message_notify to send a notification to an user.");
    const partnerIds = activePartners(env, idList(bound.partner_ids, "partner_ids"));
    const attachmentIds = [
      ...idList(bound.attachment_ids, "attachment_ids"),
      ...tupleAttachments(env, bound.attachments, modelName, resId),
    ];
    const id = post(env, {
      modelName,
      resId,
      // body_is_html is honoured for internal users only (message_post: `self.env.user._is_internal()`).
      body: bodyOf(bound.body, bound.body_is_html === true && env.group !== "portal"),
      subject: typeof bound.subject === "string" ? bound.subject : false,
      messageType,
      subtypeId: subtypeOf(env, bound),
      partnerIds,
      attachmentIds,
      ...notifyFlags(env, kwargs),
      followers: true,
    });
    return returned(env, id);
  };

const messageNotify =
  (modelName: string): RecordMethod =>
  (env, ids, _args, bound) => {
    const model = env.db.requireModel(modelName);
    if (ids.length > 1) ensureOne(model, ids);
    const kwargs = (bound["**kwargs"] ?? {}) as Bound;
    // _raise_for_invalid_parameters(forbidden_names={"message_id", "message_type", "parent_id"})
    const forbidden = ["message_id", "message_type", "parent_id"].filter((name) => name in kwargs);
    if (forbidden.length > 0)
      throw new PythonError(
        "ValueError",
        `Those values are not supported when posting or notifying: ${forbidden.join(", ")}`,
      );
    checkNotifyParameters(env, kwargs);
    const partnerIds = activePartners(env, idList(bound.partner_ids, "partner_ids"));
    // "Message notify called without recipient_ids, skipping": an empty mail.message recordset.
    if (partnerIds.length === 0) return env.db.release.major >= 19 ? [] : false;
    const resId = ids[0] ?? (typeof bound.res_id === "number" ? bound.res_id : false);
    const recordModel = ids.length > 0 ? modelName : typeof bound.model === "string" ? bound.model : false;
    if (ids.length > 0) {
      if (!model.rows.has(ids[0] as number)) throw missingRecords(env, model, ids);
      checkAccess(env, model, "read");
    }
    const flags = notifyFlags(env, kwargs);
    const id = post(env, {
      modelName: recordModel,
      resId: resId || false,
      // A str body is always escaped ('body': escape(body)): HTML cannot be sent over RPC.
      body: bodyOf(bound.body, false),
      subject: typeof bound.subject === "string" ? bound.subject : false,
      messageType: "user_notification",
      subtypeId: subtypeOf(env, bound),
      partnerIds,
      attachmentIds: [
        ...idList(bound.attachment_ids, "attachment_ids"),
        ...tupleAttachments(env, bound.attachments, recordModel, resId || false),
      ],
      notifyAuthor: flags.notifyAuthor,
      // 19.0: message_notify notifies an author it names unless told otherwise (notify_author_mention).
      notifyAuthorMention:
        env.db.release.major >= 19 ? kwargs.notify_author_mention !== false : flags.notifyAuthorMention,
      followers: false,
    });
    return returned(env, id);
  };

const messageSubscribe =
  (modelName: string): RecordMethod =>
  (env, ids, _args, bound) => {
    const model = env.db.requireModel(modelName);
    const partnerIds = idList(bound.partner_ids, "partner_ids");
    if (ids.length === 0 || partnerIds.length === 0) return true;
    // Following a record oneself needs read access; adding others needs write access.
    const self = partnerOf(env);
    checkAccess(env, model, partnerIds.length === 1 && partnerIds[0] === self ? "read" : "write");
    const missing = ids.filter((id) => !model.rows.has(id));
    if (missing.length > 0) throw missingRecords(env, model, missing);
    const partners = env.db.requireModel("res.partner");
    const active = partnerIds.filter((id) => partners.rows.get(id)?.active !== false && partners.rows.has(id));
    const subtypes = isFalsy(bound.subtype_ids) ? undefined : idList(bound.subtype_ids, "subtype_ids");
    for (const id of ids) subscribe(env, modelName, id, active, subtypes);
    return true;
  };

/** The rows of `model` that belong to the record (res_model/res_id or model/res_id). */
const onRecord = (modelField: string, comodel: string, modelName: string) => (row: Row, db: Database) =>
  rowsOf(db.requireModel(comodel))
    .filter((other) => other[modelField] === modelName && other.res_id === row.id)
    .map((other) => other.id);

/** Adds mail.thread's fields (followers, messages) and public methods to a model that inherits it. */
export function asMailThread(def: ModelDef): ModelDef {
  return {
    ...def,
    mailThread: true,
    fields: {
      ...def.fields,
      message_follower_ids: field.one2many("Followers", "mail.followers", "res_id", {
        compute: onRecord("res_model", "mail.followers", def.name),
      }),
      message_ids: field.one2many("Messages", "mail.message", "res_id", {
        compute: onRecord("model", "mail.message", def.name),
      }),
      // mail_thread.py 17.0 L115: the record's attachments (res_model, res_id), counted.
      message_attachment_count: field.integer("Attachment Count", {
        compute: (row, db) => onRecord("res_model", "ir.attachment", def.name)(row, db).length,
      }),
    },
    methods: {
      ...def.methods,
      message_post: messagePost(def.name),
      message_notify: messageNotify(def.name),
      message_subscribe: messageSubscribe(def.name),
    },
  };
}

/** `{{ object.name }}` and dotted paths through many2ones, as the template's inline_template renders them. */
function renderInline(db: Database, template: string, modelName: string, resId: number): string {
  return template.replace(/\{\{\s*object\.([\w.]+)(?:\s+or\s+'([^']*)')?\s*\}\}/g, (_all, path: string, fallback) => {
    let model = db.requireModel(modelName);
    let row: Row | undefined = model.rows.get(resId);
    const names = path.split(".");
    for (const [index, name] of names.entries()) {
      if (!row) return fallback ?? "";
      const value = db.value(model, row, name);
      if (index === names.length - 1) return value === false || value === undefined ? (fallback ?? "") : String(value);
      const relation = model.fields.get(name)?.relation;
      if (!relation || typeof value !== "number") return fallback ?? "";
      model = db.requireModel(relation);
      row = model.rows.get(value);
    }
    return fallback ?? "";
  });
}

/**
 * mail.compose.message `create` (model_create_multi): in comment mode on one record, the template's
 * subject and body are rendered and its reports generated as attachments on the composer
 * (`_compute_subject`, `_compute_body`, `_compute_attachment_ids`).
 */
async function createComposer(env: Env, _args: unknown[], bound: Bound): Promise<unknown> {
  const { db } = env;
  const composer = db.requireModel("mail.compose.message");
  checkAccess(env, composer, "create");
  const single = !Array.isArray(bound.vals_list);
  const list = (single ? [bound.vals_list] : bound.vals_list) as Record<string, unknown>[];
  const ids: number[] = [];
  for (const values of list) {
    const id = createRecord(env, composer, values ?? {});
    const row = composer.rows.get(id) as Row;
    const template = db.requireModel("mail.template").rows.get(row.template_id as number);
    const resIds = parseResIds(row.res_ids);
    if (template && row.composition_mode === "comment" && resIds.length === 1 && typeof row.model === "string") {
      const resId = resIds[0] as number;
      const model = db.model(row.model);
      if (!model?.rows.has(resId)) throw missingRecords(env, model ?? composer, [resId]);
      checkAccess(env, model, "read");
      if (!("subject" in values)) row.subject = renderInline(db, String(template.subject ?? ""), row.model, resId);
      if (!("body" in values)) row.body = renderInline(db, String(template.body_html ?? ""), row.model, resId);
      const reports = (template.report_template_ids as number[] | undefined) ?? [];
      const generated: number[] = [];
      for (const reportId of reports) {
        const report = db.requireModel("ir.actions.report").rows.get(reportId) as Row;
        const pdf = await renderReportPdf(db, report, [resId]);
        generated.push(
          createRecord({ ...env, group: "admin" }, db.requireModel("ir.attachment"), {
            name: `${db.displayNameOf(row.model, resId)}.pdf`,
            datas: Buffer.from(pdf).toString("base64"),
            mimetype: "application/pdf",
            res_model: "mail.compose.message",
            res_id: 0,
          }),
        );
      }
      row.attachment_ids = [...((row.attachment_ids as number[]) ?? []), ...generated];
    }
    ids.push(id);
  }
  return single ? ids[0] : ids;
}

/**
 * The composer's Send button (mail_compose_message.py `action_send_mail`, every release): in comment mode,
 * message_post on each document with the composer's subject, body (an Html field: HTML kept), partners and
 * attachments, as a Discussions message; it answers a window-closing action. Under `mark_so_as_sent`,
 * sale.order's message_post marks a draft quotation sent and notifies the author when they are a
 * recipient (17.0 sale_order.py L1457-1463); recipients then follow the document (`mail_post_autofollow`).
 */
const sendComposerMail: RecordMethod = (env, ids) => {
  const composers = env.db.requireModel("mail.compose.message");
  const missing = ids.filter((id) => !composers.rows.has(id));
  if (missing.length > 0) throw missingRecords(env, composers, missing);
  for (const id of ids) {
    const row = composers.rows.get(id) as Row;
    const modelName = String(row.model);
    const model = env.db.requireModel(modelName);
    const partnerIds = (row.partner_ids as number[] | undefined) ?? [];
    for (const resId of parseResIds(row.res_ids)) {
      const markSent = modelName === "sale.order" && env.context.mark_so_as_sent === true;
      const order = model.rows.get(resId);
      if (markSent && order?.state === "draft") order.state = "sent";
      messagePost(modelName)(env, [resId], [], {
        body: row.body || "",
        body_is_html: true,
        subject: row.subject || false,
        message_type: "comment",
        subtype_xmlid: "mail.mt_comment",
        partner_ids: partnerIds,
        attachment_ids: (row.attachment_ids as number[] | undefined) ?? [],
        "**kwargs": markSent ? { notify_author: partnerIds.includes(partnerOf(env) ?? 0) } : {},
      });
      subscribe(env, modelName, resId, partnerIds);
    }
  }
  return { type: "ir.actions.act_window_close" };
};

/** res_ids is a Text field holding a Python list, `"[12]"` (17.0 on). */
function parseResIds(value: unknown): number[] {
  if (typeof value !== "string") return [];
  return (value.match(/\d+/g) ?? []).map(Number);
}

const MIMETYPES: Record<string, string> = {
  txt: "text/plain",
  csv: "text/csv",
  html: "text/html",
  json: "application/json",
  xml: "application/xml",
  md: "text/markdown",
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
};

/**
 * `_compute_mimetype`: the given one, else guessed from the name, else application/octet-stream; then
 * `_check_contents`: an HTML- or XML-like type becomes text/plain unless the user may write views (the
 * Settings group) and the context does not ask for it (`attachments_mime_plainxml`), so a stored page
 * cannot run in Odoo's origin.
 */
function attachmentDefaults(values: Record<string, unknown>, _db: Database, env: Env): void {
  const extension = /\.([a-z0-9]+)$/i.exec(String(values.name ?? ""))?.[1]?.toLowerCase() ?? "";
  if (!values.mimetype) values.mimetype = MIMETYPES[extension] ?? "application/octet-stream";
  const mimetype = String(values.mimetype);
  const xmlLike = mimetype.includes("ht") || (mimetype.includes("xml") && !mimetype.includes("openxmlformats"));
  if (xmlLike && (env.context.attachments_mime_plainxml || env.group !== "admin")) values.mimetype = "text/plain";
  if (values.type === undefined || values.type === false) values.type = "binary";
}

const fileSize = (row: Row) => (typeof row.datas === "string" ? Buffer.from(row.datas, "base64").length : 0);

const subtypeFields = {
  name: field.char("Message Type", { required: true }),
  internal: field.boolean("Internal Only", { default: false }),
  default: field.boolean("Default", { default: true }),
};

export const mailModels: ModelDef[] = [
  { name: "mail.message.subtype", description: "Message subtypes", order: "sequence, id", fields: subtypeFields },
  {
    name: "mail.message",
    description: "Message",
    order: "id desc",
    recName: "record_name",
    fields: {
      subject: field.char("Subject"),
      body: field.html("Contents"),
      model: field.char("Related Document Model"),
      res_id: field.integer("Related Document ID", { aggregator: undefined }),
      record_name: field.char("Message Record Name"),
      message_type: field.selection(
        "Type",
        [
          ["email", "Incoming Email"],
          ["comment", "Comment"],
          ["email_outgoing", "Outgoing Email"],
          ["notification", "System notification"],
          ["auto_comment", "Automated Targeted Notification"],
          ["user_notification", "User Specific Notification"],
        ],
        { required: true, default: "comment" },
      ),
      subtype_id: field.many2one("Subtype", "mail.message.subtype", { ondelete: "set null" }),
      author_id: field.many2one("Author", "res.partner"),
      partner_ids: field.many2many("Recipients", "res.partner"),
      attachment_ids: field.many2many("Attachments", "ir.attachment"),
      date: field.datetime("Date", { default: (db: Database) => db.now() }),
      // mail_message.py 17.0 L191: the outgoing mails of a message, for Settings only.
      mail_ids: field.one2many("Mails", "mail.mail", "mail_message_id", { groups: ["base.group_system"] }),
    },
  },
  {
    name: "mail.followers",
    description: "Document Followers",
    order: "id",
    recName: "res_model",
    fields: {
      res_model: field.char("Related Document Model Name", { required: true }),
      res_id: field.integer("Related Document ID", { aggregator: undefined }),
      partner_id: field.many2one("Related Partner", "res.partner", { required: true, ondelete: "cascade" }),
      subtype_ids: field.many2many("Subtype", "mail.message.subtype"),
    },
  },
  {
    name: "mail.mail",
    description: "Outgoing Mails",
    order: "id desc",
    recName: "subject",
    // access_mail_mail_system: Settings only (addons/mail/security/ir.model.access.csv).
    userAccess: [],
    fields: {
      mail_message_id: field.many2one("Message", "mail.message", { ondelete: "cascade" }),
      subject: field.char("Subject"),
      body_html: field.text("Text Contents"),
      email_from: field.char("From"),
      email_to: field.text("To"),
      recipient_ids: field.many2many("To (Partners)", "res.partner"),
      attachment_ids: field.many2many("Attachments", "ir.attachment"),
      model: field.char("Related Document Model"),
      res_id: field.integer("Related Document ID", { aggregator: undefined }),
      state: field.selection(
        "Status",
        [
          ["outgoing", "Outgoing"],
          ["sent", "Sent"],
          ["received", "Received"],
          ["exception", "Delivery Failed"],
          ["cancel", "Cancelled"],
        ],
        { default: "outgoing" },
      ),
    },
  },
  {
    name: "ir.attachment",
    description: "Attachment",
    order: "id desc",
    beforeCreate: attachmentDefaults,
    // ir_attachment.py `_search` (17.0 L524-529, 19.0 L590+): the values of binary fields kept as
    // attachments are left out unless the domain names `id` or `res_field`.
    searchDomain: (domain) =>
      domain.some((term) => Array.isArray(term) && (term[0] === "id" || term[0] === "res_field"))
        ? domain
        : [["res_field", "=", false], ...domain],
    fields: {
      name: field.char("Name", { required: true }),
      description: field.text("Description"),
      res_model: field.char("Resource Model"),
      res_field: field.char("Resource Field"),
      res_id: field.integer("Resource ID", { aggregator: undefined }),
      type: field.selection(
        "Type",
        [
          ["url", "URL"],
          ["binary", "File"],
        ],
        { default: "binary", required: true },
      ),
      datas: field.binary("File Content (base64)"),
      mimetype: field.char("Mime Type"),
      file_size: field.integer("File Size", { compute: fileSize, stored: true, readonly: true }),
    },
  },
  {
    name: "mail.template",
    description: "Email Templates",
    order: "name",
    fields: {
      name: field.char("Name"),
      model: field.char("Related Document Model", { required: true }),
      subject: field.char("Subject"),
      body_html: field.html("Body"),
      partner_to: field.char("To (Partners)"),
      report_template_ids: field.many2many("Dynamic Reports", "ir.actions.report"),
    },
  },
  {
    name: "mail.compose.message",
    description: "Email composition wizard",
    order: "id",
    recName: "subject",
    // access_mail_compose_message: internal users read, write and create it.
    userAccess: ["read", "write", "create"],
    modelMethods: { create: createComposer },
    methods: { action_send_mail: sendComposerMail },
    methodParams: { create: [["vals_list"]] },
    fields: {
      composition_mode: field.selection(
        "Composition mode",
        [
          ["comment", "Post on a document"],
          ["mass_mail", "Email Mass Mailing"],
        ],
        { default: "comment" },
      ),
      model: field.char("Related Document Model"),
      res_ids: field.text("Related Document IDs"),
      template_id: field.many2one("Use template", "mail.template"),
      subject: field.char("Subject"),
      body: field.html("Contents"),
      partner_ids: field.many2many("Additional Contacts", "res.partner"),
      attachment_ids: field.many2many("Attachments", "ir.attachment"),
      subtype_id: field.many2one("Subtype", "mail.message.subtype"),
      email_layout_xmlid: field.char("Email Notification Layout"),
    },
  },
];

/** The mail demo data: subtypes (with their XML ids), the quotation template, followers of the orders. */
export function loadMailDemo(db: Database, create: (model: string, values: Record<string, unknown>) => number): void {
  const ref = (module: string, name: string, model: string, resId: number) =>
    create("ir.model.data", { module, name, model, res_id: resId });
  const comment = create("mail.message.subtype", { name: "Discussions", internal: false, default: true });
  ref("mail", "mt_comment", "mail.message.subtype", comment);
  const note = create("mail.message.subtype", { name: "Note", internal: true, default: false });
  ref("mail", "mt_note", "mail.message.subtype", note);
  const template = create("mail.template", {
    name: "Sales: Send Quotation",
    model: "sale.order",
    subject: "{{ object.company_id.name }} Quotation (Ref {{ object.name or 'n/a' }})",
    body_html:
      "<p>Hello {{ object.partner_id.name }},<br>Your quotation {{ object.name }} amounting in {{ object.amount_total }} is ready for review.</p>",
    partner_to: "{{ object.partner_id.id }}",
    report_template_ids: [[6, 0, [xmlIdRef(db, "sale.action_report_saleorder") as number]]],
  });
  ref("sale", "email_template_edi_sale", "mail.template", template);
  // The customer and the salesperson follow each order, as confirming or sending one subscribes them.
  const env: Env = { db, uid: 1, group: "admin", context: {} };
  const admin = db.requireModel("res.users").rows.get(2)?.partner_id as number;
  for (const order of rowsOf(db.requireModel("sale.order")))
    subscribe(env, "sale.order", order.id, [order.partner_id as number, admin]);
}

/** An email in the mail queue, as the simulator's introspection shows it to tests. */
export interface QueuedEmail {
  id: number;
  subject: string;
  body: string;
  from: string;
  to: { partnerId: number; name: string; email: string }[];
  model: string | false;
  resId: number;
  attachments: { name: string; mimetype: string; size: number }[];
}

/** The mail queue (mail.mail), oldest first: who would be emailed what. */
export function mailQueue(db: Database): QueuedEmail[] {
  const partners = db.requireModel("res.partner");
  const attachments = db.requireModel("ir.attachment");
  return rowsOf(db.requireModel("mail.mail")).map((mail) => ({
    id: mail.id,
    subject: String(mail.subject || ""),
    body: String(mail.body_html || ""),
    from: String(mail.email_from || ""),
    to: ((mail.recipient_ids as number[]) ?? []).map((id) => {
      const partner = partners.rows.get(id) as Row;
      return { partnerId: id, name: String(partner.name), email: String(partner.email) };
    }),
    model: (mail.model as string) || false,
    resId: Number(mail.res_id) || 0,
    attachments: ((mail.attachment_ids as number[]) ?? []).map((id) => {
      const row = attachments.rows.get(id) as Row;
      return { name: String(row.name), mimetype: String(row.mimetype), size: fileSize(row) };
    }),
  }));
}
