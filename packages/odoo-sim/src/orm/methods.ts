/**
 * The ORM methods Odoo 17 exposes through `execute_kw`, with Python's argument binding and errors
 * (odoo/api.py `call_kw`, odoo/models.py). Arguments arrive positionally and/or as keywords.
 */
import { searchRows } from "../domain.js";
import { PythonError } from "../faults.js";
import { checkAccess, hasAccess, type Operation } from "./access.js";
import { createRecord, unlinkRecords, writeRecords } from "./crud.js";
import type { Model } from "./database.js";
import type { Env } from "./env.js";
import { type FieldDef, isNumeric } from "./fields.js";
import { sortRows } from "./order.js";
import { pyRepr } from "./python.js";
import { readGroup } from "./read-group.js";
import { readValue } from "./values.js";

type Params = readonly (readonly [name: string, fallback: unknown])[];
type Bound = Record<string, unknown>;

interface OrmMethod {
  params: Params;
  /** Record methods take the ids as their first positional argument (`self`). */
  onRecords: boolean;
  /** Accepts extra keyword arguments (`**kwargs`), e.g. search_read passes them on to read. */
  extraKeywords?: boolean;
  run: (env: Env, model: Model, bound: Bound, ids: number[]) => unknown;
}

/** Binds positional and keyword arguments like a Python call, with Python's TypeErrors. */
function bindArguments(name: string, method: OrmMethod, args: unknown[], kwargs: Record<string, unknown>): Bound {
  const { params } = method;
  if (args.length > params.length) {
    throw new PythonError(
      "TypeError",
      `${name}() takes ${params.length + 1} positional arguments but ${args.length + 1} were given`,
    );
  }
  const bound: Bound = {};
  params.forEach(([param, fallback], index) => {
    bound[param] = index < args.length ? args[index] : fallback;
  });
  for (const [key, value] of Object.entries(kwargs)) {
    const index = params.findIndex(([param]) => param === key);
    if (index < 0 && !method.extraKeywords)
      throw new PythonError("TypeError", `${name}() got an unexpected keyword argument '${key}'`);
    if (index >= 0 && index < args.length)
      throw new PythonError("TypeError", `${name}() got multiple values for argument '${key}'`);
    bound[key] = value;
  }
  // odoo-await sends JS `undefined` as an empty <value/>, which Odoo reads as '': falsy, so "not given"
  // for offset, limit, order, fields and context. Where the default is text ('' load), '' keeps its meaning.
  for (const [param, fallback] of params)
    if (bound[param] === "" && typeof fallback !== "string") bound[param] = fallback;
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
  const names = checkFields(model, fields);
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
  const stored = !def.compute || Boolean(def.stored || def.delegatedThrough);
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
    ...(def.selection ? { selection: def.selection.map(([key, label]) => [key, label]) } : {}),
    ...(isNumeric(def) && def.aggregator ? { group_operator: def.aggregator } : {}),
  };
}

