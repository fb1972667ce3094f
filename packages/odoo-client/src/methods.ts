/**
 * The calls whose shape changed between Odoo releases, adapted to the release the client talks to.
 * Callers say what they want once; each function here asks `odoo.server()` (known after the first call)
 * and speaks that release's ORM. Sources and the table of differences: docs/odoo-versions.md.
 */
import type { OdooClient, OdooServer } from "./client.js";
import { OdooError } from "./errors.js";

type Context = { context?: Record<string, unknown> };

/** `name_search`: the filter is `args` up to 18, `domain` from 19.0 (a wrong keyword is a TypeError). */
export async function nameSearch(
  odoo: OdooClient,
  model: string,
  query: { name: string; domain: unknown[]; operator?: string; limit: number } & Context,
): Promise<[number, string][]> {
  const server = await odoo.server();
  const { name, domain, operator = "ilike", limit, context } = query;
  const call = (keyword: string) =>
    odoo.executeKw(model, "name_search", [], {
      name,
      [keyword]: domain,
      operator,
      limit,
      ...(context ? { context } : {}),
    }) as Promise<[number, string][]>;
  const keyword = learnedKeyword.get(server.version) ?? server.nameSearchDomainKeyword;
  try {
    return await call(keyword);
  } catch (error) {
    // A SaaS release between 18.0 and 19.0 may name it either way: the other name, once, then remembered.
    if (!(error instanceof OdooError) || !error.message.includes(`unexpected keyword argument '${keyword}'`))
      throw error;
    const other = keyword === "args" ? "domain" : "args";
    const pairs = await call(other);
    learnedKeyword.set(server.version, other);
    return pairs;
  }
}

/** name_search's filter keyword, learned per Odoo version where the version alone did not tell. */
const learnedKeyword = new Map<string, string>();

export interface GroupedQuery extends Context {
  domain: unknown[];
  /** Group-by specs: `partner_id`, `date_order:month`. */
  groupby: string[];
  /** Aggregate specs: `amount_total:sum`. */
  aggregates: string[];
  /** Terms over group-by specs, aggregate specs (or their field), or `count`, each `asc` or `desc`. */
  order?: string | undefined;
  offset: number;
  limit: number;
}

/** One group: each group-by spec's value, `count`, and each aggregate spec's value. */
export type GroupRow = Record<string, unknown> & { count: number };

/** A group and the domain of its records (the query's domain and the group's own terms). */
export interface GroupWithDomain {
  row: GroupRow;
  domain: unknown[];
}

/** Grouped totals through `formatted_read_group` where Odoo has it (19.0 on), else `read_group`. */
export async function readGroups(odoo: OdooClient, model: string, query: GroupedQuery): Promise<GroupRow[]> {
  return (await readGroupsWithDomains(odoo, model, query)).map((group) => group.row);
}

/**
 * readGroups with each group's domain, to read the records behind a group (a chart's drill-down):
 * read_group answers it as `__domain`; formatted_read_group answers the group's own terms as
 * `__extra_domain`, which top-level concatenation ANDs with the query's domain.
 */
export async function readGroupsWithDomains(
  odoo: OdooClient,
  model: string,
  query: GroupedQuery,
): Promise<GroupWithDomain[]> {
  const server = await odoo.server();
  const order = groupOrder(query);
  const context = query.context ? { context: query.context } : {};
  if (server.formattedReadGroup) {
    const rows = (await odoo.executeKw(model, "formatted_read_group", [], {
      domain: query.domain,
      groupby: query.groupby,
      aggregates: ["__count", ...query.aggregates],
      offset: query.offset,
      limit: query.limit,
      ...(order ? { order } : {}),
      ...context,
    })) as Record<string, unknown>[];
    return rows.map((row) => ({
      row: groupRow(query, row, (spec) => row[spec], row.__count),
      domain: [...query.domain, ...((row.__extra_domain as unknown[] | undefined) ?? [])],
    }));
  }
  // read_group names an aggregate by its field; an alias per spec (`name:agg(field)`) keeps two
  // aggregates of one field apart.
  const alias = (spec: string) => spec.replace(":", "__");
  const rows = (await odoo.executeKw(model, "read_group", [], {
    domain: query.domain,
    fields: query.aggregates.map((spec) => `${alias(spec)}:${spec.split(":")[1]}(${spec.split(":")[0]})`),
    groupby: query.groupby,
    offset: query.offset,
    limit: query.limit,
    lazy: false,
    ...(order
      ? { orderby: order.replace(/\b(\w+):(\w+)\b/g, (spec) => (query.aggregates.includes(spec) ? alias(spec) : spec)) }
      : {}),
    ...context,
  })) as Record<string, unknown>[];
  return rows.map((row) => ({
    row: groupRow(query, row, (spec) => row[alias(spec)], row.__count),
    domain: (row.__domain as unknown[] | undefined) ?? query.domain,
  }));
}

