/**
 * Grouped reads, one engine and the three shapes Odoo answers in:
 * - `read_group` 17.0–19.0 (odoo/models.py): dicts with `__count`/`<field>_count`, `__domain`, `__range`;
 * - `formatted_read_group` 19.0 on (addons/web/models/models.py): dicts keyed by the specs themselves,
 *   `__extra_domain`, dates as `[start, label]`;
 * - `read_group` 20.0 (odoo/orm/models.py): `_read_group` made public, rows as tuples of values.
 */

import { PythonError } from "../faults.js";
import type { Model, Row } from "./database.js";
import { normalizeDomain, searchRows } from "./domain.js";
import type { Env } from "./env.js";
import { type FieldDef, OdooFloat } from "./fields.js";

const GRANULARITIES = ["day", "week", "month", "quarter", "year"] as const;
type Granularity = (typeof GRANULARITIES)[number];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

interface GroupBy {
  spec: string;
  field: string;
  def: FieldDef;
  granularity?: Granularity;
}

interface Aggregate {
  alias: string;
  field: string;
  fn: string;
}

export interface ReadGroupOptions {
  domain: unknown;
  fields: unknown[];
  groupby: string[];
  offset: number;
  limit: number | undefined;
  orderby: string | undefined;
  lazy: boolean;
}

function parseGroupBy(model: Model, spec: string, granularityRequired = false): GroupBy {
  const [field, granularity] = spec.split(":") as [string, string | undefined];
  const def = model.fields.get(field);
  if (!def) throw new PythonError("ValueError", `Invalid field '${field}' on model '${model.name}'`);
  if (def.type === "date" || def.type === "datetime") {
    if (granularityRequired && !granularity) throw new PythonError("AssertionError", "Granularity is missing");
    const chosen = (granularity ?? "month") as Granularity;
    if (!GRANULARITIES.includes(chosen))
      throw new PythonError("ValueError", `Invalid groupby specification ${JSON.stringify(spec)}`);
    return { spec, field, def, granularity: chosen };
  }
  return { spec, field, def };
}

const AGGREGATE = /^(\w+)(?::(\w+)(?:\((\w+)\))?)?$/;

function parseAggregates(model: Model, fields: unknown[], groupby: GroupBy[]): Aggregate[] {
  const aggregates: Aggregate[] = [];
  for (const spec of fields) {
    const match = typeof spec === "string" ? AGGREGATE.exec(spec) : null;
    if (!match) throw new PythonError("ValueError", `Invalid field specification ${JSON.stringify(spec)}`);
    const [, alias, fn, source] = match as unknown as [string, string, string | undefined, string | undefined];
    const field = source ?? alias;
    if (field === "__count" || groupby.some((group) => group.field === field)) continue;
    const def = model.fields.get(field);
    if (!def) throw new PythonError("ValueError", `Invalid field '${field}' on model '${model.name}'`);
    const chosen = fn ?? def.aggregator;
    if (!chosen) continue;
    if (!["sum", "avg", "min", "max", "count", "count_distinct", "bool_and", "bool_or", "array_agg"].includes(chosen)) {
      throw new PythonError("ValueError", `Invalid aggregation function ${JSON.stringify(chosen)}.`);
    }
    aggregates.push({ alias, field, fn: chosen });
  }
  return aggregates;
}

/** Start of the period a date belongs to, and the first day of the next one, as `YYYY-MM-DD`. */
function period(value: string, granularity: Granularity): { from: string; to: string; label: string } {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));
  switch (granularity) {
    case "day":
      return {
        from: iso(date),
        to: iso(utc(year, month, date.getUTCDate() + 1)),
        label: `${String(date.getUTCDate()).padStart(2, "0")} ${MONTHS[month]?.slice(0, 3)} ${year}`,
      };
    case "week": {
      const monday = utc(year, month, date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
      const thursday = utc(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate() + 3);
      const weekYear = thursday.getUTCFullYear();
      const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / 604800000) + 1;
      return {
        from: iso(monday),
        to: iso(utc(monday.getUTCFullYear(), monday.getUTCMonth(), monday.getUTCDate() + 7)),
        label: `W${week} ${weekYear}`,
      };
    }
    case "month":
      return { from: iso(utc(year, month, 1)), to: iso(utc(year, month + 1, 1)), label: `${MONTHS[month]} ${year}` };
    case "quarter": {
      const first = month - (month % 3);
      return { from: iso(utc(year, first, 1)), to: iso(utc(year, first + 3, 1)), label: `Q${first / 3 + 1} ${year}` };
    }
    case "year":
      return { from: iso(utc(year, 0, 1)), to: iso(utc(year + 1, 0, 1)), label: String(year) };
  }
}

