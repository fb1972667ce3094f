/**
 * The Records view (ui://odoo/records) in real Chromium, inside a sandboxed iframe driven by ext-apps'
 * AppBridge, fed with real odoo_search_read_records results and forwarding its own tool calls to the MCP
 * server with the connector's token: at 1280 and 390 px, light and dark, English and Spanish; sorting,
 * paging, more columns and opening a record, each through the bridge. On the simulator under
 * `pnpm test`, on real Odoo 19.0 under `pnpm test:odoo`.
 */
import { systemOdoo } from "@odoo-mcp/testkit/system";
import {
  checkView,
  type ShowViewOptions,
  showView,
  startViewSystem,
  startViewTestbed,
  type ToolCaller,
  VIEW_APPEARANCES,
  type ViewSystem,
  type ViewTestbed,
  viewAppearance,
} from "@odoo-mcp/testkit/views";
import { RECORDS_META_KEY, type RecordsMeta } from "@odoo-mcp/views";
import type { FrameLocator, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const TIME_ZONE = "Europe/Madrid";
const SALES = {
  model: "sale.order",
  fields: ["name", "partner_id", "date_order", "amount_total", "state"],
  limit: 5,
  order: "name asc",
};
const CONTACTS = { model: "res.partner", fields: ["name", "email", "country_id"], limit: 4, order: "name asc" };

let odooEnv: Record<string, string>;
let bed: ViewTestbed;
beforeAll(async () => {
  odooEnv = (await systemOdoo()).env;
  bed = await startViewTestbed("ui://odoo/records", odooEnv);
});
afterAll(() => bed?.close());

const call: ToolCaller = (name, args) => bed.call(name, args);
/** The view shown for a search the model made, with `options.call` or the connector's token. */
const show = (args: Record<string, unknown>, options: Partial<ShowViewOptions> = {}) =>
  showView(bed.browser, {
    view: bed.view,
    tool: "odoo_search_read_records",
    args,
    call,
    timeZone: TIME_ZONE,
    ...options,
  });

/** Intl's output with its various spaces (narrow no-break, no-break) as plain ones. */
const plain = (text: string) => text.replace(/[\s\u202f\u00a0]+/g, " ").trim();

/** The text of each row's cell in column `index` (0 is the first). */
const column = (frame: FrameLocator, index: number) =>
  frame.locator(`tbody tr td:nth-child(${index + 1})`).allInnerTexts();

const text = async (locator: Locator) => (await locator.textContent()) ?? "";
const attribute = (locator: Locator, name: string) => locator.getAttribute(name);
const count = (locator: Locator) => locator.count();
const style = (locator: Locator, property: string) =>
  locator.evaluate(
    (element, name) => element.ownerDocument.defaultView?.getComputedStyle(element).getPropertyValue(name) ?? "",
    property,
  );

const records = (result: Record<string, unknown>) =>
  (result.structuredContent as { records: Record<string, unknown>[] }).records;

describe.each([
  ...VIEW_APPEARANCES,
  [1280, "light", "es-ES"],
  [1280, "dark", "en-US"],
  [390, "light", "en-US"],
  [390, "dark", "es-ES"],
] as const)("at %i px, %s theme, %s", (width, theme, locale) => {
  it("shows sales orders with names, money and dates in the person's locale, and nothing else loads", async () => {
    const shown = await show(SALES, { width, theme, locale });
    await checkView(shown, async () => {
      // Amounts need their currency: the view reads the same page again with currency_id, through the bridge.
      await expect.poll(() => shown.calls.length).toBe(1);
      const [refetch] = shown.calls;
      expect(refetch?.name).toBe("odoo_search_read_records");
      expect(refetch?.arguments).toMatchObject({ model: "sale.order", offset: 0, order: "name asc" });
      expect(refetch?.arguments.fields).toEqual([...SALES.fields, "currency_id"]);
      const [first] = records(refetch?.result as Record<string, unknown>);
      if (!first) throw new Error("the simulator should have sales orders");
      const rows = shown.frame.locator("tbody tr");
      await expect.poll(() => rows.count()).toBe(records(shown.toolResult).length);

      const currency = (first.currency_id as [number, string])[1];
      const amount = new Intl.NumberFormat(locale, { style: "currency", currency }).format(
        first.amount_total as number,
      );
      await expect.poll(async () => plain((await column(shown.frame, 3))[0] ?? "")).toBe(plain(amount));
      const date = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: TIME_ZONE });
      expect(plain((await column(shown.frame, 2))[0] ?? "")).toBe(
        plain(date.format(Date.parse(`${String(first.date_order).replace(" ", "T")}Z`))),
      );
      expect((await column(shown.frame, 1))[0]).toBe((first.partner_id as [number, string])[1]);
      const meta = (shown.toolResult._meta as Record<string, RecordsMeta>)[RECORDS_META_KEY] as RecordsMeta;
      const stateLabel = meta.fields.state?.options?.find(([value]) => value === first.state)?.[1];
      expect((await column(shown.frame, 4))[0]).toBe(stateLabel);

      const spanish = locale.startsWith("es");
      await expect.poll(() => attribute(shown.frame.locator("html"), "lang")).toBe(spanish ? "es" : "en");
      await expect
        .poll(() => text(shown.frame.locator(".pager [role=status]")))
        .toContain(spanish ? "filas 1–" : "rows 1–");
      // Narrow: every record a card, and nothing wider than the view.
      expect(await viewAppearance(shown.frame)).toMatchObject({ dark: theme === "dark", fits: true });
      await expect
        .poll(() => style(shown.frame.locator("thead"), "position"))
        .toBe(width < 480 ? "absolute" : "static");

      await shown.screenshot(`views-records-${width}-${theme}-${locale}`);
    });
  });
});

