/**
 * The Report view (ui://odoo/report) in real Chromium, inside a sandboxed iframe driven by ext-apps'
 * AppBridge, fed with a real odoo_get_report result: at 1280 and 390 px, light and dark, English and
 * Spanish; the first page previewed from Odoo's HTML rendering of the same report through the app-only
 * preview tool, with nothing of it loading anything; the download link opened through the host. Odoo
 * renders reports for a web session only, so the service account signs in with a password; with an API
 * key (JSON-2 from 19.0) the view shows why there is no report.
 */
import { odooReleases, openOdoo } from "@odoo-mcp/testkit/odoo";
import { systemOdoo } from "@odoo-mcp/testkit/system";
import {
  checkView,
  type ShowViewOptions,
  showView,
  startViewSystem,
  startViewTestbed,
  type ToolCaller,
  VIEW_APPEARANCES,
  type ViewTestbed,
  viewAppearance,
} from "@odoo-mcp/testkit/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let bed: ViewTestbed;
let order: { id: number; name: string };

beforeAll(async () => {
  bed = await startViewTestbed("ui://odoo/report", (await systemOdoo("password")).env);
  const found = await call("odoo_search_read_records", {
    model: "sale.order",
    fields: ["name"],
    order: "id",
    limit: 1,
  });
  const [first] = (found.structuredContent as { records: { id: number; name: string }[] }).records;
  if (!first) throw new Error("the Odoo should have a sales order");
  order = first;
});
afterAll(() => bed?.close());

const call: ToolCaller = (name, args) => bed.call(name, args);

/** The view shown for the order's report as the model asked for it, with `options.call` or the connector's token. */
const show = (options: Partial<ShowViewOptions> = {}) =>
  showView(bed.browser, {
    view: bed.view,
    tool: "odoo_get_report",
    args: { model: "sale.order", ids: [order.id] },
    call,
    ...options,
  });

describe.each(VIEW_APPEARANCES)("at %i px, %s theme, %s", (width, theme, locale) => {
  it("shows the report's first page from Odoo's rendering, and its facts, loading nothing", async () => {
    const shown = await show({ width, theme, locale });
    await checkView(shown, async () => {
      const report = shown.toolResult.structuredContent as { report: string; report_name: string };
      await expect.poll(() => shown.frame.locator("h1").textContent()).toBe(report.report);
      // The view asked for the preview of the first record, through the bridge, with the person's token.
      await expect.poll(() => shown.calls.length).toBe(1);
      expect(shown.calls[0]).toMatchObject({
        name: "odoo_get_report_preview",
        arguments: { model: "sale.order", ids: [order.id], report: report.report_name },
      });
      const paper = shown.frame.locator(".paper");
      await expect.poll(() => paper.textContent()).toContain(order.name);
      // Only text and structure are kept: Odoo's script, stylesheet and logo are gone, no attribute survives.
      const html = structuredHtml(shown.calls[0]?.result as Record<string, unknown>);
      expect(html).toMatch(/<script|<img|<link/);
      expect(await paper.locator("script, img, link, style, [class], [style], [src], [href]").count()).toBe(0);
      const spanish = locale.startsWith("es");
      await expect
        .poll(() => shown.frame.locator("section > h2").textContent())
        .toBe(spanish ? "Primera página" : "First page");
      await expect
        .poll(() => shown.frame.locator("#download").textContent())
        .toBe(spanish ? "Descargar el PDF" : "Download the PDF");
      expect(await viewAppearance(shown.frame)).toMatchObject({ dark: theme === "dark", fits: true });
      await shown.screenshot(`views-report-${width}-${theme}-${locale}`);
    });
  });
});

const structuredHtml = (result: Record<string, unknown>) =>
  String((result.structuredContent as { html?: unknown } | undefined)?.html ?? "");

describe("working the Report view", () => {
  it("opens the download link through the host, from the keyboard across a redraw, and the link serves the PDF", async () => {
    const shown = await show();
    try {
      const url = (shown.toolResult.structuredContent as { download_url: string }).download_url;
      await shown.frame.locator("#download").focus();
      // A redraw (here the host turning dark, as a preview arriving late does too) leaves the keyboard there.
      await shown.changeHostContext({ theme: "dark" });
      await expect.poll(() => viewAppearance(shown.frame).then((look) => look.dark)).toBe(true);
      await shown.page.keyboard.press("Enter");
      await expect.poll(() => shown.openedLinks).toEqual([url]);
      const response = await fetch(url);
      expect(response.headers.get("content-type")).toContain("application/pdf");
      expect(shown.requests).toEqual([]);
    } finally {
      await shown.close();
    }
  });

  it("the preview tool keeps the report rules: a report the model lacks is refused", async () => {
    const refused = await call("odoo_get_report_preview", {
      model: "sale.order",
      ids: [order.id],
      report: "base.nothing_like_it",
    });
    expect(refused.isError).toBe(true);
    expect((refused.content as { text: string }[])[0]?.text).toContain(
      'sale.order has no report "base.nothing_like_it"',
    );
  });
});

describe("with an API key", () => {
  it("the view says why Odoo renders no report, and offers no download", async () => {
    // The newest release, its administrator's API key as service account: JSON-2, no web session.
    const newest = odooReleases().at(-1);
    if (!newest) throw new Error("this run has no Odoo");
    const odoo = await openOdoo(newest.version, newest.kind);
    const keyed = await startViewSystem({
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: odoo.users.admin.login,
      ODOO_PASSWORD: odoo.users.admin.apiKey,
    });
    try {
      const shown = await show({
        locale: "es-ES",
        call: keyed.call,
      });
      await checkView(shown, async () => {
        expect(shown.toolResult.isError).toBe(true);
        await expect
          .poll(() => shown.frame.getByRole("alert").textContent())
          .toMatch(/web session, which needs a password.*API key/);
        expect(await shown.frame.locator("#download").count()).toBe(0);
        expect(shown.calls).toEqual([]);
        await shown.screenshot("views-report-api-key-1280-light-es-ES");
      });
    } finally {
      await keyed.close();
      await odoo.close();
    }
  });
});
