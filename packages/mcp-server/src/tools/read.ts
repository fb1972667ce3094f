/** Tools that only read Odoo (scope odoo:read). */
import { nameSearch, readGroupsWithDomains } from "@odoo-mcp/odoo-client";
import { SCOPES } from "@odoo-mcp/shared";
import { z } from "zod";
import {
  checkedDomain,
  checkedFields,
  checkedModel,
  checkedOrder,
  clampLimit,
  contextArg,
  domainArg,
  fieldsArg,
  idsArg,
  modelArg,
  odooContext,
  orderFields,
  pagingArgs,
  refuseSecrets,
} from "./common.js";
import { defineTool, READ_ONLY, RESULT_META, type ToolDefinition, ToolRefusal } from "./types.js";
import { recordsMeta, totalsMeta } from "./view-meta.js";

const searchRecords = defineTool({
  name: "odoo_search_records",
  title: "Search Odoo records (ids)",
  description:
    "Find the ids of the records of a model that match a domain. Use odoo_search_read_records to get their values too.",
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({ model: modelArg, domain: domainArg, ...pagingArgs, context: contextArg }),
  async run(context, { model, domain, limit, offset, order, context: callContext }) {
    refuseSecrets("Order", orderFields(order));
    const checked = await checkedDomain(context, model, domain);
    await checkedOrder(context, model, order);
    const clamp = clampLimit(context, limit);
    const ids = (await context.odoo.executeKw(model, "search", [checked], {
      offset,
      limit: clamp.limit,
      ...(order ? { order } : {}),
      ...odooContext(context, callContext),
    })) as number[];
    return { model, ids, count: ids.length, offset, limit: clamp.limit, ...(clamp.note ? { note: clamp.note } : {}) };
  },
});

const searchReadRecords = defineTool({
  name: "odoo_search_read_records",
  title: "Search and read Odoo records",
  description:
    "Find records of a model that match a domain and return their field values, e.g. the first 5 active customers: " +
    'model "res.partner", domain [["customer_rank", ">", 0]], fields ["name", "email"], limit 5. ' +
    "Many2one values come as [id, name]. has_more says whether another page follows; odoo_count_records counts them all.",
  scope: SCOPES.read,
  annotations: READ_ONLY,
  // Hosts that render views show the records as a table the person sorts, pages and widens, calling
  // this tool again with other order, offset and fields.
  view: "records",
  input: z.object({ model: modelArg, domain: domainArg, fields: fieldsArg, ...pagingArgs, context: contextArg }),
  async run(context, { model, domain, fields, limit, offset, order, context: callContext }) {
    refuseSecrets("Field", fields);
    refuseSecrets("Order", orderFields(order));
    const checked = await checkedDomain(context, model, domain);
    const names = await checkedFields(context, model, fields);
    await checkedOrder(context, model, order);
    const clamp = clampLimit(context, limit);
    // One record more than asked tells whether there is another page, without a second count query.
    const found = (await context.odoo.executeKw(model, "search_read", [checked], {
      fields: names,
      offset,
      limit: clamp.limit + 1,
      ...(order ? { order } : {}),
      ...odooContext(context, callContext),
    })) as Record<string, unknown>[];
    const records = found.slice(0, clamp.limit);
    return {
      model,
      records,
      count: records.length,
      offset,
      limit: clamp.limit,
      has_more: found.length > clamp.limit,
      ...(clamp.note ? { note: clamp.note } : {}),
      [RESULT_META]: await recordsMeta(context, model, names),
    };
  },
});

