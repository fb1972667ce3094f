/**
 * The Record view (ui://odoo/record) in real Chromium, inside a sandboxed iframe driven by ext-apps'
 * AppBridge, fed with a real odoo_read_records result for a sales order that has chatter messages and an
 * attachment (posted through the MCP server first), forwarding its own calls to the server with the
 * connector's token: at 1280 and 390 px, light and dark, English and Spanish; the messages and files read
 * through the bridge; "Open in Odoo", a file's download and the PDF through the host's open-link. On the
 * simulator under `pnpm test`, on real Odoo 19.0 under `pnpm test:odoo`.
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
import { RECORDS_META_KEY, type RecordsMeta } from "@odoo-mcp/views";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const NOTES = ["Customer asked for delivery on Friday.", "Delivery confirmed for Friday morning."];
const FILE = { name: "delivery-notes.txt", text: "Dock 3, ask for Marta." };

let bed: ViewTestbed;
/** Real Odoo, where the service account signs in with an API key: Odoo renders no PDF without a web session. */
let realOdoo: boolean;
/** The sales order the tests show, with NOTES on its chatter and FILE attached. */
let order: { id: number; name: string };

const call: ToolCaller = (name, args) => bed.call(name, args);

beforeAll(async () => {
  // Writes allowed, for the fixture's messages and file; the view itself only reads.
  const odooEnv = (await systemOdoo()).env;
  realOdoo = odooEnv.ODOO_URL !== undefined;
  bed = await startViewTestbed("ui://odoo/record", { ODOO_SERVICE_WRITES: "true", ...odooEnv });
  const found = await call("odoo_search_read_records", {
    model: "sale.order",
    domain: [["state", "=", "sale"]],
    fields: ["name"],
    limit: 1,
    order: "id asc",
  });
  order = (found.structuredContent as { records: { id: number; name: string }[] }).records[0] as typeof order;
  for (const body of NOTES) {
    const posted = await call("odoo_post_message", { model: "sale.order", id: order.id, body, kind: "note" });
    expect(posted.isError, JSON.stringify(posted.content)).not.toBe(true);
  }
  const attached = await call("odoo_add_attachment", { model: "sale.order", id: order.id, ...FILE });
  expect(attached.isError).not.toBe(true);
});
afterAll(() => bed?.close());

/** The view shown for the order as the model read it, with the connector's token, and the record it was shown. */
async function show(options: Partial<ShowViewOptions> = {}) {
  const args = { model: "sale.order", ids: [order.id] };
  const shown = await showView(bed.browser, { view: bed.view, tool: "odoo_read_records", args, call, ...options });
  const meta = (shown.toolResult._meta as Record<string, RecordsMeta>)[RECORDS_META_KEY] as RecordsMeta;
  const [record] = (shown.toolResult.structuredContent as { records: Record<string, unknown>[] }).records;
  return Object.assign(shown, { meta, record: record as Record<string, unknown> });
}

