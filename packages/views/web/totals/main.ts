/**
 * The Totals view (ui://odoo/totals): odoo_aggregate_records' groups as a bar chart (inline SVG) over
 * the same numbers in a table. Screen readers get a summary and the table; the chart's bars and the
 * table's group buttons open the records behind a group — odoo_search_read_records called through the
 * host with the group's domain, which the server put in the result's `_meta` — as a compact list whose
 * names open each record in Odoo.
 */
import { RECORDS_META_KEY, type RecordsMeta, TOTALS_META_KEY, type TotalsMeta } from "../contracts.js";
import {
  cellText,
  fill,
  fullscreenButton,
  h,
  NUMERIC_TYPES,
  placeholder,
  startView,
  type ToolResult,
  textOf,
} from "../shared/index.js";
import { STRINGS } from "./strings.js";
import "../shared/tables.css";
import "./totals.css";

const SEARCH_TOOL = "odoo_search_read_records";
/** Records a drill-down lists at most (the group's count says how many there are). */
const DRILL_LIMIT = 10;
/** A bar's label is cut to this many characters (its whole text is in the table and the bar's title). */
const LABEL_CHARS = 18;
const BAR_HEIGHT = 28;
const SVG_NS = "http://www.w3.org/2000/svg";
/** The group's record count, as Odoo names it in a group. */
const COUNT = "count";

type Group = Record<string, unknown> & { count: number };

interface Drill {
  index: number;
  busy: boolean;
  records: Record<string, unknown>[];
  meta?: RecordsMeta;
  fields: string[];
  problem?: string;
}

interface State {
  model: string;
  groupby: string[];
  /** The aggregate specs (`amount_total:sum`), in the order asked. */
  aggregates: string[];
  groups: Group[];
  meta: TotalsMeta;
  /** What the bars measure: an aggregate spec or the count. */
  measure: string;
  drill?: Drill;
  problem?: string;
}

let state: State | undefined;

const kit = startView({
  name: "odoo-totals",
  strings: STRINGS,
  toolResult(result) {
    state = fromResult(result);
    render();
  },
  render,
});

function fromResult(result: ToolResult): State {
  const data = (result.structuredContent ?? {}) as { model?: string; groupby?: string[]; groups?: Group[] };
  const groups = data.groups ?? [];
  const groupby = data.groupby ?? [];
  const asked = Array.isArray(kit.input.aggregates) ? (kit.input.aggregates as string[]) : [];
  // The aggregates are the group's keys besides its group-by values and count, when the input is unknown.
  const aggregates = asked.length
    ? asked
    : Object.keys(groups[0] ?? {}).filter((key) => key !== COUNT && !groupby.includes(key));
  return {
    model: data.model ?? String(kit.input.model ?? ""),
    groupby,
    aggregates,
    groups,
    meta: (result._meta?.[TOTALS_META_KEY] as TotalsMeta | undefined) ?? { fields: {}, domains: [] },
    measure: aggregates[0] ?? COUNT,
  };
}

const fieldOf = (current: State, spec: string) => current.meta.fields[spec.split(":")[0] as string];

/** A group-by or aggregate spec as a heading: "Customer", "Total (total)", "Count". */
function specLabel(current: State, spec: string): string {
  if (spec === COUNT) return kit.text.count;
  const [name = spec, fn] = spec.split(":");
  const label = fieldOf(current, spec)?.label ?? name;
  if (!fn || current.groupby.includes(spec)) return label;
  const template = { sum: kit.text.sum, avg: kit.text.avg, min: kit.text.min, max: kit.text.max }[fn];
  return fill(template ?? kit.text.other, { label, fn });
}

/** A group's value for one group-by spec, as the person reads it. */
function groupValue(current: State, group: Group, spec: string): string {
  const value = group[spec];
  if (value === false || value === null || value === undefined) return kit.text.none;
  return cellText(kit.format, kit.text, { [spec]: value }, spec, fieldOf(current, spec)) || kit.text.none;
}

const groupLabel = (current: State, group: Group) =>
  current.groupby.map((spec) => groupValue(current, group, spec)).join(" · ");

const measured = (group: Group, spec: string) => {
  const value = group[spec];
  return typeof value === "number" ? value : 0;
};

/** An aggregate or count as a number in the person's locale: money with two decimals, counts whole. */
function amount(current: State, group: Group, spec: string): string {
  const value = group[spec];
  if (typeof value !== "number") return "";
  if (spec === COUNT || spec.endsWith(":count") || spec.endsWith(":count_distinct")) return kit.format.number(value, 0);
  const type = fieldOf(current, spec)?.type;
  return kit.format.number(value, type === "monetary" ? 2 : type === "integer" ? 0 : undefined);
}