/** A group as callers read it, the same from either method: a date group is its label ("January 2024"). */
function groupRow(
  query: GroupedQuery,
  row: Record<string, unknown>,
  aggregate: (spec: string) => unknown,
  count: unknown,
): GroupRow {
  const result: GroupRow = { count: Number(count) || 0 };
  for (const spec of query.groupby) {
    const value = row[spec];
    // formatted_read_group gives a date group as [start, label]; read_group gives the label.
    result[spec] = spec.includes(":") && Array.isArray(value) ? value[1] : value;
  }
  for (const spec of query.aggregates) result[spec] = aggregate(spec) ?? false;
  return result;
}

/** The order as specs both methods accept: `amount_total desc` becomes `amount_total:sum desc`. */
function groupOrder(query: GroupedQuery): string | undefined {
  if (!query.order) return undefined;
  return query.order
    .split(",")
    .map((term) => {
      const [name = "", direction] = term.trim().split(/\s+/);
      const spec =
        name === "count" || name === "__count"
          ? "__count"
          : (query.groupby.find((group) => group === name || group.split(":")[0] === name) ??
            query.aggregates.find((aggregate) => aggregate === name || aggregate.split(":")[0] === name) ??
            name);
      return direction ? `${spec} ${direction.toLowerCase()}` : spec;
    })
    .join(", ");
}

/** Whether Odoo manages stock of a product, as a domain leaf or values, on `server`. */
const PRODUCT_MODELS = new Set(["product.template", "product.product"]);

export interface Adapted<T> {
  value: T;
  /** What was rewritten for this release, for a person to read. */
  notes: string[];
}

/**
 * Product type across the 18.0 change: up to 17 a storable product is `type = 'product'`; from 18.0
 * it is `type = 'consu'` with `is_storable = True`. Values and domains written either way are
 * rewritten to the release's own spelling.
 */
export function adaptProductValues(
  server: OdooServer,
  model: string,
  values: Record<string, unknown>,
): Adapted<Record<string, unknown>> {
  if (!PRODUCT_MODELS.has(model)) return { value: values, notes: [] };
  if (server.storableFlag && values.type === "product") {
    return {
      value: { ...values, type: "consu", is_storable: true },
      notes: [`Odoo ${server.version} has no product type "product": sent type "consu" with is_storable true.`],
    };
  }
  if (!server.storableFlag && "is_storable" in values) {
    const { is_storable: storable, ...rest } = values;
    const type = storable ? "product" : rest.type === "product" || rest.type === undefined ? "consu" : rest.type;
    return {
      value: { ...rest, type },
      notes: [`Odoo ${server.version} has no is_storable: sent type "${String(type)}".`],
    };
  }
  return { value: values, notes: [] };
}

export function adaptProductDomain(server: OdooServer, model: string, domain: unknown[]): Adapted<unknown[]> {
  if (!PRODUCT_MODELS.has(model)) return { value: domain, notes: [] };
  const notes = new Set<string>();
  const value = domain.map((term) => {
    if (!Array.isArray(term) || term.length !== 3) return term;
    const [field, operator, operand] = term as [unknown, unknown, unknown];
    if (server.storableFlag && field === "type" && operand === "product" && (operator === "=" || operator === "!=")) {
      notes.add(
        `Odoo ${server.version} marks storable products with is_storable: searched is_storable instead of type "product".`,
      );
      return ["is_storable", operator, true];
    }
    if (!server.storableFlag && field === "is_storable" && (operator === "=" || operator === "!=")) {
      notes.add(`Odoo ${server.version} has no is_storable: searched type "product" instead.`);
      const positive = (operator === "=") === Boolean(operand);
      return ["type", positive ? "=" : "!=", "product"];
    }
    return term;
  });
  return { value, notes: [...notes] };
}