describe("working the Records view", () => {
  it("sorts by a column from the keyboard: the view calls the search again with the new order", async () => {
    const shown = await show(CONTACTS);
    await checkView(shown, async () => {
      const before = await column(shown.frame, 0);
      expect(before.length).toBe(CONTACTS.limit);
      const header = shown.frame.getByRole("button", { name: /Name/ }).first();
      await header.focus();
      await shown.page.keyboard.press("Enter");
      await expect.poll(() => shown.calls.length).toBe(1);
      expect(shown.calls[0]).toMatchObject({
        name: "odoo_search_read_records",
        arguments: { model: "res.partner", order: "name desc", offset: 0, fields: CONTACTS.fields },
      });
      const expected = records(shown.calls[0]?.result as Record<string, unknown>).map((record) => record.name);
      await expect.poll(() => column(shown.frame, 0)).toEqual(expected);
      expect(expected).not.toEqual(before);
      await expect.poll(() => attribute(shown.frame.locator("th").first(), "aria-sort")).toBe("descending");
    });
  });

  it("pages forward and back through the bridge", async () => {
    const shown = await show(CONTACTS);
    try {
      const first = await column(shown.frame, 0);
      await shown.frame.getByRole("button", { name: /Next page/ }).click();
      await expect.poll(() => shown.calls.length).toBe(1);
      expect(shown.calls[0]?.arguments).toMatchObject({
        offset: CONTACTS.limit,
        limit: CONTACTS.limit,
        order: "name asc",
      });
      const second = records(shown.calls[0]?.result as Record<string, unknown>).map((record) => record.name);
      await expect.poll(() => column(shown.frame, 0)).toEqual(second);
      expect(second).not.toEqual(first);
      await expect
        .poll(() => text(shown.frame.locator(".pager [role=status]")))
        .toContain(`rows ${CONTACTS.limit + 1}–`);
      await shown.frame.getByRole("button", { name: /Previous page/ }).click();
      await expect.poll(() => shown.calls.length).toBe(2);
      expect(shown.calls[1]?.arguments).toMatchObject({ offset: 0 });
      await expect.poll(() => column(shown.frame, 0)).toEqual(first);
    } finally {
      await shown.close();
    }
  });

  it("adds a column the person picks from the model's fields", async () => {
    const shown = await show(CONTACTS);
    try {
      await shown.frame.getByRole("button", { name: "More columns" }).click();
      await expect.poll(() => shown.calls.length).toBe(1);
      expect(shown.calls[0]).toMatchObject({ name: "odoo_get_model_fields", arguments: { model: "res.partner" } });
      const picker = shown.frame.locator("#add-column");
      await picker.waitFor();
      const phone = picker.locator("option[value=phone]");
      await expect.poll(() => count(phone)).toBe(1);
      await picker.selectOption("phone");
      await expect.poll(() => shown.calls.length).toBe(2);
      expect(shown.calls[1]).toMatchObject({
        name: "odoo_search_read_records",
        arguments: { fields: [...CONTACTS.fields, "phone"], offset: 0 },
      });
      await expect.poll(() => count(shown.frame.locator("thead th"))).toBe(CONTACTS.fields.length + 1);
      const phones = records(shown.calls[1]?.result as Record<string, unknown>).map((record) => record.phone || "");
      await expect.poll(() => column(shown.frame, CONTACTS.fields.length)).toEqual(phones);
    } finally {
      await shown.close();
    }
  });

  it("opens a record in Odoo through the host's open-link, in the release's URL form", async () => {
    const shown = await show(CONTACTS);
    try {
      const [record] = records(shown.toolResult);
      const meta = (shown.toolResult._meta as Record<string, RecordsMeta>)[RECORDS_META_KEY] as RecordsMeta;
      const link = shown.frame.locator("tbody tr").first().getByRole("link");
      await expect.poll(() => text(link)).toBe(String(record?.name));
      await link.click();
      await expect.poll(() => shown.openedLinks).toEqual([meta.recordUrl.replace("{id}", String(record?.id))]);
      expect(shown.openedLinks[0]?.startsWith(`${bed.system.odooUrl}/`)).toBe(true);
      // The view stays where it was: the link went to the host, not into the iframe.
      await expect.poll(() => count(shown.frame.locator("tbody tr"))).toBe(CONTACTS.limit);
      expect(shown.requests).toEqual([]);
    } finally {
      await shown.close();
    }
  });
});

describe("a view's calls are the person's calls", () => {
  let limited: ViewSystem;
  beforeAll(async () => {
    limited = await startViewSystem({ MCP_CALLS_PER_MINUTE: "2", ...odooEnv });
  });
  afterAll(() => limited?.close());

  it("counts against the same rate limit as the model's, and the view says so when refused", async () => {
    const shown = await show(CONTACTS, { call: limited.call });
    try {
      // The model's call was the first of two this minute; the view's next page is the second.
      await shown.frame.getByRole("button", { name: /Next page/ }).click();
      await expect.poll(() => shown.calls.length).toBe(1);
      await shown.frame.getByRole("button", { name: /Previous page/ }).click();
      const alert = shown.frame.getByRole("alert");
      await expect.poll(() => text(alert)).toContain("The request failed:");
      await expect.poll(() => text(alert)).toMatch(/limit|too many/i);
      expect(shown.calls.length).toBe(1);
      expect(shown.requests).toEqual([]);
    } finally {
      await shown.close();
    }
  });
});