/** Reads the records of group `index` through the host: the search tool with the group's domain. */
async function drillDown(index: number): Promise<void> {
  if (!state) return;
  const current = state;
  const domain = current.meta.domains[index];
  if (!domain) return;
  // The record's name, the totalled fields (and the currency their amounts need).
  const totalled = current.aggregates
    .map((spec) => spec.split(":")[0] as string)
    .filter((name) => NUMERIC_TYPES.has(current.meta.fields[name]?.type ?? ""));
  const currencies = totalled.map((name) => current.meta.fields[name]?.currencyField).filter(Boolean) as string[];
  const shown = ["display_name", ...new Set(totalled)];
  const drill: Drill = { index, busy: true, records: [], fields: shown };
  state = { ...current, drill };
  render();
  const args = {
    model: current.model,
    domain,
    fields: [...new Set([...shown, ...currencies])],
    limit: DRILL_LIMIT,
  };
  let next: Drill;
  try {
    const result = await kit.bridge.callTool(SEARCH_TOOL, args);
    next = result.isError
      ? { ...drill, busy: false, problem: fill(kit.text.callFailed, { message: textOf(result) }) }
      : {
          ...drill,
          busy: false,
          records: (result.structuredContent?.records as Record<string, unknown>[] | undefined) ?? [],
          meta: result._meta?.[RECORDS_META_KEY] as RecordsMeta | undefined,
        };
  } catch (error) {
    next = { ...drill, busy: false, problem: fill(kit.text.callFailed, { message: (error as Error).message }) };
  }
  // Another group may have been asked for meanwhile: only the last one is shown.
  if (state?.drill === drill) {
    state = { ...state, drill: next };
    render();
    document.getElementById("drill-heading")?.focus();
  }
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  element.append(...children);
  return element;
}

const cut = (text: string) => (text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text);

/** One horizontal bar per group: label on the left, bar and value on the right, in percentages so it fits any width. */
function chart(current: State): SVGSVGElement {
  const values = current.groups.map((group) => measured(group, current.measure));
  const largest = Math.max(...values.map(Math.abs), 0) || 1;
  const bars = current.groups.map((group, index) => {
    const label = groupLabel(current, group);
    const value = amount(current, group, current.measure);
    const share = (Math.abs(values[index] ?? 0) / largest) * 44;
    const y = index * BAR_HEIGHT;
    const bar = svg(
      "g",
      {
        class: `bar${current.drill?.index === index ? " chosen" : ""}`,
        tabindex: 0,
        role: "button",
        "aria-label": `${fill(kit.text.open, { group: label })}: ${value}`,
      },
      svg("title", {}, `${label}: ${value}`),
      svg("text", { x: 0, y: y + 18, class: "label" }, cut(label)),
      svg("rect", { x: "40%", y: y + 5, width: `${Math.max(share, 0.4)}%`, height: BAR_HEIGHT - 10, rx: 2 }),
      svg("text", { x: `${41 + share}%`, y: y + 18, class: "value" }, value),
    );
    bar.addEventListener("click", () => void drillDown(index));
    bar.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        void drillDown(index);
      }
    });
    return bar;
  });
  return svg(
    "svg",
    { class: "chart", width: "100%", height: current.groups.length * BAR_HEIGHT, "aria-describedby": "summary" },
    ...bars,
  );
}

function summary(current: State): string {
  if (current.groups.length === 0) return kit.text.summaryEmpty;
  let top = 0;
  current.groups.forEach((group, index) => {
    if (measured(group, current.measure) > measured(current.groups[top] as Group, current.measure)) top = index;
  });
  const group = current.groups[top] as Group;
  return fill(kit.text.summary, {
    measure: specLabel(current, current.measure),
    groups: current.groupby.map((spec) => specLabel(current, spec)).join(", "),
    count: current.groups.length,
    top: groupLabel(current, group),
    topValue: amount(current, group, current.measure),
  });
}