interface Bucket {
  keys: unknown[];
  /** The value each group-by key shows: `[id, name]`, a period label, the raw value or false. */
  shown: unknown[];
  ranges: ({ from: string; to: string } | undefined)[];
  rows: Row[];
}

function groupKey(env: Env, model: Model, row: Row, group: GroupBy) {
  const raw = env.db.value(model, row, group.field);
  if (raw === false || raw === undefined || raw === null || raw === "")
    return { key: false, shown: false, range: undefined };
  if (group.granularity) {
    const { from, to, label } = period(String(raw), group.granularity);
    return { key: from, shown: label, range: { from, to } };
  }
  if (group.def.type === "many2one") {
    return {
      key: raw,
      shown: [raw, env.db.displayNameOf(group.def.relation as string, raw as number)],
      range: undefined,
    };
  }
  return { key: raw, shown: raw, range: undefined };
}

function aggregate(env: Env, model: Model, rows: Row[], { field, fn }: Aggregate): unknown {
  const def = model.fields.get(field) as FieldDef;
  const values = rows
    .map((row) => env.db.value(model, row, field))
    .filter((value) => value !== false && value !== undefined);
  const numbers = values.map(Number);
  const wrap = (value: number) =>
    def.type === "integer" || fn === "count" || fn === "count_distinct" ? value : new OdooFloat(value);
  switch (fn) {
    case "count":
      return values.length;
    case "count_distinct":
      return new Set(values.map((value) => JSON.stringify(value))).size;
    case "sum":
      return wrap(numbers.reduce((total, value) => total + value, 0));
    case "avg":
      return numbers.length ? wrap(numbers.reduce((total, value) => total + value, 0) / numbers.length) : false;
    case "min":
      return numbers.length ? wrap(Math.min(...numbers)) : false;
    case "max":
      return numbers.length ? wrap(Math.max(...numbers)) : false;
    case "bool_and":
      return values.every(Boolean);
    case "bool_or":
      return values.some(Boolean);
    default:
      return values;
  }
}

/** What a group sorts by: a many2one by the target's name (Odoo's comodel order), a period by its start. */
function sortValue(groupby: GroupBy[], bucket: Bucket, index: number): unknown {
  if (bucket.shown[index] === false) return false;
  return groupby[index]?.def.type === "many2one" ? bucket.shown[index] : bucket.keys[index];
}

function compareGroupValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === false) return 1;
  if (b === false) return -1;
  const [x, y] = Array.isArray(a) && Array.isArray(b) ? [a[1], b[1]] : [a, b];
  if (typeof x === "number" && typeof y === "number") return x - y;
  return String(x).localeCompare(String(y), "en");
}

/** The groups of the records matching `domain`, in Odoo's natural order of the group values. */
function groupRows(env: Env, model: Model, domain: unknown, groupby: GroupBy[]): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const row of searchRows(env, model, domain)) {
    const parts = groupby.map((group) => groupKey(env, model, row, group));
    const id = JSON.stringify(parts.map((part) => part.key));
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = {
        keys: parts.map((p) => p.key),
        shown: parts.map((p) => p.shown),
        ranges: parts.map((p) => p.range),
        rows: [],
      };
      buckets.set(id, bucket);
    }
    bucket.rows.push(row);
  }
  return [...buckets.values()].sort((a, b) => {
    for (let index = 0; index < groupby.length; index++) {
      const result = compareGroupValues(sortValue(groupby, a, index), sortValue(groupby, b, index));
      if (result !== 0) return result;
    }
    return 0;
  });
}

