/**
 * The public ORM methods each Odoo release exposes through `execute_kw` and JSON-2, with their Python
 * signatures as that release's source writes them. The simulator binds every call against these
 * (orm/methods.ts) and docs/odoo-versions.md cites each one; a test keeps the two in step.
 *
 * Sources (paths in odoo/odoo; pinned copies listed in docs/odoo-versions.md):
 * - 17.0, 18.0: odoo/models.py; 19.0 on: odoo/orm/models.py
 * - formatted_read_group: addons/web/models/models.py (19.0 on)
 * - res.users: odoo/addons/base/models/res_users.py
 * - mail.thread (message_post, message_notify, message_subscribe): addons/mail/models/mail_thread.py
 */
import type { OdooVersion } from "../release.js";

/** A parameter and its Python default as the source writes it (`None`, `0`, `'ilike'`, `()`); none: required. */
export type Param = readonly [name: string, pythonDefault?: string];

export interface Signature {
  params: readonly Param[];
  /** `**read_kwargs`: extra keywords accepted and handed on (search_read hands them to `_read_format`). */
  varKeywords?: string;
  /** Decorated `@api.model` (or `model_create_multi`): no ids; otherwise ids come first (`self`). */
  model: boolean;
  /** The class that defines it, as Python 3.10+ names it in a TypeError (`BaseModel.read()`). */
  owner: string;
  /** `@api.deprecated` / `warnings.warn` text: logged by the server, the call still works. */
  deprecated?: string;
  /** Declared `(self, *, …)`: every parameter is keyword-only. */
  keywordOnly?: boolean;
}

const base = (model: boolean, params: readonly Param[], extra: Partial<Signature> = {}): Signature => ({
  model,
  params,
  owner: "BaseModel",
  ...extra,
});

const COMMON: Record<string, Signature> = {
  search: base(true, [["domain"], ["offset", "0"], ["limit", "None"], ["order", "None"]]),
  search_read: base(
    true,
    [
      ["domain", "None"],
      ["fields", "None"],
      ["offset", "0"],
      ["limit", "None"],
      ["order", "None"],
    ],
    { varKeywords: "read_kwargs" },
  ),
  read: base(false, [
    ["fields", "None"],
    ["load", "'_classic_read'"],
  ]),
  search_count: base(true, [["domain"], ["limit", "None"]]),
  fields_get: base(true, [
    ["allfields", "None"],
    ["attributes", "None"],
  ]),
  create: base(true, [["vals_list"]]),
  write: base(false, [["vals"]]),
  unlink: base(false, []),
};

/** `_read_format(fnames, load='_classic_read')`: where search_read's extra keywords go (all versions). */
export const READ_FORMAT: Signature = base(false, [["fnames"], ["load", "'_classic_read'"]]);

const NAME_SEARCH_ARGS = base(true, [
  ["name", "''"],
  ["args", "None"],
  ["operator", "'ilike'"],
  ["limit", "100"],
]);
const NAME_SEARCH_DOMAIN = base(true, [
  ["name", "''"],
  ["domain", "None"],
  ["operator", "'ilike'"],
  ["limit", "100"],
]);
const READ_GROUP_CLASSIC: readonly Param[] = [
  ["domain"],
  ["fields"],
  ["groupby"],
  ["offset", "0"],
  ["limit", "None"],
  ["orderby", "False"],
  ["lazy", "True"],
];
const GROUPED: readonly Param[] = [
  ["domain"],
  ["groupby", "()"],
  ["aggregates", "()"],
  ["having", "()"],
  ["offset", "0"],
  ["limit", "None"],
  ["order", "None"],
];
const CHECK_ACCESS_RIGHTS: readonly Param[] = [["operation"], ["raise_exception", "True"]];
const ACCESS_DEPRECATION = "check_access_rights() is deprecated since 18.0; use check_access() instead.";

export const SIGNATURES: Record<OdooVersion, Record<string, Signature>> = {
  "17.0": {
    ...COMMON,
    name_search: NAME_SEARCH_ARGS,
    read_group: base(true, READ_GROUP_CLASSIC),
    default_get: base(true, [["fields_list"]]),
    check_access_rights: base(true, CHECK_ACCESS_RIGHTS),
  },
  "18.0": {
    ...COMMON,
    name_search: NAME_SEARCH_ARGS,
    read_group: base(true, READ_GROUP_CLASSIC),
    default_get: base(true, [["fields_list"]]),
    check_access_rights: base(true, CHECK_ACCESS_RIGHTS, { deprecated: ACCESS_DEPRECATION }),
    has_access: base(false, [["operation"]]),
  },
  "19.0": {
    ...COMMON,
    name_search: NAME_SEARCH_DOMAIN,
    read_group: base(true, READ_GROUP_CLASSIC, {
      deprecated:
        "Since 19.0, read_group is deprecated. Please use _read_group in the backend code or formatted_read_group for a complete formatted result",
    }),
    formatted_read_group: base(true, GROUPED),
    default_get: base(true, [["fields"]]),
    check_access_rights: base(true, CHECK_ACCESS_RIGHTS, { deprecated: ACCESS_DEPRECATION }),
    has_access: base(false, [["operation"]]),
  },
  "20.0": {
    ...COMMON,
    name_search: NAME_SEARCH_DOMAIN,
    // The classic read_group is gone: the name now is _read_group made public, rows as tuples.
    read_group: base(true, GROUPED),
    formatted_read_group: base(true, GROUPED),
    default_get: base(true, [["fields"]]),
    has_access: base(false, [["operation"]]),
  },
};

