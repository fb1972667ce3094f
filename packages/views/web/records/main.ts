/**
 * The Records view (ui://odoo/records): odoo_search_read_records' result as a table. Many2one values show
 * their names, money its currency, dates the person's calendar; a column header or the "Sort by" list
 * sorts, the page buttons page and "More columns" adds a field — each by calling odoo_search_read_records
 * again through the host with the same model and domain. Each record's first cell opens it in Odoo
 * through the host's open-link.
 */
import { RECORDS_META_KEY, type RecordsMeta } from "../contracts.js";
import {
  cellText,
  fill,
  h,
  NUMERIC_TYPES,
  placeholder,
  SHOWABLE_TYPES,
  startView,
  type ToolResult,
  textOf,
} from "../shared/index.js";
import { STRINGS } from "./strings.js";
import "../shared/tables.css";
import "./records.css";

const SEARCH_TOOL = "odoo_search_read_records";
const FIELDS_TOOL = "odoo_get_model_fields";
type OdooRecord = Record<string, unknown> & { id: number };

/** What the view shows and how it asked for it: the arguments of the last search and its answer. */
interface State {
  args: Record<string, unknown>;
  model: string;
  records: OdooRecord[];
  offset: number;
  limit: number;
  hasMore: boolean;
  meta: RecordsMeta;
  /** The columns shown, in order (the currency fields read besides them are not shown). */
  columns: string[];
  /** Fields the person may add, once asked for (odoo_get_model_fields). */
  addable?: [string, string][];
  busy: boolean;
  problem?: string;
}

let state: State | undefined;

const kit = startView({
  name: "odoo-records",
  strings: STRINGS,
  toolResult(result) {
    state = fromResult(kit.input, result, undefined);
    render();
    void readCurrencies();
  },
  render,
});

/** The state a search answer gives, keeping the shown columns when paging or sorting. */
function fromResult(args: Record<string, unknown>, result: ToolResult, columns: string[] | undefined): State {
  const data = (result.structuredContent ?? {}) as {
    model?: string;
    records?: OdooRecord[];
    offset?: number;
    limit?: number;
    has_more?: boolean;
  };
  const meta = (result._meta?.[RECORDS_META_KEY] as RecordsMeta | undefined) ?? { recordUrl: "", fields: {} };
  const records = data.records ?? [];
  const asked = Array.isArray(args.fields) && args.fields.length > 0 ? (args.fields as string[]) : undefined;
  const present = Object.keys(records[0] ?? meta.fields).filter((name) => name !== "id");
  return {
    args,
    model: data.model ?? String(args.model ?? ""),
    records,
    offset: data.offset ?? 0,
    limit: data.limit ?? records.length,
    hasMore: data.has_more === true,
    meta,
    columns: columns ?? asked ?? present,
    busy: false,
  };
}

/** The currency fields the shown money columns need and the records lack. */
function missingCurrencies(current: State): string[] {
  const needed = current.columns
    .map((name) => current.meta.fields[name]?.currencyField)
    .filter((name): name is string => name !== undefined);
  const first = current.records[0];
  return [...new Set(needed)].filter((name) => first !== undefined && !(name in first));
}

/** The first answer may lack the currencies of its amounts: read the same page again with them. */
async function readCurrencies(): Promise<void> {
  if (state && missingCurrencies(state).length > 0) await search({});
}

/** Calls the search tool again with these changes to the last arguments (order, offset, fields). */
async function search(changes: Record<string, unknown>, columns = state?.columns): Promise<void> {
  if (!state || !columns) return;
  const current = state;
  const fields = [...new Set([...columns, ...missingCurrencies({ ...current, columns })])];
  const args = {
    ...current.args,
    model: current.model,
    offset: current.offset,
    limit: current.limit,
    ...changes,
    fields,
  };
  state = { ...current, busy: true, problem: undefined };
  render();
  try {
    const result = await kit.bridge.callTool(SEARCH_TOOL, args);
    state = result.isError
      ? { ...current, busy: false, problem: fill(kit.text.callFailed, { message: textOf(result) }) }
      : { ...fromResult(args, result, columns), addable: current.addable };
  } catch (error) {
    state = { ...current, busy: false, problem: fill(kit.text.callFailed, { message: (error as Error).message }) };
  }
  render();
}

/** The fields the person may add as columns, asked of odoo_get_model_fields the first time. */
async function loadAddable(): Promise<void> {
  if (!state || state.addable) return;
  const current = state;
  const result = await kit.bridge.callTool(FIELDS_TOOL, { model: current.model }).catch((error: Error) => error);
  if (result instanceof Error || result.isError) {
    const message = result instanceof Error ? result.message : textOf(result);
    state = { ...current, problem: fill(kit.text.callFailed, { message }) };
  } else {
    const fields = (result.structuredContent?.fields ?? {}) as Record<string, { type: string; string: string }>;
    const addable = Object.entries(fields)
      .filter(([name, info]) => SHOWABLE_TYPES.has(info.type) && !current.columns.includes(name) && name !== "id")
      .map(([name, info]): [string, string] => [name, info.string || name])
      .sort((a, b) => a[1].localeCompare(b[1], kit.format.locale));
    state = { ...current, addable };
  }
  render();
}

const label = (current: State, name: string) => current.meta.fields[name]?.label ?? name;

