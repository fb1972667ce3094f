/**
 * The ORM methods Odoo exposes through `execute_kw`, JSON-2 and the web client's `call_kw`, bound with
 * Python's rules and errors against the release's signatures (odoo/service/model.py `call_kw`,
 * odoo/models.py; orm/signatures.ts). Arguments arrive positionally and/or as keywords.
 */

import { PythonError } from "../faults.js";
import { checkAccess, checkFieldAccess, checkRule, hasAccess, mayUseField, type Operation } from "./access.js";
import { createRecord, invalidField, unlinkRecords, writeRecords } from "./crud.js";
import type { Model } from "./database.js";
import { searchRows } from "./domain.js";
import type { Env } from "./env.js";
import { type FieldDef, isNumeric } from "./fields.js";
import { sortRows } from "./order.js";
import { pyRepr } from "./python.js";
import { formattedReadGroup, type GroupedOptions, groupedTuples, readGroup } from "./read-group.js";
import { defaultValue, MAIL_THREAD_SIGNATURES, READ_FORMAT, SIGNATURES, type Signature } from "./signatures.js";
import { readValue } from "./values.js";

type Bound = Record<string, unknown>;

/**
 * A wrong call as Python reports it: `BaseModel.read() got an unexpected keyword argument 'foo'`
 * (CPython 3.10+ names the defining class). JSON-2 binds arguments with `inspect.Signature.bind`
 * before calling, whose message names no function: it answers `bindMessage` with 422.
 */
export class ArgumentError extends PythonError {
  constructor(
    qualifiedName: string,
    message: string,
    readonly bindMessage: string,
  ) {
    super("TypeError", `${qualifiedName}() ${message}`);
  }
}

/** The call's own arguments did not bind (JSON-2 answers 422); a TypeError deeper in is a 500 there. */
export class CallBindingError extends ArgumentError {}

const quoted = (names: string[]) =>
  names.length === 1
    ? `'${names[0]}'`
    : names.length === 2
      ? `'${names[0]}' and '${names[1]}'`
      : `${names
          .slice(0, -1)
          .map((name) => `'${name}'`)
          .join(", ")}, and '${names.at(-1)}'`;

/** Binds positional and keyword arguments to `signature` like a Python call, with Python's TypeErrors. */
export function bindArguments(
  name: string,
  signature: Signature,
  args: readonly unknown[],
  kwargs: Record<string, unknown>,
): Bound {
  const { params } = signature;
  const qualified = `${signature.owner}.${name}`;
  // After `*` (message_post), nothing but `self` is positional.
  const positional = signature.keywordOnly ? [] : params;
  if (args.length > positional.length) {
    // Python counts `self` among the positional arguments.
    const required = positional.filter(([, literal]) => literal === undefined).length + 1;
    const most = positional.length + 1;
    const takes =
      required === most
        ? `takes ${most} positional argument${most === 1 ? "" : "s"}`
        : `takes from ${required} to ${most} positional arguments`;
    throw new ArgumentError(qualified, `${takes} but ${args.length + 1} were given`, "too many positional arguments");
  }
  const bound: Bound = {};
  params.forEach(([param], index) => {
    if (index < args.length) bound[param] = args[index];
  });
  const extra: Bound = {};
  for (const [key, value] of Object.entries(kwargs)) {
    const index = params.findIndex(([param]) => param === key);
    if (index < 0) {
      if (!signature.varKeywords) {
        const message = `got an unexpected keyword argument '${key}'`;
        throw new ArgumentError(qualified, message, message);
      }
      extra[key] = value;
      continue;
    }
    if (index < args.length) {
      const message = `got multiple values for argument '${key}'`;
      throw new ArgumentError(qualified, message, `multiple values for argument '${key}'`);
    }
    bound[key] = value;
  }
  const missing = params
    .filter(([param, literal]) => literal === undefined && !(param in bound))
    .map(([param]) => param);
  if (missing.length > 0) {
    throw new ArgumentError(
      qualified,
      `missing ${missing.length} required positional argument${missing.length === 1 ? "" : "s"}: ${quoted(missing)}`,
      `missing a required argument: '${missing[0]}'`,
    );
  }
  for (const [param, literal] of params) {
    const fallback = defaultValue(literal);
    if (!(param in bound)) bound[param] = fallback;
    // odoo-await sends JS `undefined` as an empty <value/>, which Odoo reads as '': falsy, so "not given"
    // for offset, limit, order, fields and context. Where the default is text ('' load), '' keeps its meaning.
    else if (bound[param] === "" && typeof fallback !== "string") bound[param] = fallback;
  }
  if (signature.varKeywords) bound[`**${signature.varKeywords}`] = extra;
  return bound;
}