const ORM_METHODS: Record<string, OrmMethod> = {
  search: {
    params: [
      ["domain", []],
      ["offset", 0],
      ["limit", undefined],
      ["order", undefined],
    ],
    onRecords: false,
    run: (env, model, bound) => search(env, model, bound),
  },
  search_read: {
    params: [
      ["domain", []],
      ["fields", undefined],
      ["offset", 0],
      ["limit", undefined],
      ["order", undefined],
    ],
    onRecords: false,
    extraKeywords: true,
    run: (env, model, bound) => {
      checkFields(model, bound.fields);
      return readRecords(env, model, search(env, model, bound), bound.fields, bound.load ?? "_classic_read");
    },
  },
  search_count: {
    params: [
      ["domain", []],
      ["limit", undefined],
    ],
    onRecords: false,
    run: (env, model, bound) => {
      checkAccess(env, model, "read");
      const count = searchRows(env, model, bound.domain ?? []).length;
      const limit = asNumber(bound.limit, undefined);
      return limit ? Math.min(count, limit) : count;
    },
  },
  read: {
    params: [
      ["fields", undefined],
      ["load", "_classic_read"],
    ],
    onRecords: true,
    run: (env, model, bound, ids) => readRecords(env, model, ids, bound.fields, bound.load),
  },
  create: {
    params: [["vals_list", undefined]],
    onRecords: false,
    run: (env, model, bound) => {
      checkAccess(env, model, "create");
      const { vals_list: values } = bound;
      const isDict = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
      if (isDict(values)) return createRecord(env, model, values as Record<string, unknown>);
      if (Array.isArray(values) && values.every(isDict)) {
        return values.map((entry) => createRecord(env, model, entry as Record<string, unknown>));
      }
      throw new PythonError("ValueError", `Wrong value for ${model.name}.create(): ${pyRepr(values)}`);
    },
  },
  write: {
    params: [["vals", undefined]],
    onRecords: true,
    run: (env, model, bound, ids) => {
      checkAccess(env, model, "write");
      const values = (bound.vals ?? {}) as Record<string, unknown>;
      for (const name of Object.keys(values)) {
        if (!model.fields.has(name))
          throw new PythonError("ValueError", `Invalid field '${name}' on model '${model.name}'`);
      }
      writeRecords(env, model, ids, values);
      return true;
    },
  },
  unlink: {
    params: [],
    onRecords: true,
    run: (env, model, _bound, ids) => {
      checkAccess(env, model, "unlink");
      unlinkRecords(env, model, ids);
      return true;
    },
  },
  fields_get: {
    params: [
      ["allfields", undefined],
      ["attributes", undefined],
    ],
    onRecords: false,
    run: (env, model, bound) => {
      checkAccess(env, model, "read");
      const wanted =
        Array.isArray(bound.allfields) && bound.allfields.length > 0 ? new Set(bound.allfields) : undefined;
      const attributes = Array.isArray(bound.attributes) && bound.attributes.length > 0 ? bound.attributes : undefined;
      const result: Record<string, Record<string, unknown>> = {};
      for (const [name, def] of model.fields) {
        if (wanted && !wanted.has(name)) continue;
        const description: Record<string, unknown> = fieldDescription(name, def);
        result[name] = attributes
          ? Object.fromEntries(attributes.filter((key) => key in description).map((key) => [key, description[key]]))
          : description;
      }
      return result;
    },
  },
  name_search: {
    params: [
      ["name", ""],
      ["args", undefined],
      ["operator", "ilike"],
      ["limit", 100],
    ],
    onRecords: false,
    run: (env, model, bound) => {
      checkAccess(env, model, "read");
      const name = typeof bound.name === "string" ? bound.name : "";
      const operator = String(bound.operator || "ilike");
      const domain = Array.isArray(bound.args) ? [...bound.args] : [];
      if (name !== "" || !["ilike", "like", "=like", "=ilike"].includes(operator)) {
        const nameFields = [model.recName, ...(model.def.nameSearchFields ?? [])];
        const leaves = nameFields.map((field) => [field, operator, name]);
        const negative = operator.startsWith("not ") || operator === "!=";
        const joiner = negative ? "&" : "|";
        domain.unshift(...Array(leaves.length - 1).fill(joiner), ...leaves);
        if (bound.args && Array.isArray(bound.args) && bound.args.length > 0) domain.unshift("&");
      }
      const ids = search(env, model, { domain, limit: asNumber(bound.limit, 100) });
      return ids.map((id) => [id, env.db.displayNameOf(model.name, id)]);
    },
  },
  read_group: {
    params: [
      ["domain", []],
      ["fields", []],
      ["groupby", []],
      ["offset", 0],
      ["limit", undefined],
      ["orderby", false],
      ["lazy", true],
    ],
    onRecords: false,
    run: (env, model, bound) => {
      checkAccess(env, model, "read");
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
  },
  check_access_rights: {
    params: [
      ["operation", undefined],
      ["raise_exception", true],
    ],
    onRecords: false,
    run: (env, model, bound) => {
      const operation = bound.operation as Operation;
      if (!["read", "write", "create", "unlink"].includes(operation))
        throw new PythonError("ValueError", "Invalid access mode");
      if (hasAccess(env, operation)) return true;
      if (bound.raise_exception === false) return false;
      checkAccess(env, model, operation);
      return false;
    },
  },
  default_get: {
    params: [["fields_list", undefined]],
    onRecords: false,
    run: (env, model, bound) => {
      checkAccess(env, model, "read");
      const names = checkFields(model, bound.fields_list).filter((name) => name !== "id");
      const result: Record<string, unknown> = {};
      for (const name of names) {
        const def = model.fields.get(name) as FieldDef;
        if (def.default === undefined || def.delegatedThrough) continue;
        result[name] = typeof def.default === "function" ? def.default(env.db, {}) : def.default;
      }
      return result;
    },
  },
};

/** `odoo.api.call_kw`: dispatches a public method of a model, checking the method name first. */
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
  const modelLevel = model.def.modelMethods?.[method];
  if (modelLevel) return modelLevel(scoped, args, rest);
  const custom = model.def.methods?.[method];
  if (custom) {
    if (args.length === 0)
      throw new PythonError("TypeError", `${method}() missing 1 required positional argument: 'self'`);
    return custom(scoped, toIds(args[0]), args.slice(1), rest);
  }
  const orm = ORM_METHODS[method];
  if (!orm)
    throw new PythonError("AttributeError", `The method '${method}' does not exist on the model '${model.name}'`);
  let ids: number[] = [];
  let positional = args;
  if (orm.onRecords) {
    if (args.length === 0)
      throw new PythonError("TypeError", `${method}() missing 1 required positional argument: 'self'`);
    ids = toIds(args[0]);
    positional = args.slice(1);
  }
  const bound = bindArguments(method, orm, positional, rest);
  for (const [param, fallback] of orm.params) {
    if (bound[param] === undefined && fallback === undefined && ["vals_list", "vals", "operation"].includes(param)) {
      throw new PythonError("TypeError", `${method}() missing 1 required positional argument: '${param}'`);
    }
  }
  return orm.run(scoped, model, bound, ids);
}

/** Whether a public method runs on records (its first argument is the ids) or on the model (@api.model). */
export function isRecordMethod(model: Model, method: string): boolean {
  if (model.def.modelMethods?.[method]) return false;
  if (model.def.methods?.[method]) return true;
  return ORM_METHODS[method]?.onRecords ?? true;
}