/** The current order as [field, direction], when it is one field's. */
function currentOrder(current: State): [string, "asc" | "desc"] | undefined {
  const match = /^\s*([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(String(current.args.order ?? ""));
  return match ? [match[1] as string, (match[2]?.toLowerCase() ?? "asc") as "asc" | "desc"] : undefined;
}

function sortBy(order: string): void {
  void search({ order: order || undefined, offset: 0 });
}

const recordUrl = (current: State, record: OdooRecord) => current.meta.recordUrl.replace("{id}", String(record.id));

async function openRecord(current: State, record: OdooRecord): Promise<void> {
  const url = recordUrl(current, record);
  if (!(await kit.bridge.openLink(url))) {
    state = { ...current, problem: fill(kit.text.openFailed, { url }) };
    render();
  }
}

function header(current: State, name: string): HTMLTableCellElement {
  const order = currentOrder(current);
  const direction = order?.[0] === name ? order[1] : undefined;
  const next = direction === "asc" ? "desc" : "asc";
  const th = h(
    "th",
    {
      scope: "col",
      class: NUMERIC_TYPES.has(current.meta.fields[name]?.type ?? "") ? "num" : "",
      attrs: { "aria-sort": direction === "asc" ? "ascending" : direction === "desc" ? "descending" : "none" },
    },
    h(
      "button",
      { type: "button", class: "sort", disabled: current.busy, onclick: () => sortBy(`${name} ${next}`) },
      label(current, name),
      h(
        "span",
        { class: "arrow", attrs: { "aria-hidden": "true" } },
        direction === "asc" ? " ▲" : direction === "desc" ? " ▼" : "",
      ),
    ),
  );
  return th;
}

function row(current: State, record: OdooRecord): HTMLTableRowElement {
  return h(
    "tr",
    {},
    ...current.columns.map((name, index) => {
      const field = current.meta.fields[name];
      const text = cellText(kit.format, kit.text, record, name, field);
      const cell = h("td", {
        class: NUMERIC_TYPES.has(field?.type ?? "") ? "num" : "",
        attrs: { "data-label": label(current, name) },
      });
      if (index === 0 && current.meta.recordUrl) {
        const shown = text || `#${record.id}`;
        cell.append(
          h(
            "a",
            {
              href: recordUrl(current, record),
              class: "open",
              title: fill(kit.text.open, { name: shown }),
              onclick: (event: MouseEvent) => {
                event.preventDefault();
                void openRecord(current, record);
              },
            },
            shown,
          ),
        );
      } else cell.append(text);
      return cell;
    }),
  );
}

function toolbar(current: State): HTMLElement {
  const order = currentOrder(current);
  const orderValue = order ? `${order[0]} ${order[1]}` : "";
  const sortSelect = h(
    "select",
    {
      id: "sort",
      disabled: current.busy,
      onchange: (event: Event) => sortBy((event.target as HTMLSelectElement).value),
    },
    h("option", { value: "", selected: orderValue === "" }, kit.text.sortNone),
    ...current.columns.flatMap((name) =>
      (["asc", "desc"] as const).map((direction) =>
        h(
          "option",
          { value: `${name} ${direction}`, selected: orderValue === `${name} ${direction}` },
          fill(direction === "asc" ? kit.text.ascending : kit.text.descending, { label: label(current, name) }),
        ),
      ),
    ),
  );
  const more = current.addable
    ? h(
        "select",
        {
          id: "add-column",
          disabled: current.busy,
          onchange: (event: Event) => {
            const name = (event.target as HTMLSelectElement).value;
            if (name) void search({}, [...current.columns, name]);
          },
        },
        h("option", { value: "" }, kit.text.addColumnPick),
        ...current.addable
          .filter(([name]) => !current.columns.includes(name))
          .map(([name, text]) => h("option", { value: name }, text)),
      )
    : h(
        "button",
        { type: "button", id: "more-columns", disabled: current.busy, onclick: () => void loadAddable() },
        kit.text.addColumn,
      );
  return h(
    "div",
    { class: "toolbar" },
    h("label", { htmlFor: "sort" }, kit.text.sortBy),
    sortSelect,
    current.addable ? h("label", { htmlFor: "add-column", class: "sr-only" }, kit.text.addColumn) : null,
    more,
  );
}

function pager(current: State): HTMLElement {
  const from = current.records.length > 0 ? current.offset + 1 : current.offset;
  const to = current.offset + current.records.length;
  const caption = fill(current.hasMore ? kit.text.captionMore : kit.text.caption, { model: current.model, from, to });
  return h(
    "nav",
    { class: "pager", attrs: { "aria-label": caption } },
    h(
      "button",
      {
        type: "button",
        id: "previous",
        disabled: current.busy || current.offset === 0,
        onclick: () => void search({ offset: Math.max(0, current.offset - current.limit) }),
      },
      `‹ ${kit.text.previous}`,
    ),
    h("span", { class: "muted", attrs: { role: "status" } }, current.busy ? kit.text.loading : caption),
    h(
      "button",
      {
        type: "button",
        id: "next",
        disabled: current.busy || !current.hasMore,
        onclick: () => void search({ offset: current.offset + current.limit }),
      },
      `${kit.text.next} ›`,
    ),
  );
}

function render(): void {
  if (!state) {
    kit.draw(placeholder(kit));
    return;
  }
  const current = state;
  const table = h(
    "table",
    { attrs: { "aria-busy": String(current.busy) } },
    h("thead", {}, h("tr", {}, ...current.columns.map((name) => header(current, name)))),
    h("tbody", {}, ...current.records.map((record) => row(current, record))),
  );
  const problem = current.problem && h("p", { class: "danger", attrs: { role: "alert" } }, current.problem);
  kit.draw(
    ...[
      toolbar(current),
      problem,
      current.records.length === 0 ? h("p", { class: "muted" }, kit.text.empty) : h("div", { class: "scroll" }, table),
      pager(current),
    ].filter((node): node is HTMLElement => Boolean(node)),
  );
}