const MOVE_LINE_FIELDS = ["move_ids", "move_ids_without_package"];

/**
 * Stock moves across releases: `quantity_done` became `quantity` in 17.0; the required `name`
 * (17, 18) is gone in 19.0; in 17.0 a move's locations are its own required fields, computed from the
 * transfer only from 18.0. A move's values, alone or in a transfer's `move_ids` commands, are
 * rewritten for the release; up to 18 a move without a name is named after its product, and in 17.0 a
 * new move of a new transfer takes the transfer's locations, as Odoo's form does.
 */
export async function adaptStockMoveValues(
  odoo: OdooClient,
  model: string,
  values: Record<string, unknown>,
): Promise<Adapted<Record<string, unknown>>> {
  const server = await odoo.server();
  const notes = new Set<string>();
  const move = async (line: Record<string, unknown>) => {
    const adapted = { ...line };
    if ("quantity_done" in adapted) {
      adapted.quantity ??= adapted.quantity_done;
      delete adapted.quantity_done;
      notes.add("quantity_done is called quantity since Odoo 17: sent quantity.");
    }
    if (!server.stockMoveName && "name" in adapted) {
      delete adapted.name;
      notes.add(`Odoo ${server.version} stock moves have no name (the product names them): left it out.`);
    } else if (server.stockMoveName && !adapted.name && typeof adapted.product_id === "number") {
      const [product] = (await odoo.executeKw(
        "product.product",
        "read",
        [[adapted.product_id], ["display_name"]],
        {},
      )) as {
        display_name?: string;
      }[];
      if (product?.display_name) adapted.name = product.display_name;
    }
    return adapted;
  };
  if (model === "stock.move") return { value: await move(values), notes: [...notes] };
  if (model !== "stock.picking") return { value: values, notes: [] };
  const value = { ...values };
  const locations = server.stockMoveLocationsComputed ? undefined : await pickingLocations(odoo, values);
  for (const field of MOVE_LINE_FIELDS) {
    const commands = value[field];
    if (!Array.isArray(commands)) continue;
    value[field] = await Promise.all(
      commands.map(async (command) => {
        // [0, 0, values] creates a line and [1, id, values] changes one: their values are a move's.
        if (Array.isArray(command) && (command[0] === 0 || command[0] === 1) && isRecord(command[2])) {
          const line = command[0] === 0 && locations ? { ...locations, ...command[2] } : command[2];
          return [command[0], command[1], await move(line)];
        }
        return command;
      }),
    );
  }
  return { value, notes: [...notes] };
}

/** A transfer's locations as given, else its operation type's defaults (as the form fills them). */
async function pickingLocations(odoo: OdooClient, values: Record<string, unknown>) {
  let { location_id: source, location_dest_id: destination } = values;
  if ((!source || !destination) && typeof values.picking_type_id === "number") {
    const [type] = (await odoo.executeKw(
      "stock.picking.type",
      "read",
      [[values.picking_type_id], ["default_location_src_id", "default_location_dest_id"]],
      {},
    )) as { default_location_src_id: [number, string] | false; default_location_dest_id: [number, string] | false }[];
    source ||= type?.default_location_src_id ? type.default_location_src_id[0] : undefined;
    destination ||= type?.default_location_dest_id ? type.default_location_dest_id[0] : undefined;
  }
  return { ...(source ? { location_id: source } : {}), ...(destination ? { location_dest_id: destination } : {}) };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * What message_post and message_notify return over RPC, as one id (or false when nothing was posted):
 * up to 18.0 `@api.returns('mail.message', lambda value: value.id)` makes it the id (False when
 * empty); from 19.0 the decorator is gone and odoo/service/model.py `call_kw` answers `result.ids`.
 */
export function postedMessageId(answer: unknown): number | false {
  const id = Array.isArray(answer) ? answer[0] : answer;
  return typeof id === "number" && id > 0 ? id : false;
}
