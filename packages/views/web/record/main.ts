/**
 * The Record view (ui://odoo/record): a record odoo_read_records read, its fields under their labels
 * (from the result's `_meta`), and what the person may read of it besides, each asked through the host
 * with the person's own token, scopes and limits: its last chatter messages (odoo_search_read_records on
 * mail.message), its attachments (odoo_list_attachments, short-lived download links) and, on a click, its
 * PDF (odoo_get_report). "Open in Odoo" and the download links go through the host's open-link.
 */
import { RECORDS_META_KEY, type RecordsMeta } from "../contracts.js";
import {
  cellText,
  fill,
  fullscreenButton,
  h,
  placeholder,
  SHOWABLE_TYPES,
  startView,
  type ToolResult,
  textOf,
} from "../shared/index.js";
import { STRINGS } from "./strings.js";
import "./record.css";

const SEARCH_TOOL = "odoo_search_read_records";
const ATTACHMENTS_TOOL = "odoo_list_attachments";
const REPORT_TOOL = "odoo_get_report";
/** Chatter messages shown: the last few, as Odoo's chatter opens. */
const MESSAGES = 5;
/** People write comments and emails; notifications ("Stage changed") are Odoo's own log lines. */
const MESSAGE_TYPES = ["comment", "email", "email_outgoing"];
/** Fields shown before "more fields". */
const KEY_FIELDS = 10;
/** Fields Odoo keeps for itself: nothing a person looks for on a record's card. */
const TECHNICAL =
  /^(id|display_name|__last_update|create_uid|create_date|write_uid|write_date)$|^(message_|activity_|access_|rating_|website_message|has_message|my_activity)/;

type OdooRecord = Record<string, unknown> & { id: number };

/** Something the view asked for: not yet answered, answered, or refused (with the reason). */
type Asked<T> = { state: "busy" } | { state: "done"; value: T } | { state: "refused"; problem: string };

interface Message {
  id: number;
  date: string;
  author_id: [number, string] | false;
  subject: string | false;
  body: string | false;
}

interface Attachment {
  id: number;
  name: string;
  mimetype: string;
  size: number;
  download_url: string;
}

/** What is known of one record besides its fields. */
interface Extras {
  messages: Asked<Message[]>;
  attachments: Asked<Attachment[]>;
  report?: Asked<{ name: string; url: string }>;
}

interface State {
  model: string;
  records: OdooRecord[];
  meta: RecordsMeta;
  /** The fields the model asked for, when it named them: all shown, empty or not. */
  asked?: string[];
  index: number;
  allFields: boolean;
  extras: Map<number, Extras>;
  problem?: string;
}

let state: State | undefined;

const kit = startView({
  name: "odoo-record",
  strings: STRINGS,
  toolResult(result) {
    state = fromResult(result);
    render();
    if (state) loadExtras(state);
  },
  render,
});

function fromResult(result: ToolResult): State {
  const data = (result.structuredContent ?? {}) as { model?: string; records?: OdooRecord[] };
  const asked =
    Array.isArray(kit.input.fields) && kit.input.fields.length > 0 ? (kit.input.fields as string[]) : undefined;
  return {
    model: data.model ?? String(kit.input.model ?? ""),
    records: data.records ?? [],
    meta: (result._meta?.[RECORDS_META_KEY] as RecordsMeta | undefined) ?? { recordUrl: "", fields: {} },
    ...(asked && { asked }),
    index: 0,
    allFields: false,
    extras: new Map(),
  };
}

/** Calls a tool through the host: its structured result, or the reason it gave none. */
async function ask<T>(
  name: string,
  args: Record<string, unknown>,
  pick: (data: Record<string, unknown>) => T,
): Promise<Asked<T>> {
  try {
    const result = await kit.bridge.callTool(name, args);
    return result.isError
      ? { state: "refused", problem: textOf(result) }
      : { state: "done", value: pick(result.structuredContent ?? {}) };
  } catch (error) {
    return { state: "refused", problem: (error as Error).message };
  }
}

/** Updates what is known of record `id` and draws again. */
function update(id: number, change: Partial<Extras>): void {
  const extras = state?.extras.get(id);
  if (!state || !extras) return;
  state.extras.set(id, { ...extras, ...change });
  render();
}

