/**
 * MCP completions for the resource templates' and the prompts' arguments, from Odoo's own metadata and
 * records, read with the caller's rights and within the model policy. A reference or argument this
 * server does not know gets no values, never an error (the spec's completion utility).
 */
import { nameSearch, OdooError } from "@odoo-mcp/odoo-client";
import { LRUCache } from "lru-cache";
import type { FieldCatalog } from "../odoo/fields.js";
import { odooContext } from "../tools/common.js";
import type { ToolContext } from "../tools/types.js";
import {
  ARGUMENT_MAX_LENGTH,
  type ArgumentKind,
  currentMonth,
  LANGUAGES,
  promptArgumentKind,
  YES_NO,
} from "./prompts.js";
import { COMMON_MODELS, MODEL_TEMPLATE, RECORD_TEMPLATE } from "./resources.js";

export type CompletionRef = { type: "ref/prompt"; name: string } | { type: "ref/resource"; uri: string };
export interface Completion {
  values: string[];
  total?: number;
  hasMore?: boolean;
}

/** The spec's cap on values per answer. */
const MAX_VALUES = 100;
const NONE: Completion = { values: [] };

/** What a completion may be asked for beyond the prompts' kinds: a record id of a resource template. */
type Kind = ArgumentKind | "record_id";

export async function complete(
  context: ToolContext,
  ref: CompletionRef,
  argument: { name: string; value: string },
  contextArguments: Record<string, string> = {},
): Promise<Completion> {
  const kind = kindOf(ref, argument.name);
  // A value no prompt would accept gets no suggestions (and does not go to Odoo).
  if (!kind || argument.value.length > ARGUMENT_MAX_LENGTH) return NONE;
  try {
    return await suggestions(context, kind, argument.value.trim(), contextArguments);
  } catch (error) {
    // Suggestions are a convenience: a model Odoo does not have or will not show offers none. Odoo
    // being down or refusing the credentials is still an error worth reporting.
    if (error instanceof OdooError && ["access", "missing", "invalid"].includes(error.kind)) return NONE;
    throw error;
  }
}

function kindOf(ref: CompletionRef, argument: string): Kind | undefined {
  if (ref.type === "ref/prompt") return promptArgumentKind(ref.name, argument);
  if (ref.type !== "ref/resource" || (ref.uri !== RECORD_TEMPLATE && ref.uri !== MODEL_TEMPLATE)) return undefined;
  if (argument === "model") return "model";
  return argument === "id" && ref.uri === RECORD_TEMPLATE ? "record_id" : undefined;
}

async function suggestions(
  context: ToolContext,
  kind: Kind,
  typed: string,
  contextArguments: Record<string, string>,
): Promise<Completion> {
  const usable = (model: string | undefined): model is string => !!model && !context.policy.refusal(model);
  switch (kind) {
    case "language":
      return ranked(LANGUAGES, typed, { keepOrder: true });
    case "yes_no":
      return ranked(YES_NO, typed, { keepOrder: true });
    case "month":
      return ranked(recentMonths(), typed, { keepOrder: true });
    case "model": {
      const models = (await odooModels(context)).filter((row) => usable(row.model));
      return ranked(
        models.map((row) => row.model),
        typed,
        { alias: new Map(models.map((row) => [row.model, row.name])) },
      );
    }
    case "field": {
      const model = contextArguments.model;
      if (!usable(model)) return NONE;
      return ranked(Object.keys(await context.fields.describe(model)), typed);
    }
    case "record_id": {
      const model = contextArguments.model;
      if (!usable(model)) return NONE;
      const pairs = await nameSearch(context.odoo, model, { name: typed, domain: [], limit: MAX_VALUES + 1 });
      return capped(mostRelevantFirst(pairs, typed).map(([id]) => String(id)));
    }
    case "product": {
      if (!usable("product.product")) return NONE;
      const pairs = await nameSearch(context.odoo, "product.product", {
        name: typed,
        domain: [],
        limit: MAX_VALUES + 1,
      });
      return ranked(
        pairs.map(([, name]) => name),
        typed,
      );
    }
    case "location": {
      if (!usable("stock.location")) return NONE;
      // People name a place by its warehouse ("the central one", "the north store"), Odoo by its path.
      const rows = (await context.odoo.executeKw(
        "stock.location",
        "search_read",
        [[["usage", "=", "internal"], "|", ["complete_name", "ilike", typed], ["warehouse_id.name", "ilike", typed]]],
        {
          fields: ["complete_name", "warehouse_id"],
          limit: MAX_VALUES + 1,
          order: "complete_name",
        },
      )) as { complete_name: string; warehouse_id: [number, string] | false }[];
      return ranked(
        rows.map((row) => row.complete_name),
        typed,
        { alias: new Map(rows.map((row) => [row.complete_name, row.warehouse_id ? row.warehouse_id[1] : ""])) },
      );
    }
    case "country": {
      if (!usable("res.country")) return NONE;
      // Names as Odoo has them in the person's language (res.country's name is translated), and codes.
      const rows = (await context.odoo.executeKw(
        "res.country",
        "search_read",
        [["|", ["code", "ilike", typed], ["name", "ilike", typed]]],
        {
          fields: ["name", "code"],
          order: "name",
          ...odooContext(context, { lang: await personLanguage(context, contextArguments) }),
        },
      )) as { name: string; code: string }[];
      // Codes and names alike: "ES" and "España" both work in the prompt. A code typed in full brings its
      // country's name right after it ("ES", "Spain"); then the other matches, prefix first.
      const byCode = rows.filter((row) => row.code.toLowerCase() === typed.toLowerCase());
      const first = byCode.flatMap((row) => [row.code, row.name]);
      const others = rows.flatMap((row) => [row.code, row.name]).filter((value) => !first.includes(value));
      return capped([...first, ...rankedValues(others, typed)]);
    }
    default:
      return NONE;
  }
}