describe.each(VIEW_APPEARANCES)("at %i px, %s theme, %s", (width, theme, locale) => {
  it("shows the order's fields under their labels, its last messages and its files, and nothing else loads", async () => {
    const shown = await show({ width, theme, locale });
    await checkView(shown, async () => {
      await expect.poll(() => shown.frame.locator("h1").textContent()).toBe(order.name);
      // Labels from fields_get: the customer under the partner field's own label.
      const customer = shown.frame.locator(".fields dt", { hasText: shown.meta.fields.partner_id?.label as string });
      await expect.poll(() => customer.count()).toBe(1);
      const partner = shown.record.partner_id as [number, string];
      expect(await customer.locator("xpath=following-sibling::dd[1]").textContent()).toBe(partner[1]);

      // The view asked for the messages and the files through the bridge, for this record only.
      await expect
        .poll(() => shown.calls.map((each) => each.name).sort())
        .toEqual(["odoo_list_attachments", "odoo_search_read_records"]);
      const search = shown.calls.find((each) => each.name === "odoo_search_read_records");
      expect(search?.arguments).toMatchObject({ model: "mail.message", limit: 5, order: "id desc" });
      expect(search?.arguments.domain).toEqual(
        expect.arrayContaining([
          ["model", "=", "sale.order"],
          ["res_id", "=", order.id],
        ]),
      );
      const bodies = shown.frame.locator(".messages .body");
      await expect.poll(() => bodies.allInnerTexts()).toEqual([...NOTES].reverse());
      const file = shown.frame.locator(".files a");
      await expect.poll(() => file.allInnerTexts()).toEqual([FILE.name]);

      const spanish = locale.startsWith("es");
      expect(await shown.frame.locator("#messages-heading").textContent()).toBe(
        spanish ? "Últimos mensajes" : "Last messages",
      );
      expect(await viewAppearance(shown.frame)).toEqual({
        lang: spanish ? "es" : "en",
        dark: theme === "dark",
        fits: true,
      });

      await shown.screenshot(`views-record-${width}-${theme}-${locale}`);
    });
  });
});

describe("working the Record view", () => {
  it("opens the record in Odoo and downloads its file through the host's open-link", async () => {
    const shown = await show();
    try {
      await shown.frame.getByRole("button", { name: "Open in Odoo" }).click();
      await expect.poll(() => shown.openedLinks).toEqual([shown.meta.recordUrl.replace("{id}", String(order.id))]);
      expect(shown.openedLinks[0]?.startsWith(`${bed.system.odooUrl}/`)).toBe(true);

      const file = shown.frame.getByRole("link", { name: FILE.name });
      await file.click();
      await expect.poll(() => shown.openedLinks.length).toBe(2);
      const listed = shown.calls.find((each) => each.name === "odoo_list_attachments")?.result.structuredContent as {
        attachments: { name: string; download_url: string }[];
      };
      const url = listed.attachments.find((each) => each.name === FILE.name)?.download_url as string;
      expect(shown.openedLinks[1]).toBe(url);
      // The link is the person's own: it serves the file.
      const download = await fetch(url);
      expect(download.status).toBe(200);
      expect(await download.text()).toBe(FILE.text);
      expect(shown.requests).toEqual([]);
    } finally {
      await shown.close();
    }
  });

  it("gets the PDF from the keyboard: odoo_get_report through the bridge, its link opened by the host", async () => {
    const shown = await show({ locale: "es-ES" });
    try {
      const button = shown.frame.getByRole("button", { name: "Obtener el PDF" });
      await button.focus();
      await shown.page.keyboard.press("Enter");
      await expect.poll(() => shown.calls.some((each) => each.name === "odoo_get_report")).toBe(true);
      const report = shown.calls.find((each) => each.name === "odoo_get_report");
      expect(report?.arguments).toEqual({ model: "sale.order", ids: [order.id] });
      if (realOdoo) {
        // The tool's refusal, in its own words, where the person clicked; nothing opened.
        expect(report?.result.isError).toBe(true);
        const refusal = ((report?.result.content ?? []) as { text: string }[])[0]?.text ?? "";
        await expect.poll(() => shown.frame.getByRole("alert").textContent()).toContain(refusal);
        expect(shown.openedLinks).toEqual([]);
        return;
      }
      const { download_url: url } = (report?.result.structuredContent ?? {}) as { download_url: string };
      await expect.poll(() => shown.openedLinks).toEqual([url]);
      await expect.poll(() => shown.frame.getByRole("link", { name: /PDF/ }).getAttribute("href")).toBe(url);
      const pdf = await fetch(url);
      expect(pdf.headers.get("content-type")).toContain("application/pdf");
      expect(shown.consoleErrors).toEqual([]);
      expect(shown.requests).toEqual([]);
    } finally {
      await shown.close();
    }
  });
});
