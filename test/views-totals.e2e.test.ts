/**
 * The Totals view (ui://odoo/totals) in real Chromium, inside a sandboxed iframe driven by ext-apps'
 * AppBridge, fed with real odoo_aggregate_records results (inventory by location, sales by customer) and
 * forwarding its own calls to the MCP server with the connector's token: at 1280 and 390 px, light and
 * dark, English and Spanish; the text alternative; drill-down from a bar (click) and from a row (Enter),
 * each calling odoo_search_read_records through the bridge with the group's domain. On the simulator
 * under `pnpm test`, on real Odoo 19.0 under `pnpm test:odoo`.
 */
import { systemOdoo } from "@odoo-mcp/testkit/system";
import {
  checkView,
  type ShowViewOptions,
  showView,
  startViewTestbed,
  type ToolCaller,
  VIEW_APPEARANCES,
  type ViewTestbed,
  viewAppearance,
} from "@odoo-mcp/testkit/views";
import { TOTALS_META_KEY, type TotalsMeta } from "@odoo-mcp/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const INVENTORY = {
  model: "stock.quant",
  groupby: ["location_id"],
  aggregates: ["quantity:sum"],
  domain: [["location_id.usage", "=", "internal"]],
  orderby: "quantity:sum desc",
};
const SALES = {
  model: "sale.order",
  groupby: ["partner_id"],
  aggregates: ["amount_total:sum"],
  domain: [["state", "in", ["sale", "draft", "sent"]]],
  orderby: "amount_total:sum desc",
};

let bed: ViewTestbed;
beforeAll(async () => {
  bed = await startViewTestbed("ui://odoo/totals", (await systemOdoo()).env);
});
afterAll(() => bed?.close());

type Group = Record<string, unknown> & { count: number };

const call: ToolCaller = (name, args) => bed.call(name, args);
/** The view shown for a grouped read the model made, with the connector's token, and the groups it was shown. */
const show = (args: Record<string, unknown>, options: Partial<ShowViewOptions> = {}) =>
  showView(bed.browser, { view: bed.view, tool: "odoo_aggregate_records", args, call, ...options }).then((shown) =>
    Object.assign(shown, {
      groups: (shown.toolResult.structuredContent as { groups: Group[] }).groups,
      meta: (shown.toolResult._meta as Record<string, TotalsMeta>)[TOTALS_META_KEY] as TotalsMeta,
    }),
  );

/** Intl's output with its various spaces (narrow no-break, no-break) as plain ones. */
const plain = (text: string) => text.replace(/[\s\u202f\u00a0]+/g, " ").trim();
/** The records a view's search call found. */
const found = <T>(call: { result: Record<string, unknown> } | undefined) =>
  ((call?.result.structuredContent ?? { records: [] }) as { records: T[] }).records;
const name = (value: unknown) => (Array.isArray(value) ? String(value[1]) : String(value));

describe.each(VIEW_APPEARANCES)("at %i px, %s theme, %s", (width, theme, locale) => {
  it("shows inventory by location as bars over a table, with a text alternative, and nothing else loads", async () => {
    const shown = await show(INVENTORY, { width, theme, locale });
    await checkView(shown, async () => {
      expect(shown.groups.length).toBeGreaterThan(0);
      expect(shown.meta.domains.length).toBe(shown.groups.length);
      const bars = shown.frame.locator("svg .bar");
      await expect.poll(() => bars.count()).toBe(shown.groups.length);
      const rows = shown.frame.locator("tbody tr");
      expect(await rows.count()).toBe(shown.groups.length);

      const [top] = shown.groups as [Group];
      const quantity = new Intl.NumberFormat(locale).format(top["quantity:sum"] as number);
      const firstRow = await rows.first().locator("td").allInnerTexts();
      expect(firstRow[0]).toBe(name(top.location_id));
      expect(plain(firstRow[1] ?? "")).toBe(String(top.count));
      expect(plain(firstRow[2] ?? "")).toBe(plain(quantity));
      expect(plain((await bars.first().locator(".value").textContent()) ?? "")).toBe(plain(quantity));
      // The longest bar is the largest total.
      const widths = await bars.locator("rect").evaluateAll((rects) => rects.map((rect) => rect.getAttribute("width")));
      expect(widths[0]).toBe("44%");

      const spanish = locale.startsWith("es");
      const summary = plain((await shown.frame.locator("#summary").textContent()) ?? "");
      expect(summary).toContain(spanish ? "Gráfico de barras" : "Bar chart of");
      expect(summary).toContain(name(top.location_id));
      expect(summary).toContain(plain(quantity));
      expect(await shown.frame.locator("svg").getAttribute("aria-describedby")).toBe("summary");
      expect(await shown.frame.locator("caption").textContent()).toContain(spanish ? " por " : " by ");
      expect(await viewAppearance(shown.frame)).toEqual({
        lang: spanish ? "es" : "en",
        dark: theme === "dark",
        fits: true,
      });

      await shown.screenshot(`views-totals-${width}-${theme}-${locale}`);
      expect(shown.calls).toEqual([]);
    });
  });
});

describe("drilling into a group", () => {
  it("a bar's click lists the group's records, read through the bridge with the group's domain", async () => {
    const shown = await show(SALES, { width: 390, locale: "es-ES" });
    await checkView(shown, async () => {
      const [top] = shown.groups as [Group];
      await shown.frame.locator("svg .bar").first().click();
      await expect.poll(() => shown.calls.length).toBe(1);
      const [call] = shown.calls;
      expect(call?.name).toBe("odoo_search_read_records");
      expect(call?.arguments).toMatchObject({ model: "sale.order", domain: shown.meta.domains[0] });
      expect(call?.result.isError).not.toBe(true);
      const records = found<{ display_name: string }>(call);
      expect(records.length).toBe(Math.min(top.count, 10));
      const items = shown.frame.locator(".drill li a");
      await expect.poll(() => items.allInnerTexts()).toEqual(records.map((record) => record.display_name));
      await expect.poll(() => shown.frame.locator("#drill-heading").textContent()).toContain(name(top.partner_id));
      await expect
        .poll(() =>
          shown.frame.locator("#drill-heading").evaluate((element) => element === element.ownerDocument.activeElement),
        )
        .toBe(true);
      await shown.screenshot("views-totals-drill-390-light-es-ES");
    });
  });

  it("Enter on a row's group opens its records, and a record's name opens it in Odoo through the host", async () => {
    const shown = await show(SALES);
    await checkView(shown, async () => {
      const second = shown.groups[1] as Group;
      const button = shown.frame.locator("tbody tr").nth(1).getByRole("button");
      await button.focus();
      await shown.page.keyboard.press("Enter");
      await expect.poll(() => shown.calls.length).toBe(1);
      expect(shown.calls[0]?.arguments.domain).toEqual(shown.meta.domains[1]);
      // The records found are the group's: as many as it counts, when few.
      const check = await call("odoo_count_records", {
        model: "sale.order",
        domain: shown.meta.domains[1],
      });
      expect((check.structuredContent as { count: number }).count).toBe(second.count);
      const link = shown.frame.locator(".drill li a").first();
      await link.waitFor();
      const records = found<{ id: number }>(shown.calls[0]);
      await link.click();
      await expect.poll(() => shown.openedLinks.length).toBe(1);
      expect(shown.openedLinks[0]?.startsWith(`${bed.system.odooUrl}/`)).toBe(true);
      expect(shown.openedLinks[0]).toContain(String(records[0]?.id));
    });
  });
});
