/**
 * mcp-remote 0.15 as Claude Desktop runs it, doing its own OAuth against the system as `pnpm start` runs
 * it (user mode), with a person in Chromium (issue 26, item 1): the person first allows reading only; the
 * write tools are still listed; asking for a change makes mcp-remote open the consent page once more,
 * which says the app already reads and now asks to change data, ticked; after "Allow" the same call runs.
 *
 * mcp-remote opens the browser with `xdg-open`; a stand-in first on its PATH does nothing, and the test
 * opens the URL mcp-remote prints in Chromium, as the person would.
 */
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { structured } from "@odoo-mcp/testkit/mcp";
import { personAllows, writeChoice } from "@odoo-mcp/testkit/mcp-oauth-client";
import { startTestSystem, type TestSystem } from "@odoo-mcp/testkit/system";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const MCP_REMOTE = join(import.meta.dirname, "node_modules", "mcp-remote", "dist", "proxy.js");

let system: TestSystem;
let browser: Browser;
beforeAll(async () => {
  [system, browser] = await Promise.all([startTestSystem({ ODOO_AUTH_MODE: "user" }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** A free loopback port for mcp-remote's OAuth callback. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A folder whose `xdg-open` opens nothing: the test is the person's browser. */
function quietOpener(): string {
  const dir = mkdtempSync(join(tmpdir(), "odoo-mcp-opener-"));
  writeFileSync(join(dir, "xdg-open"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(dir, "xdg-open"), 0o755);
  return dir;
}

/** mcp-remote's stderr, with a wait for the next authorization URL it prints. */
class PrintedUrls {
  private text = "";
  private seen = 0;
  private waiters: (() => void)[] = [];

  feed(chunk: Buffer) {
    this.text += chunk.toString();
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The next "Please authorize this client by visiting: <url>" not yet taken. */
  async next(): Promise<URL> {
    for (;;) {
      const urls = [...this.text.matchAll(/Please authorize this client by visiting:\s+(\S+)/g)].map((m) => m[1]);
      if (urls.length > this.seen) return new URL(urls[this.seen++] as string);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`mcp-remote printed no authorization URL:\n${this.text}`)),
          60_000,
        );
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  get count() {
    return [...this.text.matchAll(/Please authorize this client by visiting:/g)].length;
  }
}

describe("mcp-remote 0.15 doing its own OAuth (Claude Desktop's bridge)", () => {
  it("a person who allowed reading only allows changes in one step when Claude asks for one", async () => {
    const callbackPort = await freePort();
    const printed = new PrintedUrls();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [MCP_REMOTE, system.mcpUrl, String(callbackPort), "--allow-http"],
      env: {
        ...(process.env as Record<string, string>),
        PATH: `${quietOpener()}${delimiter}${process.env.PATH ?? ""}`,
        MCP_REMOTE_CONFIG_DIR: mkdtempSync(join(tmpdir(), "odoo-mcp-mcp-auth-")),
      },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => printed.feed(chunk));
    const client = new Client({ name: "claude-desktop-stand-in", version: "1.0.0" });
    const landedOn = (url: URL) => url.port === String(callbackPort);
    const context = await browser.newContext({ locale: "en-US", extraHTTPHeaders: { "accept-language": "en-US" } });
    const page = await context.newPage();
    try {
      // First connection: the person allows reading only.
      const connected = client.connect(transport);
      await personAllows(page, await printed.next(), (page) => writeChoice(page).uncheck());
      await page.waitForURL(landedOn);
      await connected;
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      expect(tools).toEqual(expect.arrayContaining(["odoo_count_records", "odoo_create_record"]));
      expect(
        structured(await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })),
      ).toMatchObject({ count: 12 });

      // A change: mcp-remote is refused (403 insufficient_scope) and sends the person to consent again.
      const create = client.callTool({
        name: "odoo_create_record",
        arguments: { model: "res.partner", values: { name: "Stepped up through mcp-remote" } },
      });
      await personAllows(page, await printed.next(), async (page) => {
        expect(await page.locator("[data-step-up]").textContent()).toContain(
          "can already read your Odoo records. It now asks to also create, change and delete them.",
        );
        expect(await writeChoice(page).isChecked()).toBe(true);
        await page.screenshot({ path: screenshotPath("e2e-mcp-remote-step-up-consent"), fullPage: true });
      });
      await page.waitForURL(landedOn);
      const created = structured(await create) as { id: number; created: boolean };
      expect(created).toMatchObject({ created: true });
      expect(created.id).toBeGreaterThan(0);

      // One more change needs no browser: the token now writes.
      const again = structured(
        await client.callTool({
          name: "odoo_update_record",
          arguments: { model: "res.partner", ids: [created.id], values: { city: "Madrid" } },
        }),
      );
      expect(again).toMatchObject({ updated: true });
      expect(printed.count).toBe(2);
    } finally {
      await client.close();
      await context.close();
    }
  }, 180_000);
});