function toIds(value: unknown): number[] {
  const ids = Array.isArray(value) ? value : [value];
  if (!ids.every((id) => typeof id === "number" && Number.isInteger(id))) {
    throw new PythonError("TypeError", `ids must be integers, got ${pyRepr(value)}`);
  }
  return ids as number[];
}

const asNumber = (value: unknown, fallback: number | undefined): number | undefined =>
  typeof value === "number"
    ? value
    : value === false || value === null || value === undefined
      ? fallback
      : Number(value);

function checkFields(model: Model, fields: unknown): string[] {
  if (fields === false || fields === null || fields === undefined || (Array.isArray(fields) && fields.length === 0)) {
    return [...model.fields.keys()];
  }
  const names = Array.isArray(fields) ? fields : [fields];
  for (const name of names) {
    if (typeof name !== "string" || !model.fields.has(name)) {
      throw new PythonError("ValueError", `Invalid field ${pyRepr(name)} on model '${model.name}'`);
    }
  }
  return ["id", ...names.filter((name) => name !== "id")] as string[];
}

function readRecords(env: Env, model: Model, ids: number[], fields: unknown, load: unknown) {
  checkAccess(env, model, "read");
  checkRule(env, model, ids, "read");
  const asked = checkFields(model, fields);
  // Fields named that the user may not use fail the read; without names, only those they may use are read.
  const named = Array.isArray(fields) ? fields.length > 0 : Boolean(fields);
  if (named) checkFieldAccess(env, model, asked, "read");
  const names = named ? asked : asked.filter((name) => mayUseField(env, model.fields.get(name) as FieldDef));
  const classic = load !== false && load !== null && load !== "";
  const rows = ids.flatMap((id) => model.rows.get(id) ?? []);
  return rows.map((row) =>
    Object.fromEntries(names.map((name) => [name, readValue(env.db, model, row, name, classic)])),
  );
}

function search(env: Env, model: Model, bound: Bound): number[] {
  checkAccess(env, model, "read");
  const rows = sortRows(
    env.db,
    model,
    searchRows(env, model, bound.domain ?? []),
    (bound.order as string) || undefined,
  );
  const offset = asNumber(bound.offset, 0) ?? 0;
  const limit = asNumber(bound.limit, undefined);
  return rows.slice(offset, limit ? offset + limit : undefined).map((row) => row.id);
}

function fieldDescription(name: string, def: FieldDef) {
  // display_name is computed (`_compute_display_name`), never stored: 17.0 models.py L248, 19.0 orm/models.py L473.
  const stored = name !== "display_name" && (!def.compute || Boolean(def.stored || def.delegatedThrough));
  return {
    name,
    type: def.type,
    string: def.string,
    help: def.help ?? false,
    required: Boolean(def.required),
    readonly: Boolean(def.readonly),
    store: stored,
    searchable: true,
    sortable: stored && def.type !== "one2many" && def.type !== "many2many",
    groupable: stored && def.type !== "one2many",
    exportable: true,
    manual: false,
    company_dependent: false,
    change_default: false,
    depends: [],
    ...(def.relation ? { relation: def.relation, context: {}, domain: [] } : {}),
    ...(def.inverseName ? { relation_field: def.inverseName } : {}),
    // `_description_groups`: the groups a field is restricted to, as the field declares them (fields.py).
    ...(def.groups ? { groups: def.groups.join(",") } : {}),
    ...(def.selection ? { selection: def.selection.map(([key, label]) => [key, label]) } : {}),
    ...(isNumeric(def) && def.aggregator ? { group_operator: def.aggregator } : {}),
  };
}

type Implementation = (env: Env, model: Model, bound: Bound, ids: number[]) => unknown;