/** Asks for the chosen record's messages and attachments, once per record. */
function loadExtras(current: State): void {
  const record = current.records[current.index];
  if (!record || current.extras.has(record.id)) return;
  current.extras.set(record.id, { messages: { state: "busy" }, attachments: { state: "busy" } });
  const messages = ask(
    SEARCH_TOOL,
    {
      model: "mail.message",
      domain: [
        ["model", "=", current.model],
        ["res_id", "=", record.id],
        ["message_type", "in", MESSAGE_TYPES],
      ],
      fields: ["date", "author_id", "subject", "body"],
      order: "id desc",
      limit: MESSAGES,
    },
    (data) => (data.records as Message[] | undefined) ?? [],
  );
  const attachments = ask(
    ATTACHMENTS_TOOL,
    { model: current.model, id: record.id },
    (data) => (data.attachments as Attachment[] | undefined) ?? [],
  );
  void messages.then((value) => update(record.id, { messages: value }));
  void attachments.then((value) => update(record.id, { attachments: value }));
}

async function getReport(current: State, record: OdooRecord): Promise<void> {
  update(record.id, { report: { state: "busy" } });
  const report = await ask(REPORT_TOOL, { model: current.model, ids: [record.id] }, (data) => ({
    name: String(data.report ?? ""),
    url: String(data.download_url ?? ""),
  }));
  update(record.id, { report });
  if (report.state === "done") await open(report.value.url);
}

async function open(url: string): Promise<void> {
  if (!(await kit.bridge.openLink(url)) && state) {
    state = { ...state, problem: fill(kit.text.openFailed, { url }) };
    render();
  }
}

/** A link that opens through the host (a sandboxed view cannot navigate). */
const hostLink = (url: string, text: string, title: string) =>
  h(
    "a",
    {
      href: url,
      title,
      onclick: (event: MouseEvent) => {
        event.preventDefault();
        void open(url);
      },
    },
    text,
  );

const title = (current: State, record: OdooRecord) =>
  String(record.display_name || record.name || `${current.model} #${record.id}`);

/**
 * Where a field comes among the key fields: the name, the partner, the state, amounts and dates first, as
 * Odoo's forms lead with them; then links and the rest, each in Odoo's order.
 */
function rank(name: string, type: string): number {
  if (name === "name") return 0;
  if (name === "partner_id") return 1;
  if (name === "state") return 2;
  return ({ monetary: 3, date: 4, datetime: 4, many2one: 5 } as Record<string, number>)[type] ?? 6;
}

/** The fields worth showing: those asked for, else the filled-in ones a person reads, key ones first. */
function shownFields(current: State, record: OdooRecord): string[] {
  if (current.asked) return current.asked.filter((name) => name !== "id");
  const type = (name: string) => current.meta.fields[name]?.type ?? "";
  return Object.keys(record)
    .filter((name) => {
      const value = record[name];
      const filled = value !== false && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
      return filled && !TECHNICAL.test(name) && (SHOWABLE_TYPES.has(type(name)) || type(name) === "many2many");
    })
    .sort((a, b) => rank(a, type(a)) - rank(b, type(b)));
}

function details(current: State, record: OdooRecord): HTMLElement {
  const names = shownFields(current, record);
  const shown = current.allFields ? names : names.slice(0, KEY_FIELDS);
  const more = names.length - shown.length;
  return h(
    "section",
    { attrs: { "aria-labelledby": "fields-heading" } },
    h("h2", { id: "fields-heading" }, kit.text.fields),
    h(
      "dl",
      { class: "fields" },
      ...shown.flatMap((name) => {
        const field = current.meta.fields[name];
        return [
          h("dt", {}, field?.label ?? name),
          h("dd", {}, cellText(kit.format, kit.text, record, name, field) || "—"),
        ];
      }),
    ),
    more > 0 || current.allFields
      ? h(
          "button",
          {
            type: "button",
            id: "more-fields",
            attrs: { "aria-expanded": String(current.allFields) },
            onclick: () => {
              if (state) state = { ...state, allFields: !state.allFields };
              render();
            },
          },
          current.allFields ? kit.text.fewerFields : fill(kit.text.moreFields, { count: more }),
        )
      : null,
  );
}