const thread = (params: readonly Param[], keywordOnly = true): Signature => ({
  model: false,
  params,
  owner: "MailThread",
  ...(keywordOnly ? { keywordOnly, varKeywords: "kwargs" } : {}),
});
/** `message_post(self, *, …, **kwargs)`: 17.0 is black-formatted (double quotes), 18.0 on single quotes. */
const messagePost = (quote: string, outgoing: readonly Param[] = []) =>
  thread([
    ["body", `${quote}${quote}`],
    ["subject", "None"],
    ["message_type", `${quote}notification${quote}`],
    ["email_from", "None"],
    ["author_id", "None"],
    ["parent_id", "False"],
    ["subtype_xmlid", "None"],
    ["subtype_id", "False"],
    ["partner_ids", "None"],
    ...outgoing,
    ["attachments", "None"],
    ["attachment_ids", "None"],
    ["body_is_html", "False"],
  ]);
const messageNotify = (quote: string) =>
  thread([
    ["body", `${quote}${quote}`],
    ["subject", "False"],
    ["author_id", "None"],
    ["email_from", "None"],
    ["model", "False"],
    ["res_id", "False"],
    ["subtype_xmlid", "None"],
    ["subtype_id", "False"],
    ["partner_ids", "False"],
    ["attachments", "None"],
    ["attachment_ids", "None"],
  ]);
const MESSAGE_SUBSCRIBE = thread(
  [
    ["partner_ids", "None"],
    ["subtype_ids", "None"],
  ],
  false,
);
/** 19.0 adds the outgoing/incoming addresses to message_post. */
const ADDRESSES: readonly Param[] = [
  ["outgoing_email_to", "False"],
  ["incoming_email_to", "False"],
  ["incoming_email_cc", "False"],
];

/** The public methods of models inheriting mail.thread (20.0 modelled as 19.0: docs/odoo-versions.md). */
export const MAIL_THREAD_SIGNATURES: Record<OdooVersion, Record<string, Signature>> = {
  "17.0": { message_post: messagePost('"'), message_notify: messageNotify('"'), message_subscribe: MESSAGE_SUBSCRIBE },
  "18.0": { message_post: messagePost("'"), message_notify: messageNotify("'"), message_subscribe: MESSAGE_SUBSCRIBE },
  "19.0": {
    message_post: messagePost("'", ADDRESSES),
    message_notify: messageNotify("'"),
    message_subscribe: MESSAGE_SUBSCRIBE,
  },
  "20.0": {
    message_post: messagePost("'", ADDRESSES),
    message_notify: messageNotify("'"),
    message_subscribe: MESSAGE_SUBSCRIBE,
  },
};

/** A Python literal default as the value an RPC call stands for (None is "not given"). */
export function defaultValue(literal: string | undefined): unknown {
  if (literal === undefined || literal === "None") return undefined;
  if (literal === "True") return true;
  if (literal === "False") return false;
  if (literal === "()" || literal === "[]") return [];
  if (/^-?\d+$/.test(literal)) return Number(literal);
  if (/^'.*'$|^".*"$/.test(literal)) return literal.slice(1, -1);
  throw new Error(`no JavaScript value for the Python default ${literal}`);
}

/** `name_search(name='', domain=None, operator='ilike', limit=100)`, as docs/odoo-versions.md shows it. */
export function pythonSignature(name: string, signature: Signature): string {
  const params = signature.params.map(([param, literal]) => (literal === undefined ? param : `${param}=${literal}`));
  if (signature.keywordOnly) params.unshift("*");
  if (signature.varKeywords) params.push(`**${signature.varKeywords}`);
  return `${name}(${params.join(", ")})`;
}

/** Every public ORM method some release has, mail.thread's included. */
export const ORM_METHOD_NAMES = [
  ...new Set([SIGNATURES, MAIL_THREAD_SIGNATURES].flatMap((table) => Object.values(table).flatMap(Object.keys))),
];
