/**
 * From reading to changing data in one step (issue 26, item 1), with the official MCP SDK client (v1)
 * against the real servers and a person in Chromium: a person who first allowed an app to read only later
 * lets it change data, either at the app's next authorization (step-up after `403 insufficient_scope`) or
 * on /account, taking effect at the app's next refresh.
 */
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { screenshotPath } from "@odoo-mcp/testkit/chromium";
import { structured } from "@odoo-mcp/testkit/mcp";
import {
  AppOAuthProvider,
  type AppOptions,
  personAllows,
  SIGNED_IN_HEADING,
  useSdkAppSuite,
  writeChoice,
} from "@odoo-mcp/testkit/mcp-oauth-client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";

const suite = useSdkAppSuite({ ODOO_AUTH_MODE: "user" });

/** The person's part of one authorization in their browser, up to the app's callback page. */
async function personAuthorizes(page: Page, url: URL, decide: (page: Page) => Promise<void>): Promise<string> {
  await personAllows(page, url, decide);
  await page.getByRole("heading", { name: SIGNED_IN_HEADING }).waitFor();
  return suite.callback.codes.at(-1) as string;
}

/** An app connected with the SDK after the person allowed it to read only. */
async function readOnlyApp(page: Page, options: AppOptions) {
  const provider = new AppOAuthProvider(suite.callback.url, options);
  const url = new URL(suite.system.mcpUrl);
  await expect(
    new Client({ name: "step-up", version: "1.0.0" }).connect(
      new StreamableHTTPClientTransport(url, { authProvider: provider }),
    ),
  ).rejects.toBeInstanceOf(UnauthorizedError);
  const code = await personAuthorizes(page, provider.authorizationUrls.at(-1) as URL, (page) =>
    writeChoice(page).uncheck(),
  );
  const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await transport.finishAuth(code);
  expect(provider.saved?.scope).toBe("odoo:read");
  const client = new Client({ name: "step-up", version: "1.0.0" });
  await client.connect(transport);
  return { provider, transport, client };
}

const createPartner = (client: Client, name: string) =>
  client.callTool({ name: "odoo_create_record", arguments: { model: "res.partner", values: { name } } });

let context: BrowserContext | undefined;
async function newPage() {
  await context?.close();
  context = await suite.browser.newContext({ locale: "en-US", extraHTTPHeaders: { "accept-language": "en-US" } });
  return context.newPage();
}
afterAll(() => context?.close());

describe("step-up with the MCP SDK client (v1)", () => {
  it("re-authorizes after 403 insufficient_scope; the consent page says the app reads and now asks to write, ticked", async () => {
    const page = await newPage();
    // An app without refresh tokens: the SDK answers 403 insufficient_scope with a new authorization.
    const { provider, transport, client } = await readOnlyApp(page, {
      clientName: "Step-up App",
      grantTypes: ["authorization_code"],
    });
    expect(
      structured(await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })),
    ).toMatchObject({ count: 12 });

    await expect(createPartner(client, "Stepped up")).rejects.toBeInstanceOf(UnauthorizedError);
    const stepUp = provider.authorizationUrls.at(-1) as URL;
    expect(provider.authorizationUrls).toHaveLength(2);
    expect(stepUp.searchParams.get("scope")).toContain("odoo:write");

    // Signed in already in this browser: the consent page at once, writing ticked, the reason said.
    const code = await personAuthorizes(page, stepUp, async (page) => {
      expect(await page.locator("[data-step-up]").textContent()).toBe(
        "Step-up App can already read your Odoo records. It now asks to also create, change and delete them.",
      );
      expect(await writeChoice(page).isChecked()).toBe(true);
      await page.screenshot({ path: screenshotPath("e2e-sdk-step-up-consent"), fullPage: true });
    });
    await transport.finishAuth(code);
    expect(provider.saved?.scope).toBe("odoo:read odoo:write");
    const created = structured(await createPartner(client, "Stepped up")) as { id: number };
    expect(created.id).toBeGreaterThan(0);
    // Reading still works with the new token.
    expect(
      structured(await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })),
    ).toMatchObject({ count: 12 });
  });

  it("an app that refreshes instead of asking again gets writing at its next refresh once the person allows it on /account", async () => {
    const page = await newPage();
    const { provider, client } = await readOnlyApp(page, { clientName: "Refreshing App" });

    // SDK v1 answers 403 insufficient_scope by refreshing when it holds a refresh token; the refresh keeps
    // to what the person allowed, and the SDK gives up rather than loop.
    await expect(createPartner(client, "Not yet")).rejects.toThrow("Server returned 403 after trying upscoping");
    expect(provider.refreshes).toBe(1);
    expect(provider.authorizationUrls).toHaveLength(1);
    expect(
      structured(await client.callTool({ name: "odoo_count_records", arguments: { model: "res.country" } })),
    ).toMatchObject({ count: 12 });

    // The person lets the app also change data, on /account.
    await page.goto(`${suite.system.issuer}/account`);
    await page.getByLabel("Login or email").fill("admin");
    await page.getByLabel("Password or API key").fill("admin");
    await page.getByRole("button", { name: "Sign in" }).click();
    const app = page.locator("ul.apps > li", { has: page.locator(".client", { hasText: "Refreshing App" }) });
    await app.getByRole("button", { name: "Let it also change and delete data" }).click();
    await page.getByRole("status").waitFor();

    // The next write: 403 with the read-only token, the SDK refreshes, the new token writes.
    const created = structured(await createPartner(client, "Allowed on /account")) as { id: number };
    expect(created.id).toBeGreaterThan(0);
    expect(provider.saved?.scope).toBe("odoo:read odoo:write");
    expect(provider.authorizationUrls).toHaveLength(1);
  });
});