/**
 * Odoo's matches with the most relevant first: a display name equal to what was typed, then those that
 * start with it, then the rest, each group in Odoo's order (case-insensitive).
 */
function mostRelevantFirst(pairs: readonly [number, string][], typed: string): [number, string][] {
  const needle = typed.toLowerCase();
  const rank = ([, name]: [number, string]) => {
    const lower = name.toLowerCase();
    return lower === needle ? 0 : lower.startsWith(needle) ? 1 : 2;
  };
  return pairs
    .map((pair, position) => ({ pair, position, rank: rank(pair) }))
    .sort((a, b) => a.rank - b.rank || a.position - b.position)
    .map(({ pair }) => pair);
}

/** Odoo's language code for a prompt's `language` argument. */
const ODOO_LANGUAGES: Readonly<Record<string, string>> = { en: "en_US", es: "es_ES" };

/**
 * The language to ask Odoo in: the prompt's `language` when given, else the operator's ODOO_CONTEXT
 * lang, else the Odoo user's own (`res.users.context_get`, what Odoo's web client uses), asked once per
 * Odoo user for a few minutes.
 */
async function personLanguage(context: ToolContext, contextArguments: Record<string, string>): Promise<string> {
  const chosen = ODOO_LANGUAGES[contextArguments.language ?? ""];
  if (chosen) return chosen;
  if (typeof context.defaultContext.lang === "string") return context.defaultContext.lang;
  const cached = USER_LANGUAGES.get(context.fields);
  if (cached) return cached;
  const { lang } = (await context.odoo.executeKw("res.users", "context_get", [], {})) as { lang?: unknown };
  const language = typeof lang === "string" && lang !== "" ? lang : "en_US";
  USER_LANGUAGES.set(context.fields, language);
  return language;
}

/** The first MAX_VALUES values, saying whether there were more. */
function capped(values: readonly string[]): Completion {
  return { values: values.slice(0, MAX_VALUES), total: values.length, hasMore: values.length > MAX_VALUES };
}

/** `rankedValues`, capped. */
function ranked(
  candidates: readonly string[],
  typed: string,
  options: { alias?: ReadonlyMap<string, string>; keepOrder?: boolean } = {},
): Completion {
  return capped(rankedValues(candidates, typed, options));
}

/**
 * The candidates that contain what was typed (case-insensitive, or whose alias does): those that start
 * with it first, each group in alphabetical order unless the candidates' own order matters.
 */
function rankedValues(
  candidates: readonly string[],
  typed: string,
  options: { alias?: ReadonlyMap<string, string>; keepOrder?: boolean } = {},
): string[] {
  const needle = typed.toLowerCase();
  const unique = [...new Set(candidates)];
  const ordered = options.keepOrder ? unique : unique.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const starts = ordered.filter((value) => value.toLowerCase().startsWith(needle));
  const contains = ordered.filter(
    (value) =>
      !value.toLowerCase().startsWith(needle) &&
      (value.toLowerCase().includes(needle) || options.alias?.get(value)?.toLowerCase().includes(needle)),
  );
  return [...starts, ...contains];
}

/** This month and the eleven before it, newest first, as YYYY-MM. */
function recentMonths(): string[] {
  const [year, month] = currentMonth().split("-").map(Number) as [number, number];
  return Array.from({ length: 12 }, (_, back) => {
    const index = year * 12 + (month - 1) - back;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  });
}

interface ModelRow {
  model: string;
  name: string;
}

/**
 * Odoo's models (ir.model, wizards left out) as one Odoo user sees them, for a few minutes. Keyed by
 * the user's FieldCatalog: the service account's one, shared, or each person's own in
 * ODOO_AUTH_MODE=user, living as long as that person's Odoo client; so two Odoo servers or two people
 * never share a list.
 */
const MODEL_LISTS = new LRUCache<FieldCatalog, ModelRow[]>({ max: 500, ttl: 5 * 60_000 });
/** Each Odoo user's language (`personLanguage`), keyed as MODEL_LISTS is. */
const USER_LANGUAGES = new LRUCache<FieldCatalog, string>({ max: 500, ttl: 5 * 60_000 });

async function odooModels(context: ToolContext): Promise<ModelRow[]> {
  const cached = MODEL_LISTS.get(context.fields);
  if (cached) return cached;
  let rows: ModelRow[];
  try {
    // ir.* is denied to the tools by default: this read of metadata goes to Odoo directly, and the
    // names it gives are filtered by the policy where they are offered.
    rows = (await context.odoo.executeKw("ir.model", "search_read", [[["transient", "=", false]]], {
      fields: ["model", "name"],
      order: "model",
    })) as ModelRow[];
  } catch (error) {
    // Odoo lets only Administration / Access Rights read ir.model (base's access_ir_model_user grants
    // internal users nothing): they are offered the common models instead.
    if (!(error instanceof OdooError && error.kind === "access")) throw error;
    rows = COMMON_MODELS.map(({ model, title }) => ({ model, name: title }));
  }
  MODEL_LISTS.set(context.fields, rows);
  return rows;
}
