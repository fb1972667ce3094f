/**
 * The Records view (ui://odoo/records) in real Chromium, inside a sandboxed iframe driven by ext-apps'
 * AppBridge, fed with real odoo_search_read_records results and forwarding its own tool calls to the MCP
 * server with the connector's token. On the simulator under `pnpm test`, on real Odoo 19.0 under
 * `pnpm test:odoo`.
 */
import { launchChromium } from "@odoo-mcp/testkit/chromium";
import { connectorTokens, startTestSystem, systemOdoo, type TestSystem } from "@odoo-mcp/testkit/system";
import { callMcpTool, type RenderOptions, readView, renderView, type ViewResource } from "@odoo-mcp/testkit/views";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let system: TestSystem;
let browser: Browser;
let token: string;
let view: ViewResource;

beforeAll(async () => {
  const odoo = await systemOdoo();
  system = await startTestSystem({ ODOO_AUTH_MODE: "service", ...odoo.env });
  token = (await connectorTokens(system)).tokens.access_token;
  view = await readView(system.mcpUrl, token, "ui://odoo/records");
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** The view shown for a search the model made, at a width, theme and locale. */
async function show(args: Record<string, unknown>, options: Partial<RenderOptions> = {}) {
  const toolResult = await callMcpTool(system.mcpUrl, token, "odoo_search_read_records", args);
  return renderView(browser, {
    view,
    toolInput: args,
    toolResult,
    forward: (name, callArgs) => callMcpTool(system.mcpUrl, token, name, callArgs),
    width: 1280,
    theme: "light",
    locale: "en-US",
    timeZone: "Europe/Madrid",
    ...options,
  });
}

describe("the Records view", () => {
  it("shows the contacts the search found", async () => {
    const rendered = await show({
      model: "res.partner",
      fields: ["name", "email", "country_id"],
      limit: 5,
      order: "name asc",
    });
    const rows = rendered.frame.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(5);
    await rendered.screenshot("views-records-first");
    expect(rendered.consoleErrors).toEqual([]);
    expect(rendered.requests).toEqual([]);
    await rendered.close();
  });
});