export function readGroup(env: Env, model: Model, options: ReadGroupOptions): Record<string, unknown>[] {
  const groupby = (options.lazy ? options.groupby.slice(0, 1) : options.groupby).map((spec) =>
    parseGroupBy(model, spec),
  );
  if (groupby.length === 0 && options.groupby.length > 0) return [];
  const aggregates = parseAggregates(model, options.fields, groupby);
  let groups = groupRows(env, model, options.domain, groupby);
  groups = sortByOrderby(env, model, groups, options.orderby, groupby, aggregates);
  groups = groups.slice(options.offset, options.limit ? options.offset + options.limit : undefined);

  const countKey = options.lazy && groupby[0] ? `${groupby[0].field}_count` : "__count";
  return groups.map((bucket) => {
    const result: Record<string, unknown> = {};
    groupby.forEach((group, index) => {
      result[group.spec] = bucket.shown[index];
    });
    result[countKey] = bucket.rows.length;
    for (const spec of aggregates) result[spec.alias] = aggregate(env, model, bucket.rows, spec);
    result.__domain = groupDomain(options.domain, groupby, bucket);
    const ranges = Object.fromEntries(
      groupby.flatMap((group, index) => (bucket.ranges[index] ? [[group.spec, bucket.ranges[index]]] : [])),
    );
    if (Object.keys(ranges).length > 0) result.__range = ranges;
    if (options.lazy && options.groupby.length > 1) result.__context = { group_by: options.groupby.slice(1) };
    return result;
  });
}

/** `formatted_read_group` / 20.0's `read_group`: (domain, groupby, aggregates, having, offset, limit, order). */
export interface GroupedOptions {
  domain: unknown;
  groupby: string[];
  aggregates: string[];
  having: unknown[];
  offset: number;
  limit: number | undefined;
  order: string | undefined;
}

const AGGREGATE_SPEC = /^(\w+):(\w+)$/;
const AGGREGATE_FUNCTIONS = ["sum", "avg", "min", "max", "count", "count_distinct", "bool_and", "bool_or", "array_agg"];

/** `_read_group`'s aggregates: `__count` or `field:function`, each named by its spec. */
function parseSpecAggregates(model: Model, specs: string[]): Aggregate[] {
  return specs.map((spec) => {
    if (spec === "__count") return { alias: spec, field: "id", fn: "count" };
    const match = AGGREGATE_SPEC.exec(spec);
    if (!match) throw new PythonError("ValueError", `Invalid aggregate specification ${JSON.stringify(spec)}.`);
    const [, field, fn] = match as unknown as [string, string, string];
    if (!model.fields.has(field))
      throw new PythonError("ValueError", `Invalid field '${field}' on model '${model.name}'`);
    if (!AGGREGATE_FUNCTIONS.includes(fn))
      throw new PythonError("ValueError", `Invalid aggregate method '${fn}' for '${spec}'.`);
    return { alias: spec, field, fn };
  });
}

/** The groups of a spec-based grouped read, filtered by `having`, ordered, paged. */
function specGroups(env: Env, model: Model, options: GroupedOptions) {
  const groupby = options.groupby.map((spec) => parseGroupBy(model, spec, true));
  const aggregates = parseSpecAggregates(model, options.aggregates);
  const order = options.order || options.groupby.join(", ");
  for (const term of order.split(",").filter((part) => part.trim())) {
    const [name = ""] = term.trim().split(/\s+/);
    const known =
      name === "__count" || groupby.some((group) => group.spec === name) || aggregates.some((a) => a.alias === name);
    if (!known)
      throw new PythonError("ValueError", `Order term '${term.trim()}' is not a valid aggregate nor valid groupby`);
  }
  const value = (bucket: Bucket, spec: Aggregate) => {
    const result = aggregate(env, model, bucket.rows, spec);
    return result instanceof OdooFloat ? result.value : result;
  };
  const havingTerms = (options.having ?? []).filter((term): term is unknown[] => Array.isArray(term));
  let groups = groupRows(env, model, options.domain, groupby).filter((bucket) =>
    havingTerms.every(([spec, operator, operand]) => {
      const [aggregateSpec] = parseSpecAggregates(model, [String(spec)]);
      return compare(value(bucket, aggregateSpec as Aggregate), String(operator), operand);
    }),
  );
  const countSpec: Aggregate = { alias: "__count", field: "id", fn: "count" };
  groups = sortByOrderby(env, model, groups, order, groupby, [...aggregates, countSpec]);
  groups = groups.slice(options.offset, options.limit ? options.offset + options.limit : undefined);
  return { groupby, aggregates, groups };
}