/** What each public ORM method does; which exist and how they bind is the release's (orm/signatures.ts). */
const IMPLEMENTATIONS: Record<string, Implementation> = {
  search: (env, model, bound) => search(env, model, bound),
  search_read: (env, model, bound) => {
    // search_read hands its extra keywords to `_read_format(fnames, load)`, which refuses any other.
    const extra = bindArguments("_read_format", READ_FORMAT, [bound.fields], bound["**read_kwargs"] as Bound);
    checkFields(model, bound.fields);
    return readRecords(env, model, search(env, model, bound), bound.fields, extra.load);
  },
  search_count: (env, model, bound) => {
    checkAccess(env, model, "read");
    const count = searchRows(env, model, bound.domain ?? []).length;
    const limit = asNumber(bound.limit, undefined);
    return limit ? Math.min(count, limit) : count;
  },
  read: (env, model, bound, ids) => readRecords(env, model, ids, bound.fields, bound.load),
  create: (env, model, bound) => {
    checkAccess(env, model, "create");
    const { vals_list: values } = bound;
    const isDict = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    if (isDict(values)) return createRecord(env, model, values as Record<string, unknown>);
    if (Array.isArray(values) && values.every(isDict)) {
      return values.map((entry) => createRecord(env, model, entry as Record<string, unknown>));
    }
    throw new PythonError("ValueError", `Wrong value for ${model.name}.create(): ${pyRepr(values)}`);
  },
  write: (env, model, bound, ids) => {
    checkAccess(env, model, "write");
    checkRule(env, model, ids, "write");
    const values = (bound.vals ?? {}) as Record<string, unknown>;
    for (const name of Object.keys(values)) if (!model.fields.has(name)) throw invalidField(model, name);
    writeRecords(env, model, ids, values);
    return true;
  },
  unlink: (env, model, _bound, ids) => {
    checkAccess(env, model, "unlink");
    checkRule(env, model, ids, "unlink");
    unlinkRecords(env, model, ids);
    return true;
  },
  fields_get: (env, model, bound) => {
    checkAccess(env, model, "read");
    const wanted = Array.isArray(bound.allfields) && bound.allfields.length > 0 ? new Set(bound.allfields) : undefined;
    const attributes = Array.isArray(bound.attributes) && bound.attributes.length > 0 ? bound.attributes : undefined;
    const result: Record<string, Record<string, unknown>> = {};
    for (const [name, def] of model.fields) {
      if ((wanted && !wanted.has(name)) || !mayUseField(env, def)) continue;
      const description: Record<string, unknown> = fieldDescription(name, def);
      result[name] = attributes
        ? Object.fromEntries(attributes.filter((key) => key in description).map((key) => [key, description[key]]))
        : description;
    }
    return result;
  },
  name_search: (env, model, bound) => {
    checkAccess(env, model, "read");
    const name = typeof bound.name === "string" ? bound.name : "";
    const operator = String(bound.operator || "ilike");
    // `args` up to 18.0, `domain` from 19.0: whichever the release's signature bound.
    const filter = bound.domain ?? bound.args;
    const domain = Array.isArray(filter) ? [...filter] : [];
    if (name !== "" || !["ilike", "like", "=like", "=ilike"].includes(operator)) {
      const nameFields = [model.recName, ...(model.def.nameSearchFields ?? [])];
      const leaves = nameFields.map((field) => [field, operator, name]);
      const negative = operator.startsWith("not ") || operator === "!=";
      const joiner = negative ? "&" : "|";
      domain.unshift(...Array(leaves.length - 1).fill(joiner), ...leaves);
      if (Array.isArray(filter) && filter.length > 0) domain.unshift("&");
    }
    const limit = asNumber(bound.limit, 100);
    // A model's own name_search may look up one field first (res.country: a two-letter name as a code).
    const first = model.def.nameSearchFirst;
    const negative = operator.startsWith("not ") || operator === "!=";
    const preferred =
      first && !negative && first.when(name)
        ? search(env, model, {
            domain: [
              ...(Array.isArray(filter) && filter.length > 0 ? ["&", ...filter] : []),
              [first.field, operator, name],
            ],
            limit,
          })
        : [];
    const left = limit === undefined ? undefined : limit - preferred.length;
    const rest =
      left !== undefined && left <= 0
        ? []
        : search(env, model, {
            domain: preferred.length > 0 ? ["&", ["id", "not in", preferred], ...domain] : domain,
            limit: left,
          });
    return [...preferred, ...rest].map((id) => [id, env.db.displayNameOf(model.name, id)]);
  },
  read_group: (env, model, bound) => {
    checkAccess(env, model, "read");
    // 17.0–19.0: (domain, fields, groupby, …, orderby, lazy) answering dicts; 20.0: the tuple API.
    if (!("lazy" in bound)) return groupedTuples(env, model, groupedOptions(bound));
    const groupby = typeof bound.groupby === "string" ? [bound.groupby] : ((bound.groupby ?? []) as string[]);
    return readGroup(env, model, {
      domain: bound.domain ?? [],
      fields: (bound.fields ?? []) as unknown[],
      groupby,
      offset: asNumber(bound.offset, 0) ?? 0,
      limit: asNumber(bound.limit, undefined),
      orderby: (bound.orderby as string) || undefined,
      lazy: bound.lazy !== false,
    });
  },
  formatted_read_group: (env, model, bound) => {
    checkAccess(env, model, "read");
    return formattedReadGroup(env, model, groupedOptions(bound));
  },
  check_access_rights: (env, model, bound) => {
    const operation = checkedOperation(bound.operation);
    if (hasAccess(env, operation, model)) return true;
    if (bound.raise_exception === false) return false;
    checkAccess(env, model, operation);
    return false;
  },
  has_access: (env, model, bound) => hasAccess(env, checkedOperation(bound.operation), model),
  default_get: (env, model, bound) => {
    checkAccess(env, model, "read");
    // `fields_list` up to 18.0, `fields` from 19.0.
    const names = checkFields(model, bound.fields ?? bound.fields_list).filter((name) => name !== "id");
    const result: Record<string, unknown> = {};
    for (const name of names) {
      const def = model.fields.get(name) as FieldDef;
      if (def.default === undefined || def.delegatedThrough) continue;
      result[name] = typeof def.default === "function" ? def.default(env.db, {}) : def.default;
    }
    return result;
  },
};