/** A section whose content was asked for: loading, refused, empty or listed. */
function asked<T>(id: string, heading: string, value: Asked<T[]>, empty: string, list: (items: T[]) => Node[]) {
  const body =
    value.state === "busy"
      ? [h("p", { class: "muted" }, kit.text.loading)]
      : value.state === "refused"
        ? [h("p", { class: "danger", attrs: { role: "alert" } }, fill(kit.text.callFailed, { message: value.problem }))]
        : value.value.length === 0
          ? [h("p", { class: "muted" }, empty)]
          : list(value.value);
  return h(
    "section",
    { attrs: { "aria-labelledby": id, "aria-busy": String(value.state === "busy") } },
    h("h2", { id }, heading),
    ...body,
  );
}

/** A message body is Odoo's HTML: read as text only (parsed inert, never put into the page as HTML). */
const bodyText = (html: string | false) =>
  html ? (new DOMParser().parseFromString(html, "text/html").body.textContent ?? "").trim() : "";

function messages(extras: Extras): HTMLElement {
  return asked("messages-heading", kit.text.messages, extras.messages, kit.text.noMessages, (items) => [
    h(
      "ol",
      { class: "messages" },
      ...items.map((message) =>
        h(
          "li",
          {},
          h(
            "p",
            { class: "meta muted" },
            h("strong", {}, message.author_id ? message.author_id[1] : ""),
            " · ",
            h("time", { dateTime: `${message.date.replace(" ", "T")}Z` }, kit.format.dateTime(message.date)),
          ),
          message.subject ? h("p", { class: "subject" }, message.subject) : null,
          h("p", { class: "body" }, bodyText(message.body)),
        ),
      ),
    ),
  ]);
}

function attachments(extras: Extras): HTMLElement {
  return asked("attachments-heading", kit.text.attachments, extras.attachments, kit.text.noAttachments, (items) => [
    h(
      "ul",
      { class: "files" },
      ...items.map((file) =>
        h(
          "li",
          {},
          hostLink(file.download_url, file.name, fill(kit.text.download, { name: file.name })),
          h("span", { class: "muted" }, `${file.mimetype} · ${kit.format.fileSize(file.size)}`),
        ),
      ),
    ),
    h("p", { class: "muted small" }, kit.text.linksExpire),
  ]);
}

function actions(current: State, record: OdooRecord, extras: Extras | undefined): HTMLElement {
  const url = current.meta.recordUrl.replace("{id}", String(record.id));
  const report = extras?.report;
  return h(
    "div",
    { class: "actions" },
    current.meta.recordUrl
      ? h("button", { type: "button", id: "open-in-odoo", onclick: () => void open(url) }, kit.text.openInOdoo)
      : null,
    report?.state === "done"
      ? hostLink(report.value.url, fill(kit.text.reportReady, { name: report.value.name }), report.value.name)
      : h(
          "button",
          {
            type: "button",
            id: "get-report",
            disabled: report?.state === "busy",
            onclick: () => void getReport(current, record),
          },
          report?.state === "busy" ? kit.text.loading : kit.text.report,
        ),
    fullscreenButton(kit),
    report?.state === "refused"
      ? h("p", { class: "danger", attrs: { role: "alert" } }, fill(kit.text.callFailed, { message: report.problem }))
      : null,
  );
}

function picker(current: State): HTMLElement | null {
  if (current.records.length < 2) return null;
  return h(
    "div",
    { class: "picker" },
    h("label", { htmlFor: "pick" }, kit.text.pick),
    h(
      "select",
      {
        id: "pick",
        onchange: (event: Event) => {
          if (!state) return;
          state = { ...state, index: Number((event.target as HTMLSelectElement).value), allFields: false };
          render();
          loadExtras(state);
        },
      },
      ...current.records.map((record, index) =>
        h("option", { value: String(index), selected: index === current.index }, title(current, record)),
      ),
    ),
  );
}

function render(): void {
  if (!state) {
    kit.draw(placeholder(kit));
    return;
  }
  const current = state;
  const record = current.records[current.index];
  if (!record) {
    kit.draw(h("p", { class: "muted" }, kit.text.empty));
    return;
  }
  const extras = current.extras.get(record.id);
  kit.draw(
    ...[
      picker(current),
      h("header", {}, h("h1", {}, title(current, record)), h("p", { class: "muted" }, current.model)),
      actions(current, record, extras),
      current.problem ? h("p", { class: "danger", attrs: { role: "alert" } }, current.problem) : null,
      h(
        "div",
        { class: "columns" },
        details(current, record),
        h("div", {}, ...(extras ? [messages(extras), attachments(extras)] : [])),
      ),
    ].filter((node): node is HTMLElement => node !== null),
  );
}