function compare(value: unknown, operator: string, operand: unknown): boolean {
  const [a, b] = [Number(value), Number(operand)];
  switch (operator) {
    case "=":
      return value === operand || a === b;
    case "!=":
      return !(value === operand || a === b);
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      throw new PythonError("ValueError", `Invalid having operator '${operator}'`);
  }
}

export function formattedReadGroup(env: Env, model: Model, options: GroupedOptions): Record<string, unknown>[] {
  const { groupby, aggregates, groups } = specGroups(env, model, options);
  return groups.map((bucket) => {
    const result: Record<string, unknown> = {};
    groupby.forEach((group, index) => {
      const range = bucket.ranges[index];
      result[group.spec] = range
        ? [group.def.type === "datetime" ? `${range.from} 00:00:00` : range.from, bucket.shown[index]]
        : bucket.shown[index];
    });
    result.__extra_domain = groupDomain([], groupby, bucket);
    for (const spec of aggregates) result[spec.alias] = aggregate(env, model, bucket.rows, spec);
    return result;
  });
}

/** 20.0's read_group: each group as a tuple of its group values (ids for relations) then its aggregates. */
export function groupedTuples(env: Env, model: Model, options: GroupedOptions): unknown[][] {
  const { groupby, aggregates, groups } = specGroups(env, model, options);
  return groups.map((bucket) => [
    ...groupby.map((group, index) =>
      bucket.ranges[index]
        ? bucket.keys[index]
        : group.def.type === "many2one"
          ? bucket.keys[index]
          : bucket.shown[index],
    ),
    ...aggregates.map((spec) => aggregate(env, model, bucket.rows, spec)),
  ]);
}

/** The domain that selects a group's records: the search domain AND each group-by condition. */
function groupDomain(domain: unknown, groupby: GroupBy[], bucket: Bucket): unknown[] {
  const parts: unknown[][] = groupby.map((group, index) => {
    const range = bucket.ranges[index];
    if (!range) return [[group.field, "=", bucket.keys[index]]];
    const [from, to] =
      group.def.type === "datetime" ? [`${range.from} 00:00:00`, `${range.to} 00:00:00`] : [range.from, range.to];
    return ["&", [group.field, ">=", from], [group.field, "<", to]];
  });
  const base = normalizeDomain(domain);
  if (base.length > 0) parts.push(base);
  return [...Array(Math.max(parts.length - 1, 0)).fill("&"), ...parts.flat(1)];
}

function sortByOrderby(
  env: Env,
  model: Model,
  groups: Bucket[],
  orderby: string | undefined,
  groupby: GroupBy[],
  aggregates: Aggregate[],
): Bucket[] {
  if (!orderby) return groups;
  const terms = orderby.split(",").map((part) => {
    const [name, direction] = part.trim().split(/\s+/) as [string, string | undefined];
    return { name, descending: direction?.toLowerCase() === "desc" };
  });
  const groupValue = (bucket: Bucket, name: string): unknown => {
    const index = groupby.findIndex((group) => group.spec === name || group.field === name);
    if (index >= 0) return sortValue(groupby, bucket, index);
    if (name === "__count" || name.endsWith("_count")) return bucket.rows.length;
    // By the name in the result, the field, or the spec itself (`quantity:sum`, as _read_group orders).
    const spec = aggregates.find(
      (candidate) =>
        candidate.alias === name || candidate.field === name || `${candidate.field}:${candidate.fn}` === name,
    );
    if (!spec) throw new PythonError("ValueError", `Invalid field '${name}' on model '${model.name}'`);
    const value = aggregate(env, model, bucket.rows, spec);
    return value instanceof OdooFloat ? value.value : value;
  };
  return [...groups].sort((a, b) => {
    for (const term of terms) {
      const result = compareGroupValues(groupValue(a, term.name), groupValue(b, term.name));
      if (result !== 0) return term.descending ? -result : result;
    }
    return 0;
  });
}