const readRecords = defineTool({
  name: "odoo_read_records",
  title: "Read Odoo records by id",
  description: "Read the field values of records whose ids you know. Ids that do not exist are listed in missing_ids.",
  scope: SCOPES.read,
  annotations: READ_ONLY,
  // Hosts that render views show each record with its labels, its last messages, its files and its PDF,
  // the last three asked by the view through the person's own calls (search, attachments, report).
  view: "record",
  input: z.object({ model: modelArg, ids: idsArg, fields: fieldsArg, context: contextArg }),
  async run(context, { model, ids, fields, context: callContext }) {
    const names = await checkedFields(context, model, fields);
    if (ids.length > context.limits.maxRecords) {
      throw new ToolRefusal(`Read at most ${context.limits.maxRecords} records per call; split the ids.`);
    }
    const records = (await context.odoo.executeKw(model, "read", [ids, names], odooContext(context, callContext))) as {
      id: number;
    }[];
    const found = new Set(records.map((record) => record.id));
    return {
      model,
      records,
      count: records.length,
      missing_ids: ids.filter((id) => !found.has(id)),
      [RESULT_META]: await recordsMeta(context, model, names),
    };
  },
});

const countRecords = defineTool({
  name: "odoo_count_records",
  title: "Count Odoo records",
  description:
    'Count the records of a model that match a domain, e.g. customers in Spain: model "res.partner", domain [["customer_rank", ">", 0], ["country_id.code", "=", "ES"]].',
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({ model: modelArg, domain: domainArg, context: contextArg }),
  async run(context, { model, domain, context: callContext }) {
    const checked = await checkedDomain(context, model, domain);
    const count = await context.odoo.executeKw(model, "search_count", [checked], odooContext(context, callContext));
    return { model, count: count as number };
  },
});

const getModelFields = defineTool({
  name: "odoo_get_model_fields",
  title: "Describe a model's fields",
  description:
    "List a model's fields with their type, label, whether they are required or read-only, the related model and the allowed values of selections. Use it before building domains or values. " +
    "Credential fields (passwords, API keys, tokens, TOTP secrets) are never listed: this server does not read, search, group by or write them.",
  scope: SCOPES.read,
  annotations: READ_ONLY,
  // The Records view lists the columns a person may add from it.
  visibility: ["model", "app"],
  input: z.object({
    model: modelArg,
    fields: z.array(z.string()).max(200).optional().describe("Only these fields; leave out for all"),
  }),
  async run(context, { model, fields }) {
    const all = await checkedModel(context, model);
    const wanted = fields?.length
      ? Object.fromEntries(Object.entries(all).filter(([name]) => fields.includes(name)))
      : all;
    return { model, fields: wanted, count: Object.keys(wanted).length };
  },
});

const listModels = defineTool({
  name: "odoo_list_models",
  title: "List Odoo models",
  description:
    'List the models this server can reach, with their names, optionally filtered by a word ("partner", "stock", "Sales").',
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({
    query: z.string().max(128).optional().describe("A word to look for in the technical or human name"),
  }),
  async run(context, { query }) {
    const domain = query ? ["|", ["model", "ilike", query], ["name", "ilike", query]] : [];
    const rows = (await context.odoo.executeKw("ir.model", "search_read", [domain], {
      fields: ["model", "name"],
      limit: 500,
    })) as {
      model: string;
      name: string;
    }[];
    const models = rows.filter((row) => !context.policy.refusal(row.model)).map(({ model, name }) => ({ model, name }));
    return { models, count: models.length };
  },
});

const nameSearchTool = defineTool({
  name: "odoo_name_search",
  title: "Find records by name",
  description:
    'Find records whose name (or code, for products) matches some text, e.g. model "stock.location", name "Stock"; returns [id, display name] pairs to use as ids in other calls.',
  scope: SCOPES.read,
  annotations: READ_ONLY,
  input: z.object({
    model: modelArg,
    name: z.string().max(256).describe("Text to look for"),
    domain: domainArg,
    limit: pagingArgs.limit,
    context: contextArg,
  }),
  async run(context, { model, name, domain, limit, context: callContext }) {
    const checked = await checkedDomain(context, model, domain);
    const clamp = clampLimit(context, limit);
    const pairs = await nameSearch(context.odoo, model, {
      name,
      domain: checked,
      limit: clamp.limit,
      ...odooContext(context, callContext),
    });
    return { model, matches: pairs.map(([id, display]) => ({ id, name: display })), count: pairs.length };
  },
});

const FIELD_NAME = "[a-z_][a-z0-9_]*";