function checkedOperation(operation: unknown): Operation {
  if (!["read", "write", "create", "unlink"].includes(operation as string))
    throw new PythonError("ValueError", "Invalid access mode");
  return operation as Operation;
}

function groupedOptions(bound: Bound): GroupedOptions {
  const list = (value: unknown) => (Array.isArray(value) ? value : typeof value === "string" ? [value] : []);
  return {
    domain: bound.domain ?? [],
    groupby: list(bound.groupby) as string[],
    aggregates: list(bound.aggregates) as string[],
    having: list(bound.having),
    offset: asNumber(bound.offset, 0) ?? 0,
    limit: asNumber(bound.limit, undefined),
    order: (bound.order as string) || undefined,
  };
}

/** `ResPartner`, as Python names the class that defines a model's own methods. */
const className = (model: Model) =>
  model.name
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");

/** The signature a public method of `model` has in this release, or undefined when it has none. */
export function signatureOf(env: Pick<Env, "db">, model: Model, method: string): Signature | undefined {
  const thread = model.def.mailThread ? MAIL_THREAD_SIGNATURES[env.db.release.version][method] : undefined;
  if (thread) return thread;
  const own = model.def.modelMethods?.[method] ? true : model.def.methods?.[method] ? false : undefined;
  if (own !== undefined) {
    return { model: own, params: model.def.methodParams?.[method] ?? [], owner: className(model) };
  }
  return SIGNATURES[env.db.release.version][method];
}

/**
 * `odoo.service.model.call_kw`: finds the public method (AttributeError when the release has none),
 * takes the ids off the arguments of a record method, binds the rest, and runs it in the call's context.
 */
export function callKw(
  env: Env,
  model: Model,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): unknown {
  const { context, ...rest } = kwargs;
  const scoped: Env =
    context && typeof context === "object" ? { ...env, context: { ...env.context, ...context } } : env;
  const signature = signatureOf(env, model, method);
  if (!signature) {
    const message =
      env.db.release.major < 18
        ? `The method '${method}' does not exist on the model '${model.name}'`
        : `The method '${model.name}.${method}' does not exist`;
    throw new PythonError("AttributeError", message);
  }
  let ids: number[] = [];
  let positional = args;
  if (!signature.model) {
    if (args.length === 0) {
      throw new ArgumentError(
        `${signature.owner}.${method}`,
        "missing 1 required positional argument: 'self'",
        "missing a required argument: 'self'",
      );
    }
    ids = toIds(args[0]);
    positional = args.slice(1);
  }
  let bound: Bound;
  try {
    bound = bindArguments(method, signature, positional, rest);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    throw new CallBindingError(
      `${signature.owner}.${method}`,
      error.message.replace(/^[\w.]+\(\) /, ""),
      error.bindMessage,
    );
  }
  if (signature.deprecated) env.db.warn(signature.deprecated);
  return env.db.withLanguage(scoped.context.lang, () => {
    const modelLevel = model.def.modelMethods?.[method];
    if (modelLevel) return modelLevel(scoped, [], bound);
    const custom = model.def.methods?.[method];
    if (custom) return custom(scoped, ids, [], bound);
    return (IMPLEMENTATIONS[method] as Implementation)(scoped, model, bound, ids);
  });
}

/** Whether a public method runs on records (its first argument is the ids) or on the model (@api.model). */
export function isRecordMethod(env: Pick<Env, "db">, model: Model, method: string): boolean {
  return !(signatureOf(env, model, method)?.model ?? false);
}
