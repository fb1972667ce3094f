/**
 * The connected-apps page in Chromium: a person signs in, sees the app they allowed in this test,
 * revokes it, and the token stops working at the MCP server.
 */
import { launchChromium, screenshotPath } from "@odoo-mcp/testkit/chromium";
import { client, mcpIntrospector } from "@odoo-mcp/testkit/oauth";
import { type Stack, startStack, structured } from "@odoo-mcp/testkit/stack";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("connected apps (/account)", () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    // No introspection cache: this single process has no Redis to carry the revocation notice.
    stack = await startStack({ mcpEnv: { INTROSPECTION_CACHE_TTL: "0" } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const openAccount = async (locale = "en-US") => {
    const context = await browser.newContext({ locale, extraHTTPHeaders: { "accept-language": locale } });
    const page = await context.newPage();
    await page.goto(`${stack.auth.url}/account`);
    return { page, close: () => context.close() };
  };

  it("shows the app a person allowed, revokes it, and its token stops working", async () => {
    const token = await stack.token("admin", "admin");
    const demoToken = await stack.token("demo", "demo", "odoo:read");
    const mcp = await stack.connect(token);
    expect(
      structured(await mcp.callTool({ name: "odoo_count_records", arguments: { model: "res.partner" } })).count,
    ).toBeGreaterThan(0);

    const { page, close } = await openAccount();
    try {
      await page.getByRole("heading", { name: "Your connected apps" }).waitFor();
      await page.getByLabel("Login or email").fill("admin");
      await page.getByLabel("Password or API key").fill("wrong");
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("alert").textContent()).resolves.toContain("did not work");
      await page.getByLabel("Login or email").fill("admin");
      await page.getByLabel("Password or API key").fill("admin");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { name: "Connected apps" }).waitFor();
      await page.screenshot({ path: screenshotPath("account-apps") });

      const apps = page.locator("ul.apps > li");
      expect(await apps.count()).toBe(1); // the demo user's grant is not shown to admin
      const app = apps.first();
      expect(await app.locator(".client").textContent()).toBe("ChatGPT");
      expect(await app.textContent()).toContain("chatgpt.com");
      expect(
        await app
          .locator("li[data-scope]")
          .evaluateAll((items) => items.map((item) => item.getAttribute("data-scope"))),
      ).toEqual(expect.arrayContaining(["odoo:read", "odoo:write"]));
      // Someone else's grant id posted with this session's own CSRF token: nothing happens to it.
      const demoGrant = (await client.tokenIntrospection(await mcpIntrospector(stack.auth.url), demoToken)).grant_id;
      expect(typeof demoGrant).toBe("string");
      const csrf = (await app.locator('input[name="csrf"]').first().getAttribute("value")) as string;
      const forged = await page.request.post(`${stack.auth.url}/account/revoke`, {
        form: { csrf, grant_id: demoGrant as string },
      });
      expect(forged.status()).toBe(200);
      expect((await client.tokenIntrospection(await mcpIntrospector(stack.auth.url), demoToken)).active).toBe(true);
      await app.getByRole("button", { name: "Revoke" }).click();
      await expect(page.getByRole("status").textContent()).resolves.toContain(
        "ChatGPT can no longer use your Odoo account",
      );
      expect(await page.locator("ul.apps > li").count()).toBe(0);

      const refused = await fetch(stack.mcpUrl, {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
      // Another person's app keeps working.
      const demo = await stack.connect(demoToken);
      expect((await demo.listTools()).tools.length).toBeGreaterThan(0);

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Your connected apps" }).waitFor();
    } finally {
      await close();
    }
  });

  it("speaks Spanish, sends the page's security headers, and refuses forged forms", async () => {
    const { page, close } = await openAccount("es-ES");
    try {
      await page.getByRole("heading", { name: "Tus aplicaciones conectadas" }).waitFor();
    } finally {
      await close();
    }
    const response = await fetch(`${stack.auth.url}/account`);
    expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("cache-control")).toBe("no-store");
    // A sign-in posted without the form's cookie and token (another site's form) is refused.
    const forged = await fetch(`${stack.auth.url}/account/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "login=admin&password=admin&csrf=x",
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie") ?? "").not.toContain("odoo_mcp_account=");
    // A revocation without a session goes back to the sign-in page and revokes nothing.
    const revoke = await fetch(`${stack.auth.url}/account/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_id=x&csrf=y",
      redirect: "manual",
    });
    expect(revoke.status).toBe(303);
    expect(revoke.headers.get("location")).toBe("/account");
  });
});