const aggregateRecords = defineTool({
  name: "odoo_aggregate_records",
  title: "Group and total Odoo records",
  description:
    "Group the records of a model that match a domain and total them (Odoo's grouped read, on every Odoo version). " +
    'Inventory by location: model "stock.quant", groupby ["location_id"], aggregates ["quantity:sum"], domain [["location_id.usage", "=", "internal"]]. ' +
    'Sales by month: model "sale.order", groupby ["date_order:month"], aggregates ["amount_total:sum"], domain [["state", "=", "sale"]]. ' +
    'Each group has its group-by values (a many2one as [id, name], a period as its label such as "January 2025"), count, ' +
    'and each aggregate under its own spec, e.g. "quantity:sum".',
  scope: SCOPES.read,
  annotations: READ_ONLY,
  // Hosts that render views show the groups as a bar chart over a table; a bar opens its records
  // (odoo_search_read_records with the group's domain, from the result's _meta).
  view: "totals",
  input: z.object({
    model: modelArg,
    domain: domainArg,
    groupby: z
      .array(
        z
          .string()
          .regex(
            new RegExp(`^${FIELD_NAME}(:(day|week|month|quarter|year))?$`),
            'Use a field name, with a period for dates: "partner_id", "date_order:month"',
          ),
      )
      .min(1)
      .max(5)
      .describe('Fields to group by; dates take :day, :week, :month, :quarter or :year, e.g. ["date_order:month"]'),
    aggregates: z
      .array(
        z
          .string()
          .regex(
            new RegExp(`^${FIELD_NAME}:(sum|avg|min|max|count|count_distinct|bool_and|bool_or)$`),
            'Use field:function, e.g. "amount_total:sum"',
          ),
      )
      .max(20)
      .default([])
      .describe(
        'Totals per group as field:function (sum, avg, min, max, count, count_distinct), e.g. ["amount_total:sum"]',
      ),
    orderby: z
      .string()
      .regex(
        new RegExp(
          `^\\s*${FIELD_NAME}(:\\w+)?(\\s+(asc|desc))?(\\s*,\\s*${FIELD_NAME}(:\\w+)?(\\s+(asc|desc))?)*\\s*$`,
          "i",
        ),
        'Use "field asc" or "field desc", comma-separated',
      )
      .optional()
      .describe(
        'Order of the groups by group-by, aggregate or count, e.g. "amount_total:sum desc", "count desc" or "date_order:month asc"',
      ),
    limit: pagingArgs.limit,
    offset: pagingArgs.offset,
    context: contextArg,
  }),
  async run(context, { model, domain, groupby, aggregates, orderby, limit, offset, context: callContext }) {
    // Credential fields are refused before Odoo is asked anything, then each name is checked on the model.
    refuseSecrets("Group-by", groupby);
    refuseSecrets("Aggregate", aggregates);
    refuseSecrets("Order", orderby?.split(","));
    const checked = await checkedDomain(context, model, domain);
    const names = (specs: string[]) => specs.map((spec) => spec.split(":")[0] as string);
    await checkedFields(context, model, names(groupby), "Group-by");
    if (aggregates.length > 0) await checkedFields(context, model, names(aggregates), "Aggregate");
    const clamp = clampLimit(context, limit);
    const found = await readGroupsWithDomains(context.odoo, model, {
      domain: checked,
      groupby,
      aggregates,
      order: orderby,
      offset,
      limit: clamp.limit,
      ...odooContext(context, callContext),
    });
    const groups = found.map((group) => group.row);
    return {
      model,
      groupby,
      groups,
      count: groups.length,
      ...(clamp.note ? { note: clamp.note } : {}),
      [RESULT_META]: await totalsMeta(
        context,
        model,
        [...groupby, ...aggregates],
        found.map((group) => group.domain),
      ),
    };
  },
});

export const readTools: ToolDefinition[] = [
  searchRecords,
  searchReadRecords,
  readRecords,
  countRecords,
  getModelFields,
  listModels,
  nameSearchTool,
  aggregateRecords,
];