function table(current: State): HTMLTableElement {
  const totals = [COUNT, ...current.aggregates];
  const numeric = (spec: string) => h("th", { scope: "col", class: "num" }, specLabel(current, spec));
  return h(
    "table",
    {},
    h(
      "caption",
      {},
      fill(kit.text.caption, {
        measure: specLabel(current, current.measure),
        groups: current.groupby.map((spec) => specLabel(current, spec)).join(", "),
      }),
    ),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...current.groupby.map((spec) => h("th", { scope: "col" }, specLabel(current, spec))),
        ...totals.map(numeric),
      ),
    ),
    h(
      "tbody",
      {},
      ...current.groups.map((group, index) =>
        h(
          "tr",
          { class: current.drill?.index === index ? "chosen" : "" },
          ...current.groupby.map((spec, column) => {
            const text = groupValue(current, group, spec);
            const cell = h("td", { attrs: { "data-label": specLabel(current, spec) } });
            if (column === 0)
              cell.append(
                h(
                  "button",
                  {
                    type: "button",
                    class: "group",
                    title: fill(kit.text.open, { group: groupLabel(current, group) }),
                    onclick: () => void drillDown(index),
                  },
                  text,
                ),
              );
            else cell.append(text);
            return cell;
          }),
          ...totals.map((spec) =>
            h("td", { class: "num", attrs: { "data-label": specLabel(current, spec) } }, amount(current, group, spec)),
          ),
        ),
      ),
    ),
  );
}

async function openRecord(url: string): Promise<void> {
  if (!(await kit.bridge.openLink(url)) && state) {
    state = { ...state, problem: fill(kit.text.openFailed, { url }) };
    render();
  }
}

/** The records of the chosen group: each name opens the record in Odoo. */
function drillPanel(current: State, drill: Drill): HTMLElement {
  const group = current.groups[drill.index] as Group;
  const meta = drill.meta;
  const fields = drill.fields.filter((name) => name !== "display_name");
  const rows = drill.records.map((record) => {
    const name = String(record.display_name ?? `#${record.id}`);
    const url = meta?.recordUrl.replace("{id}", String(record.id)) ?? "";
    const link = url
      ? h(
          "a",
          {
            href: url,
            class: "open",
            title: fill(kit.text.openRecord, { name }),
            onclick: (event: MouseEvent) => {
              event.preventDefault();
              void openRecord(url);
            },
          },
          name,
        )
      : name;
    return h(
      "li",
      {},
      link,
      ...fields.map((field) =>
        h("span", { class: "num muted" }, cellText(kit.format, kit.text, record, field, meta?.fields[field])),
      ),
    );
  });
  const status = drill.busy
    ? kit.text.loading
    : group.count > drill.records.length
      ? fill(kit.text.shown, { shown: drill.records.length, count: group.count })
      : drill.records.length === 1
        ? kit.text.oneShown
        : fill(kit.text.allShown, { count: drill.records.length });
  return h(
    "section",
    { class: "drill", attrs: { "aria-labelledby": "drill-heading", "aria-busy": String(drill.busy) } },
    h(
      "div",
      { class: "drill-head" },
      h("h2", { id: "drill-heading", tabIndex: -1 }, fill(kit.text.records, { group: groupLabel(current, group) })),
      h(
        "button",
        {
          type: "button",
          class: "close",
          onclick: () => {
            state = { ...current, drill: undefined };
            render();
          },
        },
        kit.text.close,
      ),
    ),
    drill.problem ? h("p", { class: "danger", attrs: { role: "alert" } }, drill.problem) : null,
    h("p", { class: "muted", attrs: { role: "status" } }, status),
    h("ul", { class: "records" }, ...rows),
  );
}

function toolbar(current: State): HTMLElement | null {
  const measures = [...current.aggregates, COUNT];
  const fullscreen = fullscreenButton(kit);
  if (measures.length < 2 && !fullscreen) return null;
  return h(
    "div",
    { class: "toolbar" },
    measures.length > 1 ? h("label", { htmlFor: "measure" }, kit.text.measure) : null,
    measures.length > 1
      ? h(
          "select",
          {
            id: "measure",
            onchange: (event: Event) => {
              state = { ...current, measure: (event.target as HTMLSelectElement).value };
              render();
            },
          },
          ...measures.map((spec) =>
            h("option", { value: spec, selected: spec === current.measure }, specLabel(current, spec)),
          ),
        )
      : null,
    fullscreen,
  );
}

function render(): void {
  if (!state) {
    kit.draw(placeholder(kit));
    return;
  }
  const current = state;
  kit.draw(
    ...[
      toolbar(current),
      current.problem ? h("p", { class: "danger", attrs: { role: "alert" } }, current.problem) : null,
      h("p", { id: "summary", class: "sr-only" }, summary(current)),
      current.groups.length > 0 ? h("figure", { class: "figure" }, chart(current)) : null,
      current.drill ? drillPanel(current, current.drill) : null,
      current.groups.length > 0 ? h("div", { class: "scroll" }, table(current)) : null,
    ].filter((node): node is HTMLElement => node !== null),
  );
}
